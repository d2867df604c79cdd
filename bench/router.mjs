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

/** 2,000 GETs on one keep-alive connection each way, alternating blocks of 100 so both see the same machine. */
async function latency(direct, router) {
  const agents = [direct, router].map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  const xs = [[], []];
  for (let i = 0; i < 200; i++) for (const k of [0, 1]) await getOnce(agents[k], [direct, router][k]);
  for (let block = 0; block < 20; block++)
    for (const k of [0, 1]) for (let i = 0; i < 100; i++) xs[k].push(await getOnce(agents[k], [direct, router][k]));
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

function download(port) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    let bytes = 0;
    http
      .get({ host: '127.0.0.1', port, path: '/big', agent: false, headers: { Host: HOST } }, (res) => {
        res.on('data', (d) => (bytes += d.length));
        res.on('end', () => resolve(bytes / 1e6 / (Number(process.hrtime.bigint() - t0) / 1e9)));
      })
      .on('error', reject);
  });
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
  try {
    const [d, r] = await latency(up.port, rt.port);
    const p50 = percentile(r, 50) - percentile(d, 50);
    const p99 = percentile(r, 99) - percentile(d, 99);
    const [wd, wr] = [await wsEcho(up.port), await wsEcho(rt.port)];
    const ws = median(wr) - median(wd);
    // Seven turns, each direct, router, then a bare TCP relay, the ratios taken within the turn (the machine's load
    // moves between turns). The relay is what any proxy in its own process costs: with two cores and three busy
    // processes (client, proxy, server) it is the machine's ceiling, which the router's share is read against.
    const dl = { direct: [], router: [], relay: [], ratio: [], relayRatio: [] };
    for (let i = 0; i < 7; i++) {
      const [a, b, c] = [await download(up.port), await download(rt.port), await download(relay.port)];
      dl.direct.push(a);
      dl.router.push(b);
      dl.relay.push(c);
      dl.ratio.push(b / a);
      dl.relayRatio.push(b / c);
    }
    const share = median(dl.ratio);
    const mem = await memory();
    const extra = mem.with - mem.without;
    const ok = (b) => (b ? 'OK' : 'MISSED');
    report('router vs straight to the port (same run)', [
      ['GET keep-alive p50: direct / router', `${percentile(d, 50).toFixed(3)} / ${percentile(r, 50).toFixed(3)} ms`],
      ['  added p50 (target <= 0.5 ms)', `${p50.toFixed(3)} ms ${ok(p50 <= 0.5)}`],
      ['GET keep-alive p99: direct / router', `${percentile(d, 99).toFixed(3)} / ${percentile(r, 99).toFixed(3)} ms`],
      ['  added p99 (target <= 2 ms)', `${p99.toFixed(3)} ms ${ok(p99 <= 2)}`],
      ['WebSocket echo p50: direct / router', `${median(wd).toFixed(3)} / ${median(wr).toFixed(3)} ms`],
      ['  added p50 (target <= 0.5 ms)', `${ws.toFixed(3)} ms ${ok(ws <= 0.5)}`],
      [
        '200 MB download: direct / router (medians of 7)',
        `${median(dl.direct).toFixed(0)} / ${median(dl.router).toFixed(0)} MB/s`,
      ],
      ['  router share (target >= 85%)', `${(share * 100).toFixed(0)}% ${ok(share >= 0.85)}`],
      [
        `  a bare TCP relay: ${median(dl.relay).toFixed(0)} MB/s; router / relay`,
        `${(median(dl.relayRatio) * 100).toFixed(0)}% (${os.availableParallelism()} cores)`,
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
