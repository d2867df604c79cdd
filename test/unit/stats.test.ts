import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  cpuPercent,
  instanceUsage,
  memoryUsed,
  parseDockerStats,
  readingAtStart,
  usageTotal,
  type CpuReading,
} from '../../main/core/util/stats';
import { formatBytes, formatPercent, usageLine } from '../../main/shared/display/units';

/** What Docker 20.10 answers for a Redis container on cgroup v1 (`stats?stream=false&one-shot=true`), trimmed. */
const V1_SAMPLE = {
  read: '2025-01-01T10:00:00.5Z',
  cpu_stats: {
    cpu_usage: { total_usage: 105663947, percpu_usage: [37978208, 67685739] },
    system_cpu_usage: 108916200000000,
    online_cpus: 2,
  },
  precpu_stats: { cpu_usage: { total_usage: 0 } },
  memory_stats: {
    usage: 21524480,
    stats: { cache: 17747968, total_inactive_file: 17723392, inactive_file: 17723392, rss: 2777088 },
    limit: 25276026880,
  },
};

const reading = (total: number, system: number, online = 2, at = 0): CpuReading => ({ total, system, online, at });

describe("Docker's formulas", () => {
  test('CPU %: container CPU time over host CPU time between two readings, times the online CPUs', () => {
    // Half a second of CPU over one second on a 2-CPU host (2 s of host CPU time): 50% of one core.
    assert.equal(cpuPercent(reading(1e9, 100e9), reading(1.5e9, 102e9)), 50);
    // Two busy cores show as 200%, as `docker stats` shows them.
    assert.equal(cpuPercent(reading(0, 100e9), reading(2e9, 102e9)), 200);
    assert.equal(cpuPercent(undefined, reading(1, 1)), null, 'no earlier reading');
    assert.equal(cpuPercent(reading(1, 5), reading(2, 5)), null, 'no host time passed');
    assert.equal(cpuPercent(reading(5e9, 100e9), reading(1e9, 102e9)), null, 'restarted: its counter went back');
  });

  test('CPU % since the start: the host counter online × elapsed lower, no container time yet', () => {
    const cur = reading(3e9, 1000e9, 2, 60_000);
    const start = readingAtStart(cur, 0)!;
    assert.equal(start.system, 1000e9 - 60e9 * 2);
    assert.equal(cpuPercent(start, cur), 5); // 3 s of CPU over a minute
    assert.equal(readingAtStart(cur, 60_000), undefined);
    assert.equal(readingAtStart(cur, NaN), undefined);
  });

  test('memory: usage minus the cache the kernel can drop (v1 total_inactive_file, v2 inactive_file, else cache)', () => {
    const v1 = parseDockerStats(V1_SAMPLE);
    assert.equal(memoryUsed(v1.memory), 21524480 - 17723392);
    assert.equal(memoryUsed({ usage: 50_000_000, stats: { inactive_file: 20_000_000, anon: 30_000_000 } }), 30_000_000);
    assert.equal(memoryUsed({ usage: 10_000, stats: { cache: 4_000 } }), 6_000);
    assert.equal(memoryUsed({ usage: 10_000, stats: { cache: 40_000 } }), 10_000, 'a cache above usage is ignored');
    assert.equal(memoryUsed({}), null);
  });

  test('a sample read from the engine; a stopped container gives nothing to measure', () => {
    const s = parseDockerStats(V1_SAMPLE);
    assert.deepEqual(s.cpu, {
      total: 105663947,
      system: 108916200000000,
      online: 2,
      at: Date.parse('2025-01-01T10:00:00.5Z'),
    });
    const stopped = parseDockerStats({ read: '0001-01-01T00:00:00Z', name: '/x', id: 'x' }, 7);
    assert.equal(stopped.cpu, null);
    assert.equal(memoryUsed(stopped.memory), null);
    // Without online_cpus (older engines) the per-CPU list says how many.
    const noOnline = { ...V1_SAMPLE.cpu_stats, online_cpus: undefined };
    assert.equal(parseDockerStats({ ...V1_SAMPLE, cpu_stats: noOnline }).cpu!.online, 2);
  });
});

describe('per-instance cost', () => {
  const instances = [
    { id: 'aegisx/a', project: 'aegisx_a', volumes: ['a_postgres_data', 'a_redis_data'] },
    { id: 'aegisx/b', project: 'aegisx_b', volumes: ['b_postgres_data'] },
    { id: 'shop/c', project: 'shop_c', volumes: [] },
    { id: 'aegisx/d', project: 'aegisx_d', volumes: ['d_postgres_data'] },
  ];
  const containers = [
    { id: 'a1', project: 'aegisx_a', running: true },
    { id: 'a2', project: 'aegisx_a', running: true },
    { id: 'b1', project: 'aegisx_b', running: false },
    { id: 'x1', project: 'other', running: true },
  ];
  const samples = new Map([
    ['a1', { cpuPercent: 1.5, memoryBytes: 100 }],
    ['a2', { cpuPercent: 0.5, memoryBytes: 50 }],
    ['x1', { cpuPercent: 99, memoryBytes: 1e9 }],
  ]);
  const volumes = [
    { name: 'a_postgres_data', bytes: 1000 },
    { name: 'a_redis_data', bytes: 24 },
    { name: 'b_postgres_data', bytes: 4096 },
    { name: 'shop_c_db', project: 'shop_c', bytes: 7 },
    { name: 'shop_c_cache', project: 'shop_c', bytes: null },
    { name: 'unrelated', bytes: 1e12 },
  ];
  const usage = instanceUsage({ instances, containers, samples, volumes });

  test('a running instance: CPU and memory summed over its containers, disk over its volumes', () => {
    assert.deepEqual(usage.get('aegisx/a'), {
      cpuPercent: 2,
      memoryBytes: 150,
      diskBytes: 1024,
      volumes: [
        { name: 'a_postgres_data', bytes: 1000 },
        { name: 'a_redis_data', bytes: 24 },
      ],
    });
  });

  test('a stopped instance has disk but no CPU or memory; one never started has neither', () => {
    const b = usage.get('aegisx/b')!;
    assert.deepEqual([b.cpuPercent, b.memoryBytes, b.diskBytes], [null, null, 4096]);
    const d = usage.get('aegisx/d')!;
    assert.deepEqual([d.cpuPercent, d.memoryBytes, d.diskBytes], [null, null, null]);
  });

  test("a --from stack's volumes by Compose's project label; a size the engine did not give is not counted", () => {
    const c = usage.get('shop/c')!;
    assert.equal(c.diskBytes, 7);
    assert.deepEqual(
      c.volumes.map((v) => v.name),
      ['shop_c_cache', 'shop_c_db'],
    );
  });

  test('the total over every instance; nothing else on the engine is counted', () => {
    assert.deepEqual(usageTotal(usage.values()), {
      cpuPercent: 2,
      memoryBytes: 150,
      diskBytes: 1024 + 4096 + 7,
      running: 1,
    });
  });
});

describe('human numbers, written once for the CLI, the window and the tray', () => {
  test('bytes in binary units, three significant digits', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(12 * 1024 ** 2), '12 MiB');
    assert.equal(formatBytes(1.2 * 1024 ** 3), '1.2 GiB');
    assert.equal(formatBytes(1023.9 * 1024 ** 2), '1.00 GiB');
    assert.equal(formatBytes(null), '-');
    assert.equal(formatBytes(-1), '-');
  });

  test('percent with one decimal; the line a card and `axi status` show', () => {
    assert.equal(formatPercent(3.44), '3.4%');
    assert.equal(formatPercent(0), '0.0%');
    assert.equal(formatPercent(150.4), '150%');
    assert.equal(formatPercent(null), '-');
    assert.equal(
      usageLine({ cpuPercent: 3.4, memoryBytes: 120 * 1024 ** 2, diskBytes: 48 * 1024 ** 2 }),
      'CPU 3.4% · memory 120 MiB · disk 48 MiB',
    );
    assert.equal(
      usageLine({ cpuPercent: null, memoryBytes: null, diskBytes: 2048 }),
      'disk 2.0 KiB',
      'a stopped instance shows its disk only, not dashes for CPU and memory',
    );
  });
});
