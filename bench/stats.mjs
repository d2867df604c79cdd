// `axi list --stats` with 10 running instances vs `docker stats --no-stream` on the same containers, in the
// same run. Target: ours <= 0.5x theirs. Each command starts with the engine's stats collector idle (a pause
// of 1.5 s before each), so neither waits out the other's collection cycle.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AXI, median, registryOf, report, run } from './lib.mjs';

const COUNT = 10;
const RUNS = 5;
const pause = () => new Promise((r) => setTimeout(r, 1500));

/** One stand-in Redis with a named volume: something running, and something on disk. */
function tinyCompose(dir, project, port) {
  const file = path.join(dir, 'docker-compose.instance.yml');
  writeFileSync(
    file,
    `services:\n  redis:\n    image: redis:7-alpine\n    container_name: ${project}_redis\n    ports: ['127.0.0.1:${port}:6379']\n    volumes: ['data:/data']\nvolumes:\n  data: {}\n`,
  );
  return file;
}

async function composeCli() {
  if ((await run('docker', ['compose', 'version'])).code === 0) return { cmd: 'docker', pre: ['compose'] };
  return { cmd: 'docker-compose', pre: [] };
}

async function measure(env, names) {
  const ours = [];
  const theirs = [];
  const plain = [];
  for (let k = 0; k < RUNS; k++) {
    await pause();
    plain.push((await run(process.execPath, [AXI, 'list', '--json'], { env })).ms);
    await pause();
    const a = await run(process.execPath, [AXI, 'list', '--stats', '--json'], { env });
    if (a.code !== 0) throw new Error(a.stderr);
    const measured = JSON.parse(a.stdout).filter((i) => i.status === 'running' && i.stats.memoryBytes > 0);
    if (measured.length !== COUNT) throw new Error(`expected ${COUNT} running with memory, saw ${measured.length}`);
    ours.push(a.ms);
    await pause();
    const d = await run('docker', ['stats', '--no-stream', ...names]);
    if (d.code !== 0) throw new Error(d.stderr);
    theirs.push(d.ms);
  }
  return { ours: median(ours), theirs: median(theirs), plain: median(plain) };
}

export default async function bench() {
  const cli = await composeCli();
  const { env, instances, dir } = registryOf(COUNT, { stem: `statbench${process.pid % 1000}x`, basePort: 23000 });
  const compose = (i, ...args) =>
    run(cli.cmd, [...cli.pre, '-p', i.project, '-f', path.join(i.folder, 'docker-compose.instance.yml'), ...args]);
  try {
    await Promise.all(
      instances.map(async (i) => {
        tinyCompose(i.folder, i.project, i.ports.redis);
        const r = await compose(i, 'up', '-d');
        if (r.code !== 0) throw new Error(r.stderr);
      }),
    );
    const { ours, theirs, plain } = await measure(
      env,
      instances.map((i) => `${i.project}_redis`),
    );
    const ratio = ours / theirs;
    report(`CPU, memory and disk, ${COUNT} running instances`, [
      [`axi list --stats --json (median of ${RUNS}, incl. node start)`, `${ours.toFixed(0)} ms`],
      ['docker stats --no-stream (same containers)', `${theirs.toFixed(0)} ms`],
      ['for scale: axi list --json, no stats', `${plain.toFixed(0)} ms`],
      ['ratio (target <= 0.5x)', `${ratio.toFixed(2)}x ${ratio <= 0.5 ? 'PASS' : 'FAIL'}`],
    ]);
    return { ok: ratio <= 0.5 };
  } finally {
    await Promise.all(instances.map((i) => compose(i, 'down', '-v')));
    rmSync(dir, { recursive: true, force: true });
  }
}
