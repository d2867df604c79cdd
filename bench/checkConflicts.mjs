// axi check-conflicts over 100 registered instances vs the seed's way (one `lsof -i :PORT` per registered port).
import { AXI, median, registryOf, report, run } from './lib.mjs';

export default async function bench() {
  const { env, instances } = registryOf(100);
  const ports = instances.flatMap((i) => Object.values(i.ports));
  await run(process.execPath, [AXI, 'check-conflicts', '--json'], { env }); // warm the page cache
  const ours = [];
  for (let i = 0; i < 7; i++) {
    const r = await run(process.execPath, [AXI, 'check-conflicts', '--json'], { env });
    if (r.code !== 0) throw new Error(`axi check-conflicts failed: ${r.stderr}`);
    ours.push(r.ms);
  }
  const t0 = process.hrtime.bigint();
  for (const port of ports) await run('lsof', ['-i', `:${port}`]);
  const seed = Number(process.hrtime.bigint() - t0) / 1e6;
  const axi = median(ours);
  const ratio = seed / axi;
  report('check-conflicts, 100 instances (600 ports)', [
    ['axi check-conflicts --json (median of 7, incl. node start)', `${axi.toFixed(0)} ms`],
    ['seed: lsof -i :PORT per registered port', `${seed.toFixed(0)} ms`],
    ['ratio (target >= 10x)', `${ratio.toFixed(1)}x ${ratio >= 10 ? 'OK' : 'MISSED'}`],
    ['absolute (target < 250 ms)', axi < 250 ? 'OK' : 'MISSED'],
  ]);
  return { ok: ratio >= 10 && axi < 250 };
}
