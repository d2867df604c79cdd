// The router (http://NAME.REPO.localhost) against going straight to the port, side by side in one run:
// keep-alive GET latency, WebSocket echo, a 200 MB download, and `axi serve`'s memory with and without it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AXI, ROOT, percentile, median, registryOf, report } from './lib.mjs';

const require = createRequire(import.meta.url);
const { ws: WebSocket } = require('playwright-core/lib/utilsBundle');
const HOST = 'app.bench.localhost';

/** A child process, once its output matches `pattern` (first group: a port). */
function child(args, env = process.env, pattern = /^(\d+)$/m) {
  const c = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    c.stdout.on('data', (d) => {
      out += d;
      const m = pattern.exec(out);
      if (m) resolve({ child: c, port: Number(m[1]), out: () => out });
    });
    c.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${out}`)));
  });
}

function getOnce(agent, port) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    http
      .get({ host: '127.0.0.1', port, path: '/', agent, headers: { Host: HOST } }, (res) => {
        res.resume();
        res.on('end', () => resolve(Number(process.hrtime.bigint() - t0) / 1e6));
      })
      .on('error', reject);
  });
}

/**
 * 2,000 GETs on one keep-alive connection to each port (direct, router, relay), alternating blocks of 100 so all see
 * the same machine. The relay's tail is what a third process in the chain costs on its own, with no HTTP parsed.
 */
async function latency(ports) {
  const agents = ports.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  const xs = ports.map(() => []);
  for (let i = 0; i < 200; i++) for (const k of ports.keys()) await getOnce(agents[k], ports[k]);
  for (let block = 0; block < 20; block++)
    for (const k of ports.keys()) for (let i = 0; i < 100; i++) xs[k].push(await getOnce(agents[k], ports[k]));
  agents.forEach((a) => a.destroy());
  return xs;
}

async function wsEcho(port, n = 1000) {
  const s = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { Host: HOST } });
  await new Promise((r, j) => (s.once('open', r), s.once('error', j)));
  const xs = [];
  for (let i = 0; i < n + 100; i++) {
    const t0 = process.hrtime.bigint();
    await new Promise((r) => (s.once('message', r), s.send('ping')));
    if (i >= 100) xs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  s.close();
  return xs;
}

/** CPU seconds a process has used (utime + stime, in clock ticks of 1/100 s, Linux's USER_HZ). */
const cpuSeconds = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};

/** One 200 MB download: MB/s, and the CPU ms per MB each process spent (client: this one). */
function download(port, server, proxy) {
  const cpu0 = [process.cpuUsage(), cpuSeconds(server), proxy ? cpuSeconds(proxy) : 0];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    let bytes = 0;
    http
      .get({ host: '127.0.0.1', port, path: '/big', agent: false, headers: { Host: HOST } }, (res) => {
        res.on('data', (d) => (bytes += d.length));
        res.on('end', () => {
          const mb = bytes / 1e6;
          const c = process.cpuUsage(cpu0[0]);
          const cpu = {
            client: (c.user + c.system) / 1e3 / mb,
            server: ((cpuSeconds(server) - cpu0[1]) * 1e3) / mb,
            proxy: proxy ? ((cpuSeconds(proxy) - cpu0[2]) * 1e3) / mb : 0,
          };
          resolve({ mbs: mb / (Number(process.hrtime.bigint() - t0) / 1e9), cpu });
        });
      })
      .on('error', reject);
  });
}

/**
 * Seven turns, each direct, router, then a bare TCP relay, the ratios taken within the turn (the machine's load
 * moves between turns). The relay is what any proxy in its own process costs: with two cores and three busy
 * processes (client, proxy, server) the CPU all three spend per MB sets the machine's ceiling, reported beside.
 */
async function throughput(up, rt, relay) {
  const runs = { direct: [], router: [], relay: [] };
  const ratio = [];
  const relayRatio = [];
  for (let i = 0; i < 7; i++) {
    const a = await download(up.port, up.child.pid);
    const b = await download(rt.port, up.child.pid, rt.child.pid);
    const c = await download(relay.port, up.child.pid, relay.child.pid);
    runs.direct.push(a);
    runs.router.push(b);
    runs.relay.push(c);
    ratio.push(b.mbs / a.mbs);
    relayRatio.push(b.mbs / c.mbs);
  }
  const mbs = (k) => median(runs[k].map((r) => r.mbs));
  const cpu = (k) => {
    const part = (p) => median(runs[k].map((r) => r.cpu[p]));
    return { client: part('client'), server: part('server'), proxy: part('proxy') };
  };
  return { mbs, cpu, share: median(ratio), relayShare: median(relayRatio) };
}

/** "client + server + proxy = total ms/MB", and what the machine's cores could move at that cost. */
function cpuLine(c, cores) {
  const total = c.client + c.server + c.proxy;
  const parts = [c.client, c.server, c.proxy].filter((x, i) => i < 2 || x).map((x) => x.toFixed(2));
  return { text: `${parts.join(' + ')} = ${total.toFixed(2)} ms/MB`, ceiling: (cores * 1e3) / total };
}

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `axi serve` with 50 registered instances, with the router (each name asked once) and without. */
async function memory() {
  const { env, instances } = registryOf(50, { stem: 'route', basePort: 31000 });
  const measure = async (args) => {
    const router = args[0] !== '--no-router';
    const s = await child(
      [AXI, 'serve', '--port', '0', ...args],
      env,
      router ? /Router: http:\/\/NAME\.REPO\.localhost:(\d+)/ : /dashboard: http:\/\/127\.0\.0\.1:(\d+)/,
    );
    await sleep(3000);
    const routerPort = router ? s.port : 0;
    if (routerPort)
      for (const i of instances)
        await new Promise((r) =>
          http
            .get(
              {
                host: '127.0.0.1',
                port: routerPort,
                headers: { Host: `${i.name}.aegisx-starter.localhost` },
                agent: false,
              },
              (res) => res.resume().on('end', r),
            )
            .on('error', r),
        );
    await sleep(1000);
    const rss = rssMb(s.child.pid);
    s.child.kill('SIGTERM');
    return { rss, routed: Boolean(routerPort) };
  };
  const without = await measure(['--no-router']);
  const withRouter = await measure(['--router-port', '0']);
  if (!withRouter.routed) throw new Error('axi serve did not start its router');
  return { without: without.rss, with: withRouter.rss };
}

export default async function bench() {
  const up = await child([path.join(ROOT, 'bench', 'routerParts.mjs'), 'upstream']);
  const rt = await child([path.join(ROOT, 'bench', 'routerParts.mjs'), 'router', String(up.port)]);
  const relay = await child([path.join(ROOT, 'bench', 'routerParts.mjs'), 'relay', String(up.port)]);
  const load = os.loadavg()[0];
  try {
    const cpu0 = [rt, relay].map((c) => cpuSeconds(c.child.pid));
    const [d, r, x] = await latency([up.port, rt.port, relay.port]);
    // CPU per GET (2,200 each, warm-up included): the longer a process works per request, the likelier the
    // machine's other work preempts it inside one, which is what the tail is made of.
    const [rtUs, relayUs] = [rt, relay].map((c, k) => ((cpuSeconds(c.child.pid) - cpu0[k]) * 1e6) / 2200);
    const p50 = percentile(r, 50) - percentile(d, 50);
    const p99 = percentile(r, 99) - percentile(d, 99);
    const [wd, wr] = [await wsEcho(up.port), await wsEcho(rt.port)];
    const ws = median(wr) - median(wd);
    const dl = await throughput(up, rt, relay);
    const cores = os.availableParallelism();
    const [cd, cr, cx] = ['direct', 'router', 'relay'].map((k) => cpuLine(dl.cpu(k), cores));
    // The proxy's CPU budget: at 85% of direct, all three processes together get `cores` seconds per second.
    const rc = dl.cpu('router');
    const budget = (cores * 1e3) / (0.85 * dl.mbs('direct')) - rc.client - rc.server;
    const ofDirect = (mbs) => `${((mbs / dl.mbs('direct')) * 100).toFixed(0)}% of direct`;
    const share = dl.share;
    const mem = await memory();
    const extra = mem.with - mem.without;
    const ok = (b) => (b ? 'OK' : 'MISSED');
    const ms = (v) => `${v.toFixed(3)} ms`;
    report('router vs straight to the port (same run)', [
      ['machine load (1 min) at start / end', `${load.toFixed(1)} / ${os.loadavg()[0].toFixed(1)} (${cores} cores)`],
      ['GET keep-alive p50: direct / router', `${percentile(d, 50).toFixed(3)} / ${ms(percentile(r, 50))}`],
      ['  added p50 (target <= 0.5 ms)', `${ms(p50)} ${ok(p50 <= 0.5)}`],
      ['GET keep-alive p99: direct / router', `${percentile(d, 99).toFixed(3)} / ${ms(percentile(r, 99))}`],
      ['  added p99 (target <= 2 ms)', `${ms(p99)} ${ok(p99 <= 2)}`],
      ['  a bare TCP relay, same blocks: p50 / p99', `${percentile(x, 50).toFixed(3)} / ${ms(percentile(x, 99))}`],
      ['  CPU per GET: router / relay process', `${rtUs.toFixed(0)} / ${relayUs.toFixed(0)} us`],
      ['WebSocket echo p50: direct / router', `${median(wd).toFixed(3)} / ${ms(median(wr))}`],
      ['  added p50 (target <= 0.5 ms)', `${ms(ws)} ${ok(ws <= 0.5)}`],
      [
        '200 MB download: direct / router (medians of 7)',
        `${dl.mbs('direct').toFixed(0)} / ${dl.mbs('router').toFixed(0)} MB/s`,
      ],
      ['  router share (target >= 85%)', `${(share * 100).toFixed(0)}% ${ok(share >= 0.85)}`],
      [
        `  a bare TCP relay: ${dl.mbs('relay').toFixed(0)} MB/s; router / relay`,
        `${(dl.relayShare * 100).toFixed(0)}% (${cores} cores)`,
      ],
      ['  CPU per MB, client + server (+ proxy): direct', cd.text],
      ['    router', cr.text],
      ['    relay', cx.text],
      [
        `  ceiling, ${cores} cores / CPU per MB: router, relay`,
        `${cr.ceiling.toFixed(0)} (${ofDirect(cr.ceiling)}), ${cx.ceiling.toFixed(0)} MB/s (${ofDirect(cx.ceiling)})`,
      ],
      [
        `  85% of direct on ${cores} cores leaves a proxy`,
        `<= ${budget.toFixed(2)} ms/MB (router ${rc.proxy.toFixed(2)}, bare relay ${dl.cpu('relay').proxy.toFixed(2)})`,
      ],
      ['axi serve RSS, 50 instances: without / with router', `${mem.without.toFixed(1)} / ${mem.with.toFixed(1)} MB`],
      ['  router adds (target <= 40 MB)', `${extra.toFixed(1)} MB ${ok(extra <= 40)}`],
    ]);
    return { ok: p50 <= 0.5 && p99 <= 2 && ws <= 0.5 && share >= 0.85 && extra <= 40 };
  } finally {
    up.child.kill();
    rt.child.kill();
    relay.child.kill();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
