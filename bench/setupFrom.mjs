// `axi setup --from` on a compose file of 30 services with 60 published ports, side by side with what it is
// made of: Node's own start-up, plus, for a file with an override (which Compose v2 merges for axi), Compose
// reading the same two files (`docker compose config`). Target: at most those + 250 ms of axi's own work.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AXI, median, report, run } from './lib.mjs';

const OWN_MS = 250;

function bigCompose() {
  const services = Array.from(
    { length: 30 },
    (_, i) =>
      `  svc${i}:\n    image: nginx:alpine\n    container_name: big-svc${i}\n    ports:\n      - "${21000 + i * 10}:80"\n      - "${21001 + i * 10}:443"\n    volumes: ["data${i}:/data"]\n`,
  ).join('');
  const volumes = Array.from({ length: 30 }, (_, i) => `  data${i}: {}\n`).join('');
  return `services:\n${services}volumes:\n${volumes}`;
}

/** Seven first registrations (new worktrees) and seven re-registrations of one folder, each with its floor measured beside it. */
async function measure(root, tag, files, composeEnv) {
  const from = Object.keys(files);
  const write = (dir) => {
    mkdirSync(dir, { recursive: true });
    for (const [f, text] of Object.entries(files)) writeFileSync(path.join(dir, f), text);
  };
  const dir = path.join(root, `${tag}-feature`);
  write(dir);
  const first = [];
  const again = [];
  const floor = [];
  for (let k = 0; k < 7; k++) {
    const node = await run(process.execPath, ['-e', '0']);
    const config =
      from.length > 1
        ? await run(
            'docker',
            ['compose', ...from.flatMap((f) => ['-f', f]), 'config', '--format', 'json', '--no-interpolate'],
            { cwd: dir, env: composeEnv },
          )
        : { ms: 0 };
    floor.push(node.ms + config.ms);
    const fresh = path.join(root, `${tag}-feature${k}`);
    write(fresh);
    for (const [target, into, home] of [
      [fresh, first, 'a'],
      [dir, again, 'b'],
    ]) {
      const env = {
        ...composeEnv,
        AXI_HOME: path.join(root, `${tag}home${k}${home}`),
        AXI_PORT_REGISTRY: path.join(root, `${tag}reg${k}${home}`),
      };
      const r = await run(
        process.execPath,
        [AXI, 'setup', target, ...from.flatMap((f) => ['--from', f]), '--force', '--json'],
        { env },
      );
      if (r.code !== 0) throw new Error(r.stderr);
      if (Object.keys(JSON.parse(r.stdout).ports).length !== 60) throw new Error('expected 60 ports');
      into.push(r.ms);
    }
  }
  return { first: median(first), again: median(again), floor: median(floor) };
}

export default async function bench() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'axi-bench-from-'));
  const v2 = ['/var/cache/axi-compose-v2/docker-config', process.env.AXI_COMPOSE_V2_CONFIG].find(
    (d) => d && existsSync(path.join(d, 'cli-plugins')),
  );
  const composeEnv = { ...process.env, ...(v2 ? { DOCKER_CONFIG: v2 } : {}) };
  const compose = bigCompose();
  const plain = await measure(root, 'plain', { 'docker-compose.yml': compose }, composeEnv);
  const cases = [['one file', 'node -e 0', plain]];
  if (v2) {
    const override = 'services:\n  svc0:\n    environment: ["A=1"]\n';
    cases.push([
      'with an override, merged by Compose v2',
      'node -e 0 + docker compose config',
      await measure(
        root,
        'over',
        { 'docker-compose.yml': compose, 'docker-compose.override.yml': override },
        composeEnv,
      ),
    ]);
  }
  let ok = true;
  const rows = [];
  for (const [what, floorName, m] of cases) {
    const met = m.first <= m.floor + OWN_MS;
    ok &&= met;
    rows.push(
      [`${what}: ${floorName}, median of 7`, `${m.floor.toFixed(0)} ms`],
      [
        `${what}: first registration, median of 7 (target: the line above + ${OWN_MS} ms)`,
        `${m.first.toFixed(0)} ms ${met ? 'OK' : 'MISSED'}`,
      ],
      [`${what}: re-registration with an instance file (asks the engine)`, `${m.again.toFixed(0)} ms`],
    );
  }
  report(`axi setup --from, 30 services / 60 published ports${v2 ? '' : ' (Compose v2 not installed)'}`, rows);
  return { ok };
}
