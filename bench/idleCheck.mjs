// Idle sleep's check: its CPU with 100 registered instances over 60 s, on the re-check's default 10 s timer (the
// app's and `axi serve`'s), against the issue's budget of 1% of one core. The real tick: registry records, each
// repository's `idle:` setting, /proc/net/tcp*, the decision; the overview stands in for the live status model.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT, registryOf, report } from './lib.mjs';

const require = createRequire(import.meta.url);

export default async function idleCheck({ seconds = 60, intervalMs = 10_000 } = {}) {
  const { IdleCheck } = require(path.join(ROOT, 'dist/main/api/controller/idleCheck.js'));
  const { instances, env } = registryOf(100, { stem: 'idle', basePort: 30000 });
  for (const i of instances) writeFileSync(path.join(i.folder, '.aegisx-instances.yml'), 'idle: 30m\n');
  const views = instances.map((i) => ({
    id: `aegisx-starter/${i.name}`,
    label: i.name,
    name: i.name,
    status: 'running',
  }));
  const idle = new IdleCheck({
    home: env.AXI_HOME,
    records: async () => instances,
    overview: async () => ({ instances: views }),
    busyOn: () => [],
    sleep: async () => undefined,
    stop: async () => undefined,
    start: async () => undefined,
    changed: () => undefined,
  });
  const ticks = [];
  const cpu0 = process.cpuUsage();
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const t0 = performance.now();
    await idle.tick();
    ticks.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const used = process.cpuUsage(cpu0);
  const percent = ((used.user + used.system) / 1000 / (seconds * 1000)) * 100;
  const sorted = [...ticks].sort((a, b) => a - b);
  const ok = percent <= 1;
  report('Idle check: 100 instances, one tick every 10 s, 60 s', [
    ['CPU of one core', `${percent.toFixed(3)}% (target ≤ 1%) ${ok ? 'met' : 'MISSED'}`],
    ['ticks', String(ticks.length)],
    [
      'one tick (median, max)',
      `${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, ${sorted.at(-1).toFixed(1)} ms`,
    ],
  ]);
  return { ok };
}

if (import.meta.url === `file://${process.argv[1]}`) await idleCheck();
