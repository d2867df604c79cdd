import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { snapshotOnHost, unmoveOnHost } from '../../main/docker/data/hostSnapshots';

/**
 * A snapshot before clone-data's copy moves the target's files into the store (one file system: renames, no
 * data written) rather than cloning them; whatever fails before it is complete puts them back. Real folders.
 */
const root = mkdtempSync(path.join(os.tmpdir(), 'axi-host-snap-'));
after(() => rmSync(root, { recursive: true, force: true }));

function volume(name: string, files: Record<string, string>, mode = 0o700): string {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, 'base'), { recursive: true });
  for (const [f, body] of Object.entries(files)) writeFileSync(path.join(dir, f), body);
  chmodSync(dir, mode);
  return dir;
}

test("a moved snapshot holds the volume's files, owner and mode; the volume is left empty but for an earlier copy's leftovers", async () => {
  const store = path.join(root, 'store1');
  mkdirSync(store);
  const vol = volume('v1', { PG_VERSION: '15', 'base/1': 'table', '.axi-old-copy': 'x' }, 0o750);
  const done = await snapshotOnHost(store, 'inst/s1', [vol], [true]);
  assert.deepEqual(done, { bytes: [7], moved: [true] });
  assert.deepEqual(readdirSync(vol), ['.axi-old-copy']);
  const snap = path.join(store, 'inst', 's1', '0');
  assert.deepEqual(readdirSync(snap).sort(), ['PG_VERSION', 'base']);
  assert.equal(readFileSync(path.join(snap, 'base', '1'), 'utf8'), 'table');
  assert.equal(statSync(snap).mode & 0o7777, 0o750);
  assert.equal(statSync(store).mode & 0o777, 0o700, 'the store is private');
  assert.ok(!readdirSync(path.join(store, 'inst')).includes('s1.partial'));

  // The caller's later failure (its manifest not written): the files go back into the volume.
  await unmoveOnHost(store, 'inst/s1', [vol], [true]);
  assert.deepEqual(readdirSync(vol).sort(), ['.axi-old-copy', 'PG_VERSION', 'base']);
  assert.equal(readFileSync(path.join(vol, 'base', '1'), 'utf8'), 'table');
});

test('a snapshot that fails on one volume (its clone refused) puts the moved files of the others back', async (t) => {
  writeFileSync(path.join(root, 'probe'), 'x');
  const probe = spawnSync('cp', ['--reflink=always', path.join(root, 'probe'), path.join(root, 'probe2')]);
  if (probe.status === 0) return t.skip('this file system clones: no clone fails here');
  const store = path.join(root, 'store2');
  mkdirSync(store);
  const moved = volume('v2', { PG_VERSION: '15', 'base/1': 'kept' });
  const cloned = volume('v3', { 'dump.rdb': 'redis' });
  // v3 is not to be moved, and this file system (the test's temporary folder) cannot clone: cp fails.
  await assert.rejects(snapshotOnHost(store, 'inst/s2', [moved, cloned], [true, false]));
  assert.deepEqual(readdirSync(moved).sort(), ['PG_VERSION', 'base']);
  assert.equal(readFileSync(path.join(moved, 'base', '1'), 'utf8'), 'kept');
  assert.deepEqual(readdirSync(cloned).sort(), ['base', 'dump.rdb']);
  assert.deepEqual(readdirSync(path.join(store, 'inst', 's2.partial', '0')), [], 'nothing left in the store');
});
