// Remote-engine benchmarks (issue 11), each against the way a user would do it by hand, in the same run, on
// the test harness's second engine (dockerd in the network namespace `axiremote`, at 10.231.0.2):
//  - allocation: what `axi setup DIR --engine tcp://…` takes over the same setup on the local engine (the
//    ports probed by one host-network container there) vs `docker -H … run --rm --network host IMAGE true`
//    of the probe's image (<= 2x)
//  - `axi list --json` with one remote engine vs local-only `list` + one `GET /_ping` round trip to it
//  - `axi tunnel` vs `ssh -N -L` opened by hand: psql `SELECT 1` round trips through each (within 1 ms)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AXI, median, registryOf, report, run } from './lib.mjs';

const require = createRequire(import.meta.url);
const IMAGES = ['postgres:15-alpine', 'redis:7-alpine', 'dpage/pgadmin4:latest'];
const PROBE_IMAGE = 'postgres:15-alpine'; // enginePorts.ts runs the probe with it first (on any engine that ran one)
const ms = (x) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;

async function must(cmd, args, env) {
  const r = await run(cmd, args, { env });
  if (r.code !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')}: ${r.stderr.trim()}`);
  return r;
}

const axi = (env, args) => must(process.execPath, [AXI, ...args], env);

/** A private AXI_HOME and workspace; remote containers and volumes are named after AXI_PREFIX and AXI_OWNER. */
function sandbox() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'axi-bench-remote-'));
  const env = {
    ...process.env,
    AXI_HOME: path.join(dir, 'home'),
    AXI_PORT_REGISTRY: path.join(dir, 'aegisx-port-registry'),
    AXI_PREFIX: 'axibenchr',
    AXI_OWNER: 'bench',
    FOLDER_NAME: '',
  };
  const folder = (name) => {
    const p = path.join(dir, 'work', name);
    mkdirSync(p, { recursive: true });
    return p;
  };
  return { dir, env, folder, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Whether 10.231.0.2 goes through the harness's veth (axir0). Without it (a half torn-down namespace) the
 * address is routed off this machine, where something else may answer: nothing is sent there then.
 */
async function routedToNamespace(addr) {
  const r = await run('ip', ['-o', 'route', 'get', addr]).catch(() => undefined); // no `ip`: not routed
  return r?.code === 0 && /\bdev axir0\b/.test(r.stdout);
}

/** The namespace engine, and whether this run made it (then it alone tears it down), or why it cannot be. */
async function namespaceEngine(harness) {
  const before = await routedToNamespace(harness.REMOTE_ADDR);
  // Not routed: clear any leftover half first, so that the harness makes it anew before it asks the address.
  if (!before) await harness.teardownRemote();
  const r = await harness.startRemoteEngine(IMAGES);
  if (!r.engine) return { skip: r.skip };
  if (!(await routedToNamespace(harness.REMOTE_ADDR))) {
    if (!before) await harness.teardownRemote();
    return { skip: `${harness.REMOTE_ADDR} is not routed through the namespace's veth` };
  }
  return { engine: r.engine, started: !before };
}

/** One `axi setup` on a fresh folder (engine: none for the local one), registration removed after. */
async function setupOnce(sb, name, engineArgs) {
  const r = await axi(sb.env, ['setup', sb.folder(`aegisx-starter-${name}`), ...engineArgs, '--json']);
  await axi(sb.env, ['remove', JSON.parse(r.stdout).name]); // the next run allocates from scratch again
  return r.ms;
}

/**
 * `axi setup` on a fresh folder for the remote engine vs a bare `docker run --rm --network host` there, taking
 * turns. The same setup on the local engine is printed beside them: what setup costs without the probe.
 */
async function allocationBench(engine) {
  const sb = sandbox();
  const bare = ['-H', engine.host, 'run', '--rm', '--network', 'host', PROBE_IMAGE, 'true'];
  const [ours, theirs, local] = [[], [], []];
  try {
    for (let k = 0; k < 10; k++) {
      const a = await setupOnce(sb, `alloc${k}`, ['--engine', engine.host]);
      const d = (await must('docker', bare)).ms;
      const l = await setupOnce(sb, `here${k}`, []);
      if (k === 0) continue; // the warm-up
      ours.push(a);
      theirs.push(d);
      local.push(l);
    }
  } finally {
    sb.cleanup();
  }
  // The allocation is what the remote engine adds to setup: its probe (a container run there). The whole
  // command also starts node and writes the files, which a local setup does as well.
  const [a, d, l] = [median(ours), median(theirs), median(local)];
  const alloc = a - l;
  report('remote allocation: the probe inside axi setup vs docker run --rm --network host there (median of 9)', [
    ['axi setup DIR --engine tcp://10.231.0.2:2375', ms(a)],
    ['axi setup DIR on the local engine', ms(l)],
    ['the remote allocation: the difference', ms(alloc)],
    ['docker -H … run --rm --network host IMAGE true', `${ms(d)} (${PROBE_IMAGE})`],
    ['ratio (target <= 2x)', `${(alloc / d).toFixed(2)}x ${alloc / d <= 2 ? 'OK' : 'MISSED'}`],
    ['for scale: the whole remote setup over docker run', `${(a / d).toFixed(2)}x`],
  ]);
  return { ok: alloc / d <= 2 };
}

/** One `GET /_ping` on a fresh connection (as each `axi list` opens one), in ms. */
function ping(addr) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.get({ host: addr, port: 2375, path: '/_ping', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(Number(process.hrtime.bigint() - t0) / 1e6));
    });
    req.setTimeout(5000, () => req.destroy(new Error(`no answer from ${addr}:2375`)));
    req.on('error', reject);
  });
}

/** 20 local instances alone vs the same 20 plus 3 on the remote engine, taking turns; pings in between. */
async function listBench(engine) {
  const alone = registryOf(20, { stem: 'loc' });
  const mixed = registryOf(20, { stem: 'loc' });
  const env = { ...mixed.env, AXI_PREFIX: 'axibenchr', AXI_OWNER: 'bench', FOLDER_NAME: '' };
  const [ours, base, pings] = [[], [], []];
  try {
    for (let i = 0; i < 3; i++) {
      const dir = path.join(mixed.dir, 'work', `aegisx-starter-rem${i}`);
      mkdirSync(dir, { recursive: true });
      await axi(env, ['setup', dir, '--engine', engine.host]);
    }
    for (let k = 0; k < 16; k++) {
      const m = await axi(env, ['list', '--json']);
      const l = await axi(alone.env, ['list', '--json']);
      if (JSON.parse(m.stdout).length !== 23) throw new Error(`list: expected 23 instances: ${m.stdout}`);
      for (let p = 0; p < 3; p++) pings.push(await ping(engine.addr));
      if (k === 0) continue; // the warm-up
      ours.push(m.ms);
      base.push(l.ms);
    }
  } finally {
    rmSync(alone.dir, { recursive: true, force: true });
    rmSync(mixed.dir, { recursive: true, force: true });
  }
  const [m, l, p] = [median(ours), median(base), median(pings)];
  // Within each turn, then the median: the machine's slow spells last seconds and hit both runs of a turn.
  const added = median(ours.map((x, k) => x - base[k]));
  report('axi list --json, 20 local instances + 3 on one remote engine (median of 15)', [
    ['axi list --json, 20 local + 3 remote', ms(m)],
    ['axi list --json, the 20 local alone', ms(l)],
    ['one round trip: GET /_ping, new connection', ms(p)],
    [
      'remote over local, median of the turns (target <= one round trip)',
      `${ms(added)} ${added <= p ? 'OK' : 'MISSED'}`,
    ],
    ['for scale: the difference of the medians', ms(m - l)],
  ]);
  return { ok: added <= p };
}

/** A port free on 127.0.0.1 right now, for the hand-made forward. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** A long-running child (ssh or `axi tunnel`), resolved once `port` accepts here; rejected if it exits first. */
async function forwarder(cmd, args, env, port, waitConnects) {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const up = await Promise.race([waitConnects('127.0.0.1', port, 30_000), exited.then(() => false)]);
  if (!up) {
    child.kill();
    throw new Error(`${path.basename(cmd)} ${args.join(' ')}: no forward on ${port}: ${err.trim()}`);
  }
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGINT'); // as Ctrl-C would: axi tunnel then closes its ssh
    return exited;
  };
  return { stop };
}

/** `n` `SELECT 1` round trips in one psql session (one connection), as psql's \timing reports each, in ms. */
function selectTimes(port, n) {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'aegisx_db', '-X', '-q', '-At'];
  const env = { ...process.env, PGPASSWORD: 'postgres', PGCONNECT_TIMEOUT: '5' };
  const child = spawn('psql', args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  child.stdin.end(`\\timing on\n${'SELECT 1;\n'.repeat(n)}`);
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      const times = [...out.matchAll(/^Time: ([\d.]+) ms/gm)].map((m) => Number(m[1]));
      if (code === 0 && times.length === n) resolve(times);
      else reject(new Error(`psql on ${port} (exit ${code}): ${out.slice(-400)}`));
    }),
  );
}

/** `SELECT 1` through `axi tunnel` vs through `ssh -N -L` by hand: 3 sessions of 200 each, taking turns. */
async function measureTunnels(name, ports, env, harness) {
  const tunnel = await forwarder(process.execPath, [AXI, 'tunnel', name], env, ports.postgres, harness.waitConnects);
  let byHand;
  try {
    const p2 = await freePort();
    const fwd = `127.0.0.1:${p2}:127.0.0.1:${ports.postgres}`; // where axi's forward goes: the default bind
    byHand = await forwarder('ssh', ['-N', '-L', fwd, `root@${harness.REMOTE_ADDR}`], env, p2, harness.waitConnects);
    await selectTimes(ports.postgres, 20); // warm-up, both ways
    await selectTimes(p2, 20);
    const [ours, theirs] = [[], []];
    for (let k = 0; k < 3; k++) {
      ours.push(...(await selectTimes(ports.postgres, 200)));
      theirs.push(...(await selectTimes(p2, 200)));
    }
    return { a: median(ours), h: median(theirs) };
  } finally {
    await byHand?.stop();
    await tunnel.stop();
  }
}

/** An instance on ssh://root@10.231.0.2 with its stack up, then the tunnels; everything made is removed. */
async function tunnelBench(harness, sshHarness) {
  const sshdBefore = await harness.connects(harness.REMOTE_ADDR, 22);
  const s = await sshHarness.startRemoteSsh();
  if (!s.ssh) return skipped('tunnel latency', s.skip);
  const sb = sandbox();
  const env = s.ssh.env(sb.env); // its `ssh` (first on PATH) uses the throwaway key: for axi and by hand
  let name;
  try {
    const setup = await axi(env, ['setup', sb.folder('aegisx-starter-tun'), '--engine', s.ssh.host, '--json']);
    const inst = JSON.parse(setup.stdout);
    name = inst.name;
    await axi(env, ['up', name, '--wait']);
    const { a, h } = await measureTunnels(name, inst.ports, env, harness);
    report('tunnel latency: psql SELECT 1 round trip, one session (median of 3 x 200)', [
      ['through axi tunnel', ms(a)],
      ['through ssh -N -L opened by hand', ms(h)],
      ['added by axi (target within 1 ms)', `${ms(a - h)} ${a - h <= 1 ? 'OK' : 'MISSED'}`],
    ]);
    return { ok: a - h <= 1 };
  } finally {
    if (name) await run(process.execPath, [AXI, 'down', name, '--volumes', '--yes'], { env });
    if (name) await run(process.execPath, [AXI, 'remove', name], { env });
    if (!sshdBefore) await s.ssh.stop();
    sb.cleanup();
  }
}

function skipped(what, why) {
  console.log(`\n## ${what}\n  SKIPPED: ${why}`);
  return { ok: true };
}

export default async function bench() {
  let harness;
  let sshHarness;
  try {
    harness = require('../dist/test/remote/remoteEngine.js');
    sshHarness = require('../dist/test/remote/remoteSsh.js');
  } catch (err) {
    return skipped('remote engine', `the test harness is not built (npm run build): ${err.message}`);
  }
  const ns = await namespaceEngine(harness);
  if (!ns.engine) return skipped('remote engine', ns.skip);
  try {
    const results = [await allocationBench(ns.engine), await listBench(ns.engine)];
    results.push(await tunnelBench(harness, sshHarness));
    return { ok: results.every((r) => r.ok) };
  } finally {
    if (ns.started) await harness.teardownRemote(); // a namespace someone else made stays
  }
}
