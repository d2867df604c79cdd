import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../main/shared/schemas/settings';
import { describe, test } from 'node:test';
import { planToken, statsHandlers, type WindowCleanup } from '../../main/api/handlers/statsHandlers';
import { StatsSampler, type UsageSource } from '../../main/api/overview/statsSampler';
import type { CleanupItemView, InstanceView, Overview, StatsView } from '../../main/shared/api/table';
import type { CpuReading, InstanceUsage } from '../../main/core/util/stats';
import { setupTray, type TrayIcon } from '../../main/electron/tray';
import { trayTooltip, type TrayActions } from '../../main/electron/trayMenu';

const GiB = 1024 ** 3;

/** A Docker side that records what it was asked. */
function fakeSource(memoryBytes = GiB) {
  const calls: { previous: ReadonlyMap<string, CpuReading>; disk: boolean }[] = [];
  let reclaimCalls = 0;
  const source: UsageSource = {
    read: (previous, disk) => {
      calls.push({ previous, disk });
      const usage = new Map<string, InstanceUsage>([
        ['aegisx/a', { cpuPercent: 1.5, memoryBytes, diskBytes: 100, volumes: [] }],
        ['aegisx/b', { cpuPercent: null, memoryBytes: null, diskBytes: 50, volumes: [] }],
      ]);
      return Promise.resolve({
        usage,
        readings: new Map([[`c${calls.length}`, { total: 1, system: 2, online: 1, at: 3 }]]),
      });
    },
    reclaimable: () => Promise.resolve((reclaimCalls++, 4096)),
  };
  return { source, calls, reclaims: () => reclaimCalls };
}

describe('the stats sampler: only when asked', () => {
  test('no timers: nothing is read until asked, however long it waits', async () => {
    const f = fakeSource();
    new StatsSampler({ source: f.source });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(f.calls.length, 0);
  });

  test('concurrent asks share one sample; a fresh one is reused; CPU compares with the previous readings', async () => {
    let now = 1_000_000;
    const f = fakeSource();
    const s = new StatsSampler({ source: f.source, now: () => now, minIntervalMs: 2_000, diskEveryMs: 30_000 });
    const [a, b] = await Promise.all([s.sample(), s.sample()]);
    assert.equal(a, b);
    assert.equal(f.calls.length, 1);
    assert.deepEqual(a.total, { cpuPercent: 1.5, memoryBytes: GiB, diskBytes: 150, running: 1 });
    assert.deepEqual(a.instances['aegisx/b'], { cpuPercent: null, memoryBytes: null, diskBytes: 50 });
    assert.equal(a.reclaimableBytes, 4096);
    now += 1_000;
    assert.equal(await s.sample(), a, 'within the minimum interval');
    now += 5_000;
    await s.sample();
    assert.equal(f.calls.length, 2);
    assert.deepEqual([...f.calls[1]!.previous.keys()], ['c1'], "the first sample's readings");
  });

  test('volume sizes (and reclaimable disk) re-read at most every diskEveryMs, or after invalidateDisk', async () => {
    let now = 0;
    const f = fakeSource();
    const s = new StatsSampler({ source: f.source, now: () => now, minIntervalMs: 0, diskEveryMs: 30_000 });
    for (let k = 0; k < 4; k++) {
      await s.sample();
      now += 10_000;
    }
    assert.deepEqual(
      f.calls.map((c) => c.disk),
      [true, false, false, true],
    );
    assert.equal(f.reclaims(), 2);
    s.invalidateDisk();
    await s.sample();
    assert.equal(f.calls.at(-1)!.disk, true);
  });
});

describe('the stats sampler: a new instance is sized at once', () => {
  test('an instance started since the last disk report is sized by the next sample, once; not 30 s later', async () => {
    let now = 0;
    let running = false;
    const disk: boolean[] = [];
    const source: UsageSource = {
      read: (_previous, d) => {
        disk.push(d);
        // Its volumes come with its start; a report read before that has no size for it.
        const u: InstanceUsage = running
          ? { cpuPercent: 2, memoryBytes: GiB, diskBytes: null, volumes: [] }
          : { cpuPercent: null, memoryBytes: null, diskBytes: null, volumes: [] };
        return Promise.resolve({ usage: new Map([['aegisx/new', u]]), readings: new Map() });
      },
      reclaimable: () => Promise.resolve(0),
    };
    const s = new StatsSampler({ source, now: () => now, minIntervalMs: 0, diskEveryMs: 30_000 });
    await s.sample(); // window opened: not started yet
    running = true;
    for (let k = 0; k < 4; k++) {
      now += 3_000;
      await s.sample();
    }
    // Sized on the sample after it was first seen running; an instance with no volume at all is not asked again.
    assert.deepEqual(disk, [true, false, true, false, false]);
  });
});

describe('cleanup from the window: dry run, then exactly that list', () => {
  const items: CleanupItemView[] = [
    { kind: 'volume', name: 'axitest_old_postgres_data', detail: null, bytes: 1000 },
    { kind: 'registration', name: 'old', detail: '/gone', bytes: null },
  ];
  function harness(current: () => CleanupItemView[]) {
    const applied: string[][] = [];
    let invalidated = 0;
    const h = statsHandlers({
      sampler: { sample: () => Promise.reject(new Error('unused')), invalidateDisk: () => void invalidated++ },
      planCleanup: (): Promise<WindowCleanup> => {
        const list = current();
        const apply = () => Promise.resolve(void applied.push(list.map((i) => i.name)));
        return Promise.resolve({ items: list, reclaimableBytes: 1000, apply });
      },
      changed: () => Promise.resolve(),
    });
    return { h, applied, invalidated: () => invalidated };
  }

  test('the dry run removes nothing; its token applies it', async () => {
    const x = harness(() => items);
    const plan = await x.h.planCleanup();
    assert.deepEqual(plan.items, items);
    assert.equal(plan.reclaimableBytes, 1000);
    assert.deepEqual(x.applied, []);
    const r = await x.h.applyCleanup({ token: plan.token });
    assert.deepEqual(x.applied, [['axitest_old_postgres_data', 'old']]);
    assert.deepEqual([r.removed.length, r.reclaimedBytes, x.invalidated()], [2, 1000, 1]);
  });

  test('a list that changed since the dry run (another orphaned volume) is refused and nothing is removed', async () => {
    let list = items;
    const x = harness(() => list);
    const plan = await x.h.planCleanup();
    list = [...items, { kind: 'volume', name: 'axitest_new_postgres_data', detail: null, bytes: 5 }];
    await assert.rejects(x.h.applyCleanup({ token: plan.token }), /changed since the dry run/);
    await assert.rejects(x.h.applyCleanup({ token: 'f'.repeat(64) }), /changed since the dry run/);
    assert.deepEqual(x.applied, []);
  });

  test('the token names the list, in any order, not the sizes (a running database grows)', () => {
    const grown = items.map((i) => ({ ...i, bytes: i.bytes && i.bytes * 2 }));
    assert.equal(planToken(items), planToken([...grown].reverse()));
    assert.notEqual(planToken(items), planToken(items.slice(1)));
  });
});

describe("the tray's tooltip: running instances and total memory of the last sample", () => {
  const inst = (name: string, status: InstanceView['status']) =>
    ({ status, name, id: name, label: name, services: {}, urls: {}, ports: {} }) as unknown as InstanceView;
  const ov = (instances: InstanceView[]): Overview => ({
    engine: 'connected',
    engines: [],
    instances,
    conflicts: [],
    refreshError: null,
  });
  const stats = (at: number, memoryBytes: number): StatsView => ({
    at: new Date(at).toISOString(),
    instances: {},
    total: { cpuPercent: 0, memoryBytes, diskBytes: 0, running: 1 },
    reclaimableBytes: 0,
  });
  const at = new Date(2025, 0, 1, 14, 2).getTime();

  test('memory from the sample; an old sample says when; none when nothing runs', () => {
    const two = ov([inst('a', 'running'), inst('b', 'stopped')]);
    assert.equal(
      trayTooltip(two, stats(at, 1.2 * GiB), at + 5_000),
      'AegisX Instances: 1 of 2 running · 1.2 GiB memory',
    );
    assert.equal(
      trayTooltip(two, stats(at, 1.2 * GiB), at + 10 * 60_000),
      'AegisX Instances: 1 of 2 running · 1.2 GiB memory at 14:02',
    );
    assert.equal(trayTooltip(ov([inst('b', 'stopped')]), stats(at, GiB), at), 'AegisX Instances: 0 of 1 running');
    assert.equal(trayTooltip(two, undefined, at), 'AegisX Instances: 1 of 2 running');
  });

  test('opening the menu takes one sample and the tooltip shows it; nothing is sampled otherwise', async () => {
    const f = fakeSource(2 * GiB);
    const stats = new StatsSampler({ source: f.source });
    let tooltip = '';
    let menuOpen: (() => void) | undefined;
    let push: ((o: Overview) => void) | undefined;
    const icon: TrayIcon = {
      setIcon: () => undefined,
      setToolTip: (t) => (tooltip = t),
      setMenu: () => undefined,
      onClick: () => undefined,
      onMenuOpen: (l) => (menuOpen = l),
      destroy: () => undefined,
    };
    setupTray({
      actions: {} as TrayActions,
      iconsDir: '/icons',
      platform: 'linux',
      createTray: () => icon,
      controller: {
        on: ((e: string, l: (o: Overview) => void) => {
          if (e === 'overview') push = l;
          return () => undefined;
        }) as never,
        stats,
      },
      settings: DEFAULT_SETTINGS,
    });
    push!(ov([inst('a', 'running')]));
    assert.equal(tooltip, 'AegisX Instances: 1 of 1 running');
    assert.equal(f.calls.length, 0);
    menuOpen!();
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(f.calls.length, 1);
    assert.equal(tooltip, 'AegisX Instances: 1 of 1 running · 2.0 GiB memory');
  });
});
