// Docker benchmarks, each against the seed's way in the same run:
//  - `axi list --json` with live status, 100 instances (5 running) vs one `docker ps --filter name=` per instance
//  - status latency: engine `die` event → status model change, p95 over 20 trials
//  - `axi up --wait` vs Compose's own wait (v2 `up -d --wait`; on v1, `up -d` then polling health as a script would)
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { AXI, median, nodeFloor, percentile, registryOf, report, run, shellLoop } from './lib.mjs';

const require = createRequire(import.meta.url);

function miniCompose(dir, project, port) {
  const file = path.join(dir, 'docker-compose.instance.yml');
  writeFileSync(
    file,
    `services:\n  redis:\n    image: redis:7-alpine\n    container_name: ${project}_redis\n    ports: ['${port}:6379']\n    healthcheck:\n      test: [CMD, redis-cli, ping]\n      interval: 1s\n      timeout: 3s\n      retries: 30\n`,
  );
  return file;
}

async function composeCli() {
  if ((await run('docker', ['compose', 'version'])).code === 0) return { cmd: 'docker', pre: ['compose'], v2: true };
  return { cmd: 'docker-compose', pre: [], v2: false };
}

async function listBench(cli) {
  const { env, instances } = registryOf(100);
  const running = instances.slice(0, 5);
  for (const i of running) {
    const file = miniCompose(i.folder, i.project, i.ports.redis);
    const r = await run(cli.cmd, [...cli.pre, '-p', i.project, '-f', file, 'up', '-d']);
    if (r.code !== 0) throw new Error(r.stderr);
  }
  try {
    const ours = [];
    const floor = await nodeFloor();
    for (let k = 0; k < 9; k++) {
      const r = await run(process.execPath, [AXI, 'list', '--json'], { env });
      if (r.code !== 0) throw new Error(r.stderr);
      const runningCount = JSON.parse(r.stdout).filter((x) => x.status === 'running').length;
      if (runningCount !== 5) throw new Error(`expected 5 running, saw ${runningCount}`);
      ours.push(r.ms);
    }
    const seed = [];
    const names = instances.map((i) => i.name);
    for (let k = 0; k < 3; k++) {
      const r = await shellLoop(
        `docker ps --filter "name=aegisx_$x" --format '{{.Names}}\t{{.Ports}}\t{{.Status}}'`,
        names,
      );
      if (r.code !== 0) throw new Error(r.stderr);
      seed.push(r.ms);
    }
    const a = median(ours);
    const s = median(seed);
    const over = a - floor;
    report('list with live status, 100 instances (5 running)', [
      ['axi list --json (median of 9, incl. node start)', `${a.toFixed(0)} ms`],
      ['node -e 0 (median of 9, same run)', `${floor.toFixed(0)} ms`],
      ['axi over node (target <= 50 ms)', `${over.toFixed(0)} ms ${over <= 50 ? 'OK' : 'MISSED'}`],
      ['seed: bash loop, docker ps --filter name= each', `${s.toFixed(0)} ms`],
      ['ratio (target >= 10x)', `${(s / a).toFixed(1)}x ${s / a >= 10 ? 'OK' : 'MISSED'}`],
    ]);
    return { ok: s / a >= 10 && over <= 50, running };
  } finally {
    for (const i of running)
      await run(cli.cmd, [
        ...cli.pre,
        '-p',
        i.project,
        '-f',
        path.join(i.folder, 'docker-compose.instance.yml'),
        'down',
        '-v',
      ]);
  }
}

async function latencyBench(cli) {
  const { createBackend } = require('../dist/main/docker/lifecycle/backend.js');
  const { env, instances } = registryOf(1);
  const inst = instances[0];
  const file = miniCompose(inst.folder, inst.project, inst.ports.redis);
  await run(cli.cmd, [...cli.pre, '-p', inst.project, '-f', file, 'up', '-d']);
  const backend = createBackend({ env });
  const model = backend.statusModel();
  await model.start();
  const { docker } = await backend.lifecycle.docker();
  const container = docker.getContainer(`${inst.project}_redis`);
  const samples = [];
  try {
    for (let k = 0; k < 20; k++) {
      const events = await docker.getEvents({
        filters: { type: ['container'], event: ['die'], container: [`${inst.project}_redis`] },
      });
      const dieAt = new Promise((resolve) =>
        events.on('data', (d) => resolve(Number(JSON.parse(String(d).split('\n')[0]).timeNano) / 1e6)),
      );
      const changed = new Promise((resolve) => {
        const on = () => {
          if (model.project(inst.project)?.some((c) => c.state === 'exited')) {
            model.off('change', on);
            resolve(Date.now());
          }
        };
        model.on('change', on);
      });
      await container.stop({ t: 0 });
      const [die, seen] = await Promise.all([dieAt, changed]);
      events.destroy();
      samples.push(seen - die);
      await container.start();
      await new Promise((r) => {
        const on = () =>
          model.project(inst.project)?.every((c) => c.state === 'running') && (model.off('change', on), r());
        model.on('change', on);
        on();
      });
    }
  } finally {
    model.stop();
    await run(cli.cmd, [...cli.pre, '-p', inst.project, '-f', file, 'down', '-v']);
  }
  const p95 = percentile(samples, 95);
  report('status latency: engine die event → status model change (20 trials)', [
    ['median', `${median(samples).toFixed(1)} ms`],
    ['p95 (target < 300 ms)', `${p95.toFixed(1)} ms ${p95 < 300 ? 'OK' : 'MISSED'}`],
  ]);
  return { ok: p95 < 300 };
}

async function upWaitBench(cli) {
  const { env, instances } = registryOf(1);
  const inst = instances[0];
  const file = miniCompose(inst.folder, inst.project, inst.ports.redis);
  // Register it for axi (the bench registry's records have no compose file of their own otherwise).
  const ours = [];
  const theirs = [];
  const down = () => run(cli.cmd, [...cli.pre, '-p', inst.project, '-f', file, 'down', '-v']);
  for (let k = 0; k < 5; k++) {
    await down();
    const a = await run(process.execPath, [AXI, 'up', inst.name, '--wait'], { env });
    if (a.code !== 0) throw new Error(a.stderr);
    ours.push(a.ms);
    await down();
    const t0 = process.hrtime.bigint();
    if (cli.v2) {
      await run(cli.cmd, [...cli.pre, '-p', inst.project, '-f', file, 'up', '-d', '--wait']);
    } else {
      await run(cli.cmd, [...cli.pre, '-p', inst.project, '-f', file, 'up', '-d']);
      for (;;) {
        const r = await run('docker', ['inspect', '-f', '{{.State.Health.Status}}', `${inst.project}_redis`]);
        if (r.stdout.trim() === 'healthy') break;
        await new Promise((res) => setTimeout(res, 100));
      }
    }
    theirs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  await down();
  const a = median(ours);
  const t = median(theirs);
  report(
    `up --wait vs ${cli.v2 ? 'docker compose up -d --wait' : 'docker-compose up -d + health polling every 100 ms (v1 has no --wait)'}`,
    [
      ['axi up --wait (median of 5, incl. node start)', `${a.toFixed(0)} ms`],
      ['compose', `${t.toFixed(0)} ms`],
      ['ratio (target <= 1.1x)', `${(a / t).toFixed(2)}x ${a / t <= 1.1 ? 'OK' : 'MISSED'}`],
    ],
  );
  return { ok: a / t <= 1.1 };
}

export default async function bench() {
  const cli = await composeCli();
  const results = [await listBench(cli), await latencyBench(cli), await upWaitBench(cli)];
  return { ok: results.every((r) => r.ok) };
}
