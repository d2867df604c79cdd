// Shared helpers for `npm run bench`: wall-clock timing of whole commands, medians, a temporary home.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const AXI = path.join(ROOT, 'bin', 'axi.js');

export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
  });
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/** A temporary AXI_HOME holding `count` registered instances with distinct ports (names `<stem>N`). */
export function registryOf(count, { stem = 'bench', basePort = 20000 } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'axi-bench-'));
  const home = path.join(dir, 'home');
  mkdirSync(home, { recursive: true });
  const services = ['postgres', 'redis', 'api', 'web', 'admin', 'pgadmin'];
  const now = new Date().toISOString();
  const instances = Array.from({ length: count }, (_, i) => {
    const folder = path.join(dir, 'work', `aegisx-starter-${stem}${i}`);
    mkdirSync(folder, { recursive: true });
    return {
      name: `${stem}${i}`,
      folder,
      folderName: path.basename(folder),
      suffix: `${stem}${i}`,
      main: false,
      project: `aegisx_${stem}${i}`,
      preset: 'aegisx',
      slot: i,
      ports: Object.fromEntries(services.map((s, k) => [s, basePort + i * 6 + k])),
      template: null,
      createdAt: now,
      updatedAt: now,
    };
  });
  writeFileSync(path.join(home, 'instances.json'), JSON.stringify({ version: 1, instances }, null, 2));
  return {
    dir,
    instances,
    env: { ...process.env, AXI_HOME: home, AXI_PORT_REGISTRY: path.join(dir, 'aegisx-port-registry') },
  };
}

/** `node -e 0`, the floor every Node CLI starts from: measured in the same run as the command it is compared with. */
export async function nodeFloor(samples = 9) {
  const xs = [];
  for (let i = 0; i < samples; i++) xs.push((await run(process.execPath, ['-e', '0'])).ms);
  return median(xs);
}

/**
 * The seed's way as the seed runs it: a bash loop, one command per item. The items are the loop's arguments
 * (`"$@"`), never shell text.
 */
export function shellLoop(body, items) {
  return run('bash', ['-c', `for x in "$@"; do ${body}; done`, 'seed-loop', ...items]);
}

export function report(title, rows) {
  console.log(`\n## ${title}`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(44)} ${v}`);
}
