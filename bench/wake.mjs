// Idle sleep's wake (issue 26): the first byte of a request to a sleeping AegisX instance, through the router,
// against the plain way in the same run: `axi up --wait`, then the same request to the running instance.
// Target: ≤ 1.2×. The router runs its idle check every 500 ms; the instance sleeps after 3 s unused.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { AXI, ROOT, median, report, run } from './lib.mjs';

const require = createRequire(import.meta.url);

const ROUNDS = 3;

async function axi(env, args) {
  const r = await run(process.execPath, [AXI, ...args], { env });
  if (r.code !== 0) throw new Error(`axi ${args.join(' ')}: ${r.stderr.trim()}`);
  return r;
}

/** Ms until the first byte of the answer (any status) to GET / for `host` through the router. */
function firstByte(port, host) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    http
      .get({ host: '127.0.0.1', port, path: '/', headers: { Host: host }, agent: false }, (res) => {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        res.resume();
        res.on('end', () => resolve({ ms, status: res.statusCode }));
      })
      .on('error', reject);
  });
}

async function statusOf(env, folder) {
  const list = JSON.parse((await axi(env, ['list', '--json'])).stdout);
  return list.find((i) => i.folder === folder)?.status;
}

async function until(what, ok, ms = 120_000) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200)))
    if (await ok()) return;
  throw new Error(`${what}: not after ${ms / 1000} s`);
}

export default async function bench() {
  // The router started and stopped as the tests do (`npm run bench` builds dist first).
  const { startRouterCli } = require(path.join(ROOT, 'dist', 'test', 'router', 'routerHelpers.js'));
  const { stopChild } = require(path.join(ROOT, 'dist', 'test', 'helpers.js'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'axi-bench-wake-'));
  const env = {
    ...process.env,
    AXI_HOME: path.join(dir, 'home'),
    AXI_PORT_REGISTRY: path.join(dir, 'aegisx-port-registry'),
    AXI_PREFIX: 'axibenchwake',
  };
  const folder = path.join(dir, 'work', 'aegisx-starter-wake');
  let router;
  let name;
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, '.aegisx-instances.yml'), 'idle: { main: 3s, worktrees: 3s }\n');
    name = JSON.parse((await axi(env, ['setup', folder, '--json'])).stdout).name;
    await axi(env, ['up', name, '--wait']);
    router = await startRouterCli({ ...env, AXI_RECHECK_MS: '500', AXI_WAKE_TIMEOUT: '300s' }, (d) =>
      process.stderr.write(d),
    );
    // pgadmin: the AegisX stack's one HTTP container (web and api are the app's own dev servers).
    const host = `pgadmin.${name}.aegisx-starter.localhost`;
    const plain = [];
    const woken = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Plain: stopped by hand, `axi up --wait`, then the request to the running instance.
      await axi(env, ['pin', name]); // nothing sleeps while the plain way is timed
      await axi(env, ['stop', name]);
      const t0 = process.hrtime.bigint();
      await axi(env, ['up', name, '--wait']);
      await firstByte(router.port, host);
      plain.push(Number(process.hrtime.bigint() - t0) / 1e6);
      await axi(env, ['unpin', name]);
      // Asleep: the same request wakes it, held until healthy.
      await until('asleep', async () => (await statusOf(env, folder)) === 'asleep');
      const w = await firstByte(router.port, host);
      if (w.status >= 500) throw new Error(`the wake answered ${w.status}`);
      woken.push(w.ms);
    }
    const ratio = median(woken) / median(plain);
    const ok = ratio <= 1.2;
    report('Wake: first byte from a sleeping AegisX instance vs axi up --wait + the same request', [
      ['plain (up --wait + request), median', `${(median(plain) / 1000).toFixed(2)} s`],
      ['asleep, woken by the request, median', `${(median(woken) / 1000).toFixed(2)} s`],
      ['ratio', `${ratio.toFixed(2)}× (target ≤ 1.2×) ${ok ? 'met' : 'MISSED'}`],
      ['rounds', String(ROUNDS)],
    ]);
    return { ok };
  } finally {
    await stopChild(router?.child);
    if (name) {
      await run(process.execPath, [AXI, 'down', name, '--volumes', '--yes'], { env });
      await run(process.execPath, [AXI, 'remove', name], { env });
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
