import path from 'node:path';
import { isList, isMap } from './yamlValues';

/** One way a compose file's container reaches the host beyond its own checkout: `service: key value`. */
export interface HostReach {
  service: string;
  key: string;
  value: string;
}

const HOST_MODES = ['pid', 'network_mode', 'ipc', 'userns_mode', 'uts', 'cgroup'] as const;
const SOCKETS = /(^|\/)(docker|podman|containerd)\.sock$/;

const inside = (folder: string, p: string) => p === folder || p.startsWith(folder + path.sep);

/** `/a:/b:ro`, `./a:/b`, `name:/b` or the long form → its host path, when it is a bind (undefined for a volume). */
function bindSource(v: unknown, folder: string): string | undefined {
  let source: unknown;
  if (typeof v === 'string') {
    const parts = v.split(':');
    if (parts.length < 2) return undefined; // an anonymous volume
    source = parts[0];
  } else if (isMap(v)) {
    if (v.type !== undefined && v.type !== 'bind') return undefined;
    source = v.source;
  }
  if (typeof source !== 'string') return undefined;
  if (source.includes('$')) return source; // set by a variable: where it points is known only when Compose runs
  if (!/^[./~]/.test(source)) return undefined; // a named volume
  return source.startsWith('~') ? source : path.resolve(folder, source);
}

/** `env_file:` as a list of paths (string, list of strings, or list of `{path}`). */
function envFiles(v: unknown): string[] {
  const items = isList(v) ? v : [v];
  return items.flatMap((x) => (typeof x === 'string' ? [x] : isMap(x) && typeof x.path === 'string' ? [x.path] : []));
}

/**
 * What a compose file's containers reach on the host beyond the checkout `folder`: bind mounts outside it,
 * the Docker socket, `privileged`, the host's pid/network/ipc namespaces, added capabilities and devices,
 * and `env_file`s outside it. The user confirms these before the first `up` and whenever they change.
 * `doc` is the parsed file; relative paths are read against `folder`, where the instance file sits.
 */
export function hostReach(doc: unknown, folder: string): HostReach[] {
  const out: HostReach[] = [];
  const services = isMap(doc) && isMap(doc.services) ? doc.services : {};
  for (const [service, def] of Object.entries(services)) {
    if (!isMap(def)) continue;
    const add = (key: string, value: string) => out.push({ service, key, value });
    for (const v of isList(def.volumes) ? def.volumes : []) {
      const source = bindSource(v, folder);
      if (source === undefined) continue;
      if (SOCKETS.test(source)) add('volumes', `${source} (the Docker socket: control of every container)`);
      else if (source.includes('$')) add('volumes', `${source} (a host path set by a variable)`);
      else if (!inside(folder, source)) add('volumes', `${source} (a host folder outside the checkout)`);
    }
    if (def.privileged === true || def.privileged === 'true') add('privileged', 'true');
    for (const k of HOST_MODES) if (def[k] === 'host') add(k, 'host');
    for (const k of ['cap_add', 'devices', 'security_opt'] as const)
      for (const v of isList(def[k]) ? def[k] : []) add(k, typeof v === 'string' ? v : JSON.stringify(v));
    for (const f of envFiles(def.env_file)) {
      const abs = path.resolve(folder, f);
      if (!inside(folder, abs)) add('env_file', `${abs} (outside the checkout)`);
    }
  }
  return out;
}

/** One line per item, for a prompt, an error or a dialog. */
export function describeReach(items: readonly HostReach[]): string {
  return items.map((r) => `${r.service}: ${r.key} ${r.value}`).join('; ');
}
