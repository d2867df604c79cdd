// `axi setup --from` on a compose file of 30 services with 60 published ports: under 300 ms (incl. node start).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AXI, median, report, run } from './lib.mjs';

export default async function bench() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'axi-bench-from-'));
  const dir = path.join(root, 'bigapp-feature');
  mkdirSync(dir);
  const services = Array.from({ length: 30 }, (_, i) => `  svc${i}:\n    image: nginx:alpine\n    container_name: big-svc${i}\n    ports:\n      - "${21000 + i * 10}:80"\n      - "${21001 + i * 10}:443"\n    volumes: ["data${i}:/data"]\n`).join('');
  const volumes = Array.from({ length: 30 }, (_, i) => `  data${i}: {}\n`).join('');
    const compose = `services:\n${services}volumes:\n${volumes}`;
  writeFileSync(path.join(dir, 'docker-compose.yml'), compose);
  // A first registration (a new worktree: no instance file yet), then a re-registration of a folder that
  // has one, which asks the engine whether its containers already run (to adopt their ports).
  const first = [];
  const again = [];
  for (let k = 0; k < 7; k++) {
    const env = { ...process.env, AXI_HOME: path.join(root, `home${k}`), AXI_PORT_REGISTRY: path.join(root, `reg${k}`) };
    const fresh = path.join(root, `bigapp-feature${k}`);
    mkdirSync(fresh);
    writeFileSync(path.join(fresh, 'docker-compose.yml'), compose);
    for (const [target, into, home] of [[fresh, first, 'a'], [dir, again, 'b']]) {
      const own = { ...env, AXI_HOME: `${env.AXI_HOME}${home}`, AXI_PORT_REGISTRY: `${env.AXI_PORT_REGISTRY}${home}` };
      const r = await run(process.execPath, [AXI, 'setup', target, '--from', 'docker-compose.yml', '--force', '--json'], { env: own });
      if (r.code !== 0) throw new Error(r.stderr);
      if (Object.keys(JSON.parse(r.stdout).ports).length !== 60) throw new Error('expected 60 ports');
      into.push(r.ms);
    }
  }
  const m = median(first);
  report('axi setup --from, 30 services / 60 published ports', [
    ['first registration, median of 7, incl. node start (target < 300 ms)', `${m.toFixed(0)} ms ${m < 300 ? 'OK' : 'MISSED'}`],
    ['re-registration with an instance file (asks the engine), median of 7', `${median(again).toFixed(0)} ms`],
  ]);
  return { ok: m < 300 };
}
