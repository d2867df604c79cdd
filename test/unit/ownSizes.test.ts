import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { instanceUsage } from '../../main/core/util/stats';
import { sizeWithOwn, usageLine } from '../../main/shared/display/units';
import { reclaimableBytes, type CleanupPlan } from '../../main/docker/cleanup/cleanup';
import { hostExclusiveSizes, readExclusive } from '../../main/docker/data/exclusiveSizes';
import { tally } from '../../main/docker/data/hostClones';

/** What a clone, a snapshot or an instance really costs on a copy-on-write disk (issue 27), beside its apparent size. */
describe('exclusive sizes', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'axi-own-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a size reads with what deleting it frees; apparent only where it could not be measured', () => {
    assert.equal(sizeWithOwn(2 * 1024 ** 3, 4096), '2.0 GiB, 4.0 KiB own');
    assert.equal(sizeWithOwn(2 * 1024 ** 3, null), '2.0 GiB (apparent)');
    assert.equal(sizeWithOwn(2 * 1024 ** 3, undefined), '2.0 GiB');
    assert.equal(
      usageLine({ cpuPercent: null, memoryBytes: null, diskBytes: 1024, exclusiveBytes: 0 }),
      'disk 1.0 KiB, 0 B own',
    );
  });

  test("an instance's own size is the sum of its volumes' where all were measured; one unmeasured makes it apparent only", () => {
    const input = (exclusive: (number | null | undefined)[]) => ({
      instances: [{ id: 'a', project: 'p', volumes: ['v0', 'v1'] }],
      containers: [],
      samples: new Map(),
      volumes: exclusive.map((e, i) => ({ name: `v${i}`, bytes: 1000, ...(e !== undefined && { exclusive: e }) })),
    });
    assert.equal(instanceUsage(input([10, 20])).get('a')!.exclusiveBytes, 30);
    assert.equal(instanceUsage(input([10, null])).get('a')!.exclusiveBytes, null);
    assert.equal('exclusiveBytes' in instanceUsage(input([undefined, undefined])).get('a')!, false, 'ext4: unchanged');
  });

  test("the cleanup's reclaimable counts a clone's own blocks, not the ones it shares", () => {
    const plan = {
      volumes: [{ name: 'clone', bytes: 2e9, exclusive: 4096 }],
      keptVolumes: [{ name: 'copy', bytes: 1000 }],
    } as unknown as CleanupPlan;
    assert.equal(reclaimableBytes(plan), 4096 + 1000);
  });

  test("the helper's parse of filefrag's figures, by folder; a folder with none is apparent only", () => {
    assert.deepEqual(readExclusive(['axi-size 1 8192 4096', 'noise', 'axi-size 0 0 0'], 3), [
      { allocated: 0, exclusive: 0 },
      { allocated: 8192, exclusive: 4096 },
      undefined,
    ]);
    assert.deepEqual(readExclusive(['axi-apparent-only'], 1), [undefined]);
  });

  test('measured on real files: on a file system without clones every block is its own', async () => {
    const a = path.join(dir, 'a');
    mkdirSync(path.join(a, 'sub'), { recursive: true });
    writeFileSync(path.join(a, 'sub', 'big'), Buffer.alloc(256 * 1024, 7));
    writeFileSync(path.join(a, 'small'), 'x');
    const [size] = await hostExclusiveSizes([a]);
    assert.ok(size, 'filefrag is on this machine');
    assert.ok(size.allocated >= 256 * 1024, `allocated ${size.allocated}`);
    assert.equal(size.exclusive, size.allocated);
    assert.deepEqual(tally(a), { entries: 3, bytes: 256 * 1024 + 1 });
  });
});
