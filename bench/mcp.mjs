// `axi mcp` start-up: spawn to the first answered tools/list (initialize, initialized, tools/list over stdio),
// against `node -e 0` in the same run. The server is scoped to a registered checkout (the usual case for an agent).
// Then what an agent pays in tokens: the bytes of tools/list, of get_overview per instance, and of a start's result.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AXI, ROOT, median, nodeFloor, registryOf, report } from './lib.mjs';

const line = (m) => JSON.stringify({ jsonrpc: '2.0', ...m }) + '\n';
const INIT = {
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
};

/** Milliseconds from spawn to the tools/list answer, and the number of tools it listed. */
export function toolsListOnce(env, cwd) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [AXI, 'mcp'], { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let buf = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => code && reject(new Error(`axi mcp exited ${code}: ${err}`)));
    child.stdout.on('data', (d) => {
      buf += d;
      for (let i; (i = buf.indexOf('\n')) >= 0; buf = buf.slice(i + 1)) {
        const m = JSON.parse(buf.slice(0, i));
        if (m.id === 1)
          child.stdin.write(line({ method: 'notifications/initialized' }) + line({ id: 2, method: 'tools/list' }));
        if (m.id === 2) {
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          child.stdin.end();
          resolve({ ms, tools: m.result.tools.length });
        }
      }
    });
    child.stdin.write(line(INIT));
  });
}

/** The server's answers to tools/list, get_overview and its verbose form, in bytes of the JSON as sent. */
function sizesOnce(env, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AXI, 'mcp'], { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = {};
    let buf = '';
    child.on('error', reject);
    const call = (id, name, args = {}) => line({ id, method: 'tools/call', params: { name, arguments: args } });
    child.stdout.on('data', (d) => {
      buf += d;
      for (let i; (i = buf.indexOf('\n')) >= 0; buf = buf.slice(i + 1)) {
        const m = JSON.parse(buf.slice(0, i));
        if (m.id === 1)
          child.stdin.write(line({ method: 'notifications/initialized' }) + line({ id: 2, method: 'tools/list' }));
        if (m.id === 2) {
          out.toolsList = JSON.stringify(m.result).length;
          child.stdin.write(call(3, 'get_overview') + call(4, 'get_overview', { verbose: true }));
        }
        if (m.id === 3) out.overview = m.result.content[0].text;
        if (m.id === 4) out.verbose = m.result.content[0].text;
        if (out.overview && out.verbose) {
          child.stdin.end();
          resolve(out);
        }
      }
    });
    child.stdin.write(line(INIT));
  });
}

/**
 * A start's result is the short view of the instance it started: measured on this registry's view of
 * one instance, running with its six services healthy (the engine here runs none of them).
 */
function startResultBytes(verbose) {
  const { compactResult } = createRequire(import.meta.url)(path.join(ROOT, 'dist', 'main', 'mcp', 'compact.js'));
  const view = JSON.parse(verbose).instances[0];
  const services = Object.fromEntries(Object.keys(view.ports).map((k) => [k, { state: 'running', health: 'healthy' }]));
  const running = { ...view, status: 'running', services, notes: ['already running: nothing to start'] };
  return JSON.stringify(compactResult('startInstance', running, false)).length;
}

export default async function bench() {
  const { env, instances } = registryOf(20, { stem: 'mcpb' });
  const cwd = instances[3].folder;
  await toolsListOnce(env, cwd); // warm the page cache
  const floor = [];
  const ours = [];
  let tools = 0;
  for (let i = 0; i < 9; i++) {
    floor.push(await nodeFloor(1));
    const r = await toolsListOnce(env, cwd);
    ours.push(r.ms);
    tools = r.tools;
  }
  const axi = median(ours);
  const node = median(floor);
  const over = axi - node;
  const sizes = await sizesOnce(env, cwd);
  const listed = JSON.parse(sizes.overview).instances.length;
  const perInstance = sizes.overview.length / listed;
  const start = startResultBytes(sizes.verbose);
  const ok = { list: sizes.toolsList <= 6144, overview: perInstance <= 400, start: start <= 600 };
  const mark = (b) => (b ? 'OK' : 'MISSED');
  report(`axi mcp start-up to the first tools/list (${tools} tools, 20 instances registered)`, [
    ['axi mcp: spawn → tools/list answered (median of 9)', `${axi.toFixed(0)} ms`],
    ['node -e 0 (median of 9, interleaved)', `${node.toFixed(0)} ms`],
    ['axi mcp over node (target <= 150 ms)', `${over.toFixed(0)} ms ${over <= 150 ? 'OK' : 'MISSED'}`],
    ['tools/list, scoped (target <= 6 KB)', `${sizes.toolsList} bytes ${mark(ok.list)}`],
    [
      `get_overview per instance (${listed} listed; target <= 400 bytes)`,
      `${perInstance.toFixed(0)} bytes ${mark(ok.overview)} (verbose: ${(sizes.verbose.length / listed).toFixed(0)})`,
    ],
    ['start_instance result (target <= 600 bytes)', `${start} bytes ${mark(start <= 600)}`],
  ]);
  return { ok: over <= 150 && ok.list && ok.overview && ok.start };
}
