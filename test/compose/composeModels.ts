import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const isMap = (x: unknown): x is Record<string, any> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Compose v2's own model (interpolated, paths resolved) of some files in `dir`, as project `project`. */
export function composeModel(dir: string, project: string, files: string[], envFile?: string): Promise<any> {
  const config = process.env.AXI_COMPOSE_V2_CONFIG;
  if (!config) throw new Error('AXI_COMPOSE_V2_CONFIG is not set: run the tests with npm test');
  const args = [
    'compose',
    ...(envFile ? ['--env-file', envFile] : []),
    '-p',
    project,
    ...files.flatMap((f) => ['-f', f]),
    'config',
    '--format',
    'json',
  ];
  return new Promise((resolve, reject) =>
    execFile('docker', args, { cwd: dir, env: { ...process.env, DOCKER_CONFIG: config } }, (err, stdout, stderr) =>
      err ? reject(new Error(`docker ${args.join(' ')} in ${dir}: ${stderr}`)) : resolve(JSON.parse(stdout)),
    ),
  );
}

const OURS = /^dev\.aegisx-instances\./;

/**
 * What may differ between the original and the instance file, taken out: host ports and the address
 * they are published on, names (container names, their aliases, volume/network/secret names), our
 * labels (on services, volumes and networks), and fixed subnets with their static addresses (made per instance).
 */
function comparable(model: any): any {
  const m = structuredClone(model);
  delete m.name;
  for (const kind of ['volumes', 'networks', 'secrets', 'configs']) {
    for (const def of Object.values(isMap(m[kind]) ? m[kind] : {})) {
      if (!isMap(def)) continue;
      delete def.name;
      // Our ownership labels (issue 32) on the volumes and networks we make: not part of what runs.
      if (isMap(def.labels)) for (const k of Object.keys(def.labels)) if (OURS.test(k)) delete def.labels[k];
      if (isMap(def.labels) && !Object.keys(def.labels).length) delete def.labels;
      if (kind === 'networks' && def.ipam) {
        delete def.ipam;
        if (isMap(def.driver_opts)) delete def.driver_opts['com.docker.network.bridge.name'];
        if (isMap(def.driver_opts) && !Object.keys(def.driver_opts).length) delete def.driver_opts;
      }
    }
  }
  for (const svc of Object.values<any>(m.services ?? {})) {
    delete svc.container_name;
    // Local addresses in values follow the host ports: `localhost:8000` → `localhost:8068`.
    if (isMap(svc.environment))
      for (const [k, v] of Object.entries(svc.environment))
        if (typeof v === 'string') svc.environment[k] = v.replace(/\b(localhost|127\.0\.0\.1):\d+/g, '$1:PORT');
    if (isMap(svc.labels)) for (const k of Object.keys(svc.labels)) if (OURS.test(k)) delete svc.labels[k];
    if (isMap(svc.labels) && !Object.keys(svc.labels).length) delete svc.labels;
    for (const p of svc.ports ?? []) {
      delete p.published;
      delete p.host_ip;
    }
    for (const net of Object.values<any>(isMap(svc.networks) ? svc.networks : {})) {
      if (!isMap(net)) continue;
      delete net.aliases;
      delete net.ipv4_address;
    }
    for (const [k, net] of Object.entries(isMap(svc.networks) ? svc.networks : {}))
      if (isMap(net) && !Object.keys(net).length) svc.networks[k] = null;
  }
  return m;
}

/**
 * Compose's model of the project's files against its model of the instance file written in the same
 * checkout: equal once host ports, names, labels and subnets are taken out (paths are absolute in both).
 */
export async function assertSameModel(dir: string, from: string[], project: string): Promise<void> {
  const subEnv = path.join(dir, path.dirname(from[0]!), '.env');
  const envFile = path.dirname(from[0]!) !== '.' && existsSync(subEnv) ? subEnv : undefined;
  const [original, instance] = await Promise.all([
    composeModel(dir, project, from),
    composeModel(dir, project, ['docker-compose.instance.yml'], envFile),
  ]);
  assert.deepEqual(
    comparable(instance),
    comparable(original),
    `${dir}: the instance file runs something else than ${from.join(', ')}`,
  );
}
