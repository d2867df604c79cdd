import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { isList, isMap } from '../compose/yamlValues';

/** One way a compose file's container reaches the host beyond its own checkout: `service: key value`. */
export interface HostReach {
  service: string;
  key: string;
  value: string;
}

const HOST_MODES = ['pid', 'network_mode', 'ipc', 'userns_mode', 'uts', 'cgroup'] as const;
const SOCKETS = /(^|\/)(docker|podman|containerd)\.sock$/;

const inside = (folder: string, p: string) => p === folder || p.startsWith(folder + path.sep);

/** Where an absolute path really leads (symlinks followed). Injected, so the decision stays pure. */
export type RealPath = (p: string) => string;
const asWritten: RealPath = (p) => p;

/**
 * The real path of `p`, or for a path not there yet that of its nearest existing parent plus the rest (Compose
 * creates a missing bind source); a dangling link is followed to where it points.
 */
export function realPathNearest(p: string, depth = 0): string {
  const rest: string[] = [];
  for (let at = p; ;) {
    try {
      return path.join(realpathSync.native(at), ...rest.reverse());
    } catch {
      const link = depth < 40 && lstatSync(at, { throwIfNoEntry: false })?.isSymbolicLink();
      if (link)
        return path.join(
          realPathNearest(path.resolve(path.dirname(at), readlinkSync(at)), depth + 1),
          ...rest.reverse(),
        );
    }
    const up = path.dirname(at);
    if (up === at) return p;
    rest.push(path.basename(at));
    at = up;
  }
}

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

/** Why host path `p` (absolute, `~…` or with a variable) is beyond the checkout, or undefined when it is inside. */
function beyond(p: string, root: string, real: RealPath): string | undefined {
  if (p.includes('$')) return 'a host path set by a variable';
  if (!path.isAbsolute(p)) return 'outside the checkout'; // `~/…`: the user's home
  const r = real(p);
  if (inside(root, r)) return undefined;
  return r === p ? 'outside the checkout' : `a link to ${r}, outside the checkout`;
}

/** A `driver_opts` value as Compose passes it on (a string; YAML may have read a number). */
const optText = (v: unknown) => (v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Top-level definitions that reach the host: a volume bound to a host folder through `driver_opts`
 * (`o: bind`, or a `device` outside the checkout), and secrets and configs read from files outside it.
 */
function topLevelReach(doc: Record<string, unknown>, folder: string, root: string, real: RealPath): HostReach[] {
  const out: HostReach[] = [];
  for (const [name, def] of Object.entries(isMap(doc.volumes) ? doc.volumes : {})) {
    const opts = isMap(def) && isMap(def.driver_opts) ? def.driver_opts : undefined;
    if (!opts) continue;
    const device = optText(opts.device);
    // `tmpfs`, `:/export` (NFS) and the like name no host path.
    const hostPath = device !== undefined && (/^[/~]/.test(device) || device.includes('$'));
    const why = hostPath ? beyond(device, root, real) : undefined;
    const bind = (optText(opts.o) ?? '').includes('bind');
    // A relative device is read by the engine, not against the checkout: only an absolute one inside is known.
    if (why || (bind && !(device && path.isAbsolute(device))))
      out.push({
        service: `volume ${name}`,
        key: 'driver_opts',
        value: `device ${device ?? '(none)'} (${why ?? 'a host folder bound as a volume'})`,
      });
  }
  for (const kind of ['secrets', 'configs'] as const)
    for (const [name, def] of Object.entries(isMap(doc[kind]) ? doc[kind] : {})) {
      if (!isMap(def) || typeof def.file !== 'string') continue;
      const file = /^[~$]/.test(def.file) ? def.file : path.resolve(folder, def.file);
      const why = beyond(file, root, real);
      if (why) out.push({ service: `${kind.slice(0, -1)} ${name}`, key: 'file', value: `${file} (${why})` });
    }
  return out;
}

/**
 * What a compose file's containers reach on the host beyond the checkout `folder`: bind mounts outside it
 * (symlinks followed through `real`), the Docker socket, `privileged`, the host's pid/network/ipc namespaces,
 * added capabilities and devices, `env_file`s outside it, and top-level volumes, secrets and configs taken from
 * the host. The user confirms these before the first `up` and whenever they change.
 * `doc` is the parsed file; relative paths are read against `folder`, where the instance file sits.
 */
export function hostReach(doc: unknown, folder: string, real: RealPath = asWritten): HostReach[] {
  const out: HostReach[] = [];
  if (!isMap(doc)) return out;
  const root = real(folder);
  for (const [service, def] of Object.entries(isMap(doc.services) ? doc.services : {})) {
    if (!isMap(def)) continue;
    const add = (key: string, value: string) => out.push({ service, key, value });
    for (const v of isList(def.volumes) ? def.volumes : []) {
      const source = bindSource(v, folder);
      if (source === undefined) continue;
      const why = beyond(source, root, real);
      const linked = why && path.isAbsolute(source) && !source.includes('$') ? real(source) : source;
      if (SOCKETS.test(source) || SOCKETS.test(linked))
        add('volumes', `${source} (the Docker socket: control of every container)`);
      else if (why === 'outside the checkout') add('volumes', `${source} (a host folder outside the checkout)`);
      else if (why) add('volumes', `${source} (${why})`);
    }
    if (def.privileged === true || def.privileged === 'true') add('privileged', 'true');
    for (const k of HOST_MODES) if (def[k] === 'host') add(k, 'host');
    for (const k of ['cap_add', 'devices', 'security_opt'] as const)
      for (const v of isList(def[k]) ? def[k] : []) add(k, typeof v === 'string' ? v : JSON.stringify(v));
    for (const f of envFiles(def.env_file)) {
      const abs = path.resolve(folder, f);
      const why = beyond(abs, root, real);
      if (why) add('env_file', `${abs} (${why})`);
    }
  }
  return [...out, ...topLevelReach(doc, folder, root, real)];
}

/** One line per item, for a prompt, an error or a dialog. */
export function describeReach(items: readonly HostReach[]): string {
  return items.map((r) => `${r.service}: ${r.key} ${r.value}`).join('; ');
}
