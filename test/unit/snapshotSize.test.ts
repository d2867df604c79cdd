import assert from 'node:assert/strict';
import { test } from 'node:test';
import { snapshotSize } from '../../main/shared/display/units';

test('a snapshot size is said in one unit system for the CLI and the window (MiB, not a KiB total)', () => {
  const volumes = [{ bytes: 40 * 1024 * 1024 }, { bytes: 8 * 1024 * 1024 }];
  assert.equal(snapshotSize({ kind: 'archive', volumes }), '48 MiB');
  // A clone: its own blocks beside the total; an archive is all its own, whatever was measured.
  assert.equal(snapshotSize({ kind: 'clone', volumes, exclusiveBytes: 4096 }), '48 MiB, 4.0 KiB own');
  assert.equal(snapshotSize({ kind: 'archive', volumes, exclusiveBytes: 4096 }), '48 MiB');
  assert.equal(snapshotSize({ kind: 'clone', volumes, exclusiveBytes: null }), '48 MiB (apparent)');
});
