import { AxiError } from '../../shared/errors';
import { isList, isMap, scalarText } from './yamlValues';
import type { Doc } from './doc';

/** One published host port of the project's compose file. `key` names it in the registry and `.env.local`. */
export interface PublishedPort {
  key: string;
  service: string;
  target: string;
  published: number;
  hostIp?: string;
  /** The project's own variable the port comes from (`${KONG_HTTP_PORT:-8000}:8000`), if any. */
  variable?: string;
  /** A range (`50100-50200:50100-50200/udp`): its length; `published` is its first port. */
  span?: number;
  /** Published over more than one protocol (`3478:3478` and `3478:3478/udp`): `tcp+udp`. */
  protocols?: string;
}

/** An entry's protocol: `udp` from `53/udp`, `tcp` when it says none. */
function protocolOfTarget(target: string): string {
  return /\/(\w+)$/.exec(target)?.[1] ?? 'tcp';
}

/** A twin entry on a host port already planned (TCP and UDP on 53): the port is kept once, its protocols joined. */
function addProtocol(port: PublishedPort, target: string): void {
  const rank = (p: string) => (p === 'tcp' ? 0 : p === 'udp' ? 1 : 2); // `tcp+udp`, whichever came first
  const all = new Set([...(port.protocols ?? protocolOfTarget(port.target)).split('+'), protocolOfTarget(target)]);
  if (all.size > 1) port.protocols = [...all].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).join('+');
}

/** The variable in a port entry whose value is the published port. */
function publishedVariable(
  spec: unknown,
  published: number | string,
  env: Record<string, string | undefined>,
): string | undefined {
  const raw = scalarText(isMap(spec) ? spec.published : spec);
  for (const m of raw.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
    try {
      if (interpolate(m[0], env) === String(published)) return m[1] ?? m[2];
    } catch {
      // a required variable that is unset: the port itself would have failed first
    }
  }
  return undefined;
}

/**
 * `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`, `${VAR?message}`, `${VAR:+alt}`,
 * `${VAR+alt}`, `$VAR` and `$$`, as Compose interpolates them. A required variable that is unset is
 * an error naming it, as Compose's own is.
 */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  const re = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  return value.replace(re, (m: string, name?: string, op?: string, arg?: string, bare?: string) => {
    if (m === '$$') return '$';
    const key = (name ?? bare)!;
    const val = env[key];
    const set = val !== undefined;
    const nonEmpty = Boolean(val);
    switch (op) {
      case ':-':
        return nonEmpty ? val! : arg!;
      case '-':
        return set ? val : arg!;
      case ':+':
        return nonEmpty ? arg! : '';
      case '+':
        return set ? arg! : '';
      case ':?':
      case '?':
        if (op === ':?' ? nonEmpty : set) return val!;
        throw new AxiError(
          'BAD_INPUT',
          `required variable ${key} is not set${arg ? `: ${arg}` : ''} (set it in the environment or .env)`,
        );
      default:
        return val ?? '';
    }
  });
}

export interface ParsedPort {
  hostIp?: string;
  published?: number;
  target: string;
  /** A range (`50100-50200:50100-50200/udp`): left as it is, with a note. `rangeHost` is its host part, if any. */
  range?: boolean;
  rangeHost?: string;
}

/** Short (`[IP:]HOST:CONTAINER[/proto]`, `CONTAINER`, an empty IP) and long (`{ target, published, host_ip, protocol }`) syntax. */
export function parsePort(spec: unknown, service: string, env: Record<string, string | undefined>): ParsedPort {
  if (isMap(spec)) {
    const publishedText = scalarText(spec.published);
    const published = publishedText === '' ? undefined : interpolate(publishedText, env);
    const protocol = scalarText(spec.protocol);
    const proto = protocol && protocol !== 'tcp' ? `/${protocol}` : '';
    const hostIp = scalarText(spec.host_ip) || undefined;
    const target = `${scalarText(spec.target)}${proto}`;
    if (published?.includes('-')) return { hostIp, target, range: true, rangeHost: published };
    return { hostIp, published: published === undefined ? undefined : Number(published), target };
  }
  const s = interpolate(scalarText(spec), env);
  const m = /^(?:(\[[^\]]*\]|[^:]*):)??(?:(\d*(?:-\d+)?):)?(\d+(?:-\d+)?(?:\/\w+)?)$/.exec(s);
  if (!m) throw new AxiError('BAD_INPUT', `service ${service}: cannot read port ${JSON.stringify(s)}`);
  const hostIp = m[1]?.replace(/^\[|\]$/g, '') || undefined; // an empty IP is Compose's "all addresses": ours decides
  if (m[2]?.includes('-') || m[3]!.includes('-'))
    return { hostIp, target: m[3]!, range: true, rangeHost: m[2] || undefined };
  return { hostIp, published: m[2] ? Number(m[2]) : undefined, target: m[3]! };
}

/**
 * The plan of a file's published ports: every fixed host port, in file order, once per distinct number: TCP and UDP on 53, or
 * one port on 127.0.0.1 and [::1], are one host port. Keys are the service name, then
 * `service:target` for more (and `:published` on a clash). Ranges are listed apart, left as they are.
 */
export function portPlan(
  doc: Doc,
  env: Record<string, string | undefined> = {},
): { ports: PublishedPort[]; byNumber: Map<number, string>; ranges: { service: string; spec: string }[] } {
  const ports: PublishedPort[] = [];
  const byNumber = new Map<number, string>();
  const ranges: { service: string; spec: string }[] = [];
  for (const [service, def] of Object.entries(doc.services)) {
    for (const spec of isList(def?.ports) ? def.ports : []) {
      const p = parsePort(spec, service, env);
      const block = /^(\d+)-(\d+)$/.exec(p.rangeHost ?? '');
      // A host range as long as the container's (or onto one port) gets a block of its own per instance.
      if (p.range && block && Number(block[2]) > Number(block[1]) && rangeFits(p.target, block)) {
        const first = Number(block[1]);
        const twin = byNumber.has(first) ? ports.find((x) => x.published === first) : undefined;
        if (twin) addProtocol(twin, p.target); // the same block for TCP and UDP is one, probed over both
        if (byNumber.has(first)) continue;
        const key = ports.some((x) => x.service === service) ? `${service}:${p.target}` : service;
        byNumber.set(first, key);
        const span = Number(block[2]) - first + 1;
        // `${RTC_PORTS:-50100-50200}:…`: the project's variable carries the instance's block in .env.local.
        const variable = publishedVariable(spec, p.rangeHost!, env);
        ports.push({
          key,
          service,
          target: p.target,
          published: first,
          hostIp: p.hostIp,
          span,
          ...(variable ? { variable } : {}),
        });
        continue;
      }
      if (p.range) ranges.push({ service, spec: isMap(spec) ? JSON.stringify(spec) : String(spec) });
      if (p.published === undefined) continue; // Compose picks a free one itself, or a range
      if (!Number.isInteger(p.published) || p.published < 1 || p.published > 65535) {
        throw new AxiError(
          'BAD_INPUT',
          `service ${service}: published port ${JSON.stringify(p.published)} is not a port number`,
        );
      }
      if (byNumber.has(p.published)) {
        const twin = ports.find((x) => x.published === p.published);
        if (twin) addProtocol(twin, p.target); // TCP and UDP on 53: one port, probed over both
        continue;
      }
      let key = ports.some((x) => x.service === service) ? `${service}:${p.target}` : service;
      if (ports.some((x) => x.key === key)) key = `${key}:${p.published}`;
      byNumber.set(p.published, key);
      ports.push({
        key,
        service,
        target: p.target,
        published: p.published,
        hostIp: p.hostIp,
        variable: publishedVariable(spec, p.published, env),
      });
    }
  }
  return { ports, byNumber, ranges };
}

/** A container range as long as the host's (`50100-50200:50100-50200`), or one container port. */
function rangeFits(target: string, block: RegExpExecArray): boolean {
  const t = /^(\d+)(?:-(\d+))?/.exec(target);
  if (!t) return false;
  return t[2] === undefined || Number(t[2]) - Number(t[1]) === Number(block[2]) - Number(block[1]);
}

/** Rootless Docker and Podman cannot bind below 1024: a worktree's ports start from 8000 + the main's. */
export function unprivilegedBase(published: number): number {
  return published < 1024 ? 8000 + published : published;
}

/** Every host port a compose document publishes, each port of a range included (pure; a bad port number throws). */
export function publishedHostPorts(doc: unknown, env: Record<string, string | undefined>): Set<number> {
  if (!isMap(doc) || !isMap(doc.services)) return new Set();
  const { ports } = portPlan(doc as Doc, env);
  return new Set(ports.flatMap((p) => Array.from({ length: p.span ?? 1 }, (_, i) => p.published + i)));
}
