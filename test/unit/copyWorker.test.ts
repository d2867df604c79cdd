import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { COPY_WORKER } from '../../main/docker/data/cloneData';

const run = promisify(execFile);

/**
 * The data copy's workers (the shell function the helper container runs), run here by the machine's own `sh` on
 * real folders, with a `cp` on PATH that logs each entry it is asked to copy: every top-level entry is copied
 * exactly once, however the workers' listings differ and however often a worker runs.
 */
describe("the data copy's workers claim entries by name", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'axi-worker-'));
  const log = path.join(dir, 'cp.log');
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  // `cp -a ENTRY TARGET/`: the entry's name is logged, then the real cp does the copy.
  writeFileSync(path.join(bin, 'cp'), `#!/bin/sh\nprintf '%s\\n' "\${2##*/}" >> '${log}'\nexec /bin/cp "$@"\n`);
  chmodSync(path.join(bin, 'cp'), 0o755);
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs `workers` workers at once over src → dst with the claims folder `claims` (kept between runs). */
  const workers = async (src: string, dst: string, claims: string, count: number) => {
    const script = `set -e; claims='${claims}'; ${COPY_WORKER}; mkdir -p "$claims/0"; pids=""; for w in $(seq ${count}); do worker '${src}' 0 '${dst}' & pids="$pids $!"; done; for p in $pids; do wait $p; done`;
    await run('sh', ['-c', script], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, AXI_CLONE: ' ' } });
  };
  const copiedNames = () => readFileSync(log, 'utf8').trim().split('\n').sort();
  const fresh = (name: string) => {
    const d = path.join(dir, name);
    for (const s of ['src', 'dst', 'claims']) mkdirSync(path.join(d, s), { recursive: true });
    rmSync(log, { force: true });
    return { src: path.join(d, 'src'), dst: path.join(d, 'dst'), claims: path.join(d, 'claims') };
  };

  test('an entry added between two workers is copied, and none is copied twice; a worker run again copies nothing', async () => {
    const f = fresh('late');
    for (const n of ['a', 'b', 'c', 'with space', '.hidden', '..dots']) writeFileSync(path.join(f.src, n), n);
    mkdirSync(path.join(f.src, 'dir'));
    writeFileSync(path.join(f.src, 'dir', 'inner'), 'x');
    await workers(f.src, f.dst, f.claims, 1);
    // The listing changes before the next worker looks: a new entry sorts first, shifting every position.
    writeFileSync(path.join(f.src, '0-first'), 'late');
    await workers(f.src, f.dst, f.claims, 1);
    await workers(f.src, f.dst, f.claims, 1); // a retry
    const all = ['0-first', 'a', 'b', 'c', 'with space', '.hidden', '..dots', 'dir'].sort();
    assert.deepEqual(copiedNames(), all, 'each entry copied exactly once');
    assert.deepEqual(readdirSync(f.dst).sort(), all);
    assert.equal(readFileSync(path.join(f.dst, '0-first'), 'utf8'), 'late');
  });

  test('500 entries, four workers at once: each entry copied exactly once, all of them there', async () => {
    const f = fresh('many');
    const names = Array.from({ length: 500 }, (_, i) => (i % 7 ? `e${i}` : `.h${i}`));
    for (const n of names) writeFileSync(path.join(f.src, n), n.repeat(3));
    await workers(f.src, f.dst, f.claims, 4);
    assert.deepEqual(copiedNames(), [...names].sort());
    assert.deepEqual(readdirSync(f.dst).sort(), [...names].sort());
    assert.equal(readdirSync(f.claims + '/0').length, 500);
  });
});
