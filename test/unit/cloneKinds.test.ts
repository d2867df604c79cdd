import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { volumeClones } from '../../main/docker/data/cloneSupport';
import { assertSnapshotBelongs, type Snapshot } from '../../main/docker/data/snapshots';
import { copyVerb } from '../../main/shared/display/units';

describe('copy-on-write decisions', () => {
  const clones = { fs: 'btrfs', clones: true };
  test('a volume clones only on a cloning engine, with the local driver and no options (else it is bound elsewhere)', () => {
    assert.equal(volumeClones({ Driver: 'local', Options: null }, clones), true);
    assert.equal(volumeClones({ Driver: 'local', Options: {} }, clones), true);
    assert.equal(
      volumeClones({ Driver: 'local', Options: { type: 'none', device: '/srv', o: 'bind' } }, clones),
      false,
    );
    assert.equal(volumeClones({ Driver: 'nfs' }, clones), false);
    assert.equal(volumeClones({ Driver: 'local' }, { fs: 'ext2/ext3', clones: false }), false);
  });

  test('the progress word says which it was', () => {
    assert.equal(copyVerb(true), 'cloned (copy-on-write)');
    assert.equal(copyVerb(false), 'copied');
  });

  const snap = (kind: string | undefined, file: string): Snapshot =>
    ({
      id: '2026-12-06T05-00-00-000Z',
      instance: 'alpha',
      createdAt: '',
      reason: 'reset',
      kind,
      dir: '/h/snapshots/alpha/2026-12-06T05-00-00-000Z',
      volumes: [{ name: 'a_pg', labels: {}, file, bytes: 1 }],
    }) as Snapshot;
  const mine = new Set(['a_pg']);

  test('a clone manifest names numbered folders only; an archive manifest .tar files only; other kinds are refused', () => {
    assert.doesNotThrow(() => assertSnapshotBelongs(snap('clone', '0'), 'alpha', mine));
    assert.doesNotThrow(() => assertSnapshotBelongs(snap(undefined, 'a_pg.tar'), 'alpha', mine));
    assert.throws(() => assertSnapshotBelongs(snap('clone', '../x'), 'alpha', mine), /is not a file in the snapshot/);
    assert.throws(
      () => assertSnapshotBelongs(snap('clone', 'a_pg.tar'), 'alpha', mine),
      /is not a file in the snapshot/,
    );
    assert.throws(() => assertSnapshotBelongs(snap('archive', '0'), 'alpha', mine), /is not a file in the snapshot/);
    assert.throws(() => assertSnapshotBelongs(snap('zfs', '0'), 'alpha', mine), /kind "zfs" is not archive or clone/);
  });
});
