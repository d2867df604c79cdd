// `axi mcp` start-up: spawn to the first answered tools/list (initialize, initialized, tools/list over stdio),
// against `node -e 0` in the same run. The server is scoped to a registered checkout (the usual case for an agent).
import { spawn } from 'node:child_process';
import { AXI, median, nodeFloor, registryOf, report } from './lib.mjs';

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
  report(`axi mcp start-up to the first tools/list (${tools} tools, 20 instances registered)`, [
    ['axi mcp: spawn → tools/list answered (median of 9)', `${axi.toFixed(0)} ms`],
    ['node -e 0 (median of 9, interleaved)', `${node.toFixed(0)} ms`],
    ['axi mcp over node (target <= 150 ms)', `${over.toFixed(0)} ms ${over <= 150 ? 'OK' : 'MISSED'}`],
  ]);
  return { ok: over <= 150 };
}
