// Idle sleep's memory (issue 26): 10 AegisX instances, 2 in use (a psql session each) and 8 idle past their
// time. The engine's memory (the sum of the containers' `docker stats` memory) with all ten running, then after
// the idle check put the idle ones to sleep, in one run. Target: ≤ 30% of all ten running.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AXI, report, run } from './lib.mjs';

const COUNT = 10;
const IN_USE = 2;
const UNIT = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, kB: 1e3, MB: 1e6, GB: 1e9 };

async function axi(env, args) {
  const r = await run(process.execPath, [AXI, ...args], { env });
  if (r.code !== 0) throw new Error(`axi ${args.join(' ')}: ${r.stderr.trim()}`);
  return r;
}

/** The sum of `docker stats` memory of the containers of these Compose projects, in MiB. */
async function engineMemory(projects) {
  const r = await run('docker', ['stats', '--no-stream', '--format', '{{.Name}}\t{{.MemUsage}}']);
  let bytes = 0;
  for (const line of r.stdout.split('\n')) {
    const [name, usage] = line.split('\t');
    if (!name || !projects.some((p) => name.startsWith(`${p}_`) || name.startsWith(`${p}-`))) continue;
    const m = /^([\d.]+)\s*([A-Za-z]+)/.exec(usage ?? '');
    if (m) bytes += Number(m[1]) * (UNIT[m[2]] ?? 1);
  }
  return bytes / 1024 ** 2;
}

async function until(what, ok, ms = 180_000) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 500)))
    if (await ok()) return;
  throw new Error(`${what}: not after ${ms / 1000} s`);
}

function startRouter(env) {
  const child = spawn(process.execPath, [AXI, 'router', '--port', '0'], {
    env: { ...env, AXI_RECHECK_MS: '1000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (/Router on 127\.0\.0\.1:(\d+)/.test(out)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`axi router exited ${code}: ${out}`)));
  });
}

/** A psql session left at its prompt: someone using the instance. */
function session(port) {
  const c = spawn('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'aegisx_db'], {
    env: { ...process.env, PGPASSWORD: 'postgres' },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    c.stdout.on('data', (d) => (out += d).includes('connected') && resolve(c));
    c.once('exit', () => reject(new Error(`psql on ${port} ended: ${out}`)));
    c.stdin.write("select 'connected';\n");
  });
}

export default async function bench() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'axi-bench-mem-'));
  const env = {
    ...process.env,
    AXI_HOME: path.join(dir, 'home'),
    AXI_PORT_REGISTRY: path.join(dir, 'aegisx-port-registry'),
    AXI_PREFIX: 'axibenchmem',
  };
  const made = [];
  const sessions = [];
  let router;
  try {
    for (let i = 0; i < COUNT; i++) {
      const folder = path.join(dir, 'work', `aegisx-starter-mem${i}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, '.aegisx-instances.yml'), 'idle: { main: 5s, worktrees: 5s }\n');
      made.push({ folder, ...JSON.parse((await axi(env, ['setup', folder, '--json'])).stdout) });
    }
    for (const m of made) await axi(env, ['up', m.name, '--wait']);
    const projects = made.map((m) => m.project);
    await new Promise((r) => setTimeout(r, 5000)); // settled after their start
    const all = await engineMemory(projects);
    for (const m of made.slice(0, IN_USE)) sessions.push(await session(m.ports.postgres));
    router = await startRouter(env);
    const asleep = async () => {
      const list = JSON.parse((await axi(env, ['list', '--json'])).stdout);
      return list.filter((i) => i.status === 'asleep').length;
    };
    await until(`${COUNT - IN_USE} asleep`, async () => (await asleep()) === COUNT - IN_USE);
    await new Promise((r) => setTimeout(r, 3000)); // as long again: the two in use stay up
    const slept = await asleep();
    const after = await engineMemory(projects);
    const ratio = after / all;
    const ok = ratio <= 0.3 && slept === COUNT - IN_USE;
    report(`Idle sleep: engine memory, ${COUNT} AegisX instances, ${IN_USE} in use, the rest idle`, [
      ['all ten running', `${all.toFixed(0)} MiB`],
      [`${COUNT - IN_USE} asleep, ${IN_USE} in use`, `${after.toFixed(0)} MiB (${slept} asleep)`],
      ['ratio', `${(ratio * 100).toFixed(0)}% (target ≤ 30%) ${ok ? 'met' : 'MISSED'}`],
    ]);
    return { ok };
  } finally {
    for (const s of sessions) s.kill('SIGTERM');
    if (router) {
      const exited = new Promise((r) => router.once('exit', r));
      router.kill('SIGTERM');
      await exited;
    }
    for (const m of made) {
      await run(process.execPath, [AXI, 'down', m.name, '--volumes', '--yes'], { env });
      await run(process.execPath, [AXI, 'remove', m.name], { env });
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
