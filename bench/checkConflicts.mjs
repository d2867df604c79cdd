// axi check-conflicts over 100 registered instances vs the seed's way (a bash loop of `lsof -i :PORT`, one per port).
import { AXI, median, nodeFloor, registryOf, report, run, shellLoop } from './lib.mjs';

export default async function bench() {
  const { env, instances } = registryOf(100);
  const ports = instances.flatMap((i) => Object.values(i.ports));
  await run(process.execPath, [AXI, 'check-conflicts', '--json'], { env }); // warm the page cache
  const ours = [];
  const floor = await nodeFloor();
  for (let i = 0; i < 9; i++) {
    const r = await run(process.execPath, [AXI, 'check-conflicts', '--json'], { env });
    if (r.code !== 0) throw new Error(`axi check-conflicts failed: ${r.stderr}`);
    ours.push(r.ms);
  }
  const seed = (await shellLoop('lsof -i ":$x"', ports.map(String))).ms;
  const axi = median(ours);
  const ratio = seed / axi;
  const over = axi - floor;
  report('check-conflicts, 100 instances (600 ports)', [
    ['axi check-conflicts --json (median of 9, incl. node start)', `${axi.toFixed(0)} ms`],
    ['node -e 0 (median of 9, same run)', `${floor.toFixed(0)} ms`],
    ['axi over node (target <= 60 ms)', `${over.toFixed(0)} ms ${over <= 60 ? 'OK' : 'MISSED'}`],
    ['seed: bash loop, lsof -i :PORT each', `${seed.toFixed(0)} ms`],
    ['ratio (target >= 10x)', `${ratio.toFixed(1)}x ${ratio >= 10 ? 'OK' : 'MISSED'}`],
  ]);
  return { ok: ratio >= 10 && over <= 60 };
}
