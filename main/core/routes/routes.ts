/**
 * The router's names: `<instance>.<repo>.localhost` for an instance's web service,
 * `<service>.<instance>.<repo>.localhost` for each of its published HTTP ports, `<repo>.localhost`
 * (and `<service>.<repo>.localhost`) for the main checkout. A pure function of the registrations:
 * names come from the instance and repository names and the port keys, never from port numbers,
 * so a reassignment keeps every name. Two registrations that would share a name get neither: the
 * clash is reported, never resolved by picking one. No Node imports: the window compiles it.
 */
import { scopeOf, type RefRecord } from '../registry/instanceRef';

/** What a name is made of: a registration's names and port keys. */
export type RouteRecord = RefRecord & { ports: Record<string, number> };

export interface Route {
  /** `fix-login.shop.localhost`, lower case, each label a valid DNS label. */
  host: string;
  /** The instance's id (`scope/name`). */
  id: string;
  /** The port key it goes to; null: the instance's name, with no HTTP port to go to. */
  key: string | null;
  /** The instance's own name (its web service), rather than one of its services. */
  web: boolean;
}

export interface RouteTable {
  /** Each name that belongs to exactly one instance. */
  byHost: Map<string, Route>;
  /** Each instance's names (clashing ones left out), the web one first. */
  byId: Map<string, Route[]>;
  /** Names two or more instances would have, with their ids: routed to none. */
  clashes: Map<string, string[]>;
}

/** Services and container ports that speak something other than HTTP (databases, caches, brokers, mail). */
const NOT_HTTP_SERVICE =
  /^(postgres(ql)?|pg|db|database|redis|valkey|mysql|mariadb|mongo(db)?|memcached?|rabbitmq|amqp|kafka|zookeeper|cassandra|smtp)$/;
const NOT_HTTP_PORT = new Set([
  '25',
  '465',
  '587',
  '1025',
  '1433',
  '1521',
  '2181',
  '3306',
  '4222',
  '5432',
  '5672',
  '6379',
  '9042',
  '9092',
  '11211',
  '27017',
]);

/** A port key (`web`, `web:443`, `mail:1025`) that is worth a name: an HTTP one, as far as its key tells. */
export function isHttpKey(key: string): boolean {
  const [service = '', target] = key.split(':');
  const bare = service.toLowerCase().replace(/[-_]?\d+$/, '');
  if (target !== undefined) return !NOT_HTTP_PORT.has(target);
  return !NOT_HTTP_SERVICE.test(bare) && !NOT_HTTP_SERVICE.test(service.toLowerCase());
}

/** FNV-1a, 32 bits, as 8 hex digits: a short stable tag for a label cut to length. */
function tag(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** `Fix_Login` → `fix-login`: letters, digits and inner dashes, at most 63 characters. */
export function dnsLabel(s: string): string {
  const l = s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!l) return `x${tag(s)}`;
  return l.length > 63 ? `${l.slice(0, 54).replace(/-+$/, '')}-${tag(s)}` : l;
}

/** The repository's label: its base name (origin's, or the main folder's), else its scope. */
export function repoLabel(rec: RouteRecord): string {
  return dnsLabel(rec.base || scopeOf(rec));
}

/** The instance's own name: `fix-login.shop.localhost`, or `shop.localhost` for the main checkout. */
export function instanceHost(rec: RouteRecord): string {
  const repo = repoLabel(rec);
  return rec.main ? `${repo}.localhost` : `${dnsLabel(rec.name)}.${repo}.localhost`;
}

/** The Compose service a port key belongs to: `web` and `web:443` are both `web`'s. */
export const serviceOfKey = (key: string): string => key.split(':')[0]!;

/**
 * Which port key the instance's own name goes to: the repository's `router: { web: SERVICE }`, else a
 * `web` key (the AegisX stack), else the first HTTP one. Null when it has none.
 */
export function webKey(ports: Record<string, number>, web?: string): string | null {
  const keys = Object.keys(ports);
  if (web) return keys.find((k) => k === web || serviceOfKey(k) === web) ?? null;
  return keys.find((k) => k === 'web') ?? keys.find(isHttpKey) ?? null;
}

/** One registration's names, before clashes are looked at. */
export function routesOf(rec: RouteRecord, id: string, web?: string): Route[] {
  const host = instanceHost(rec);
  const out: Route[] = [{ host, id, key: webKey(rec.ports, web), web: true }];
  for (const key of Object.keys(rec.ports).filter(isHttpKey))
    out.push({ host: `${dnsLabel(key)}.${host}`, id, key, web: false });
  return out;
}

/**
 * Every registration's names; `webOf(id)`: the repository's `router.web` for that instance, if set. A
 * name two instances would share goes to neither and is listed in `clashes`.
 */
export function routeTable(
  records: readonly (RouteRecord & { id: string })[],
  webOf: (id: string) => string | undefined = () => undefined,
): RouteTable {
  const all = records.flatMap((r) => routesOf(r, r.id, webOf(r.id)));
  const owners = new Map<string, Set<string>>();
  for (const r of all) owners.set(r.host, (owners.get(r.host) ?? new Set()).add(r.id));
  const clashes = new Map<string, string[]>();
  for (const [host, ids] of owners) if (ids.size > 1) clashes.set(host, [...ids].sort());
  const byHost = new Map<string, Route>();
  const byId = new Map<string, Route[]>(records.map((r) => [r.id, []]));
  for (const r of all) {
    if (clashes.has(r.host)) continue;
    byHost.set(r.host, r);
    byId.get(r.id)!.push(r);
  }
  return { byHost, byId, clashes };
}

/** Where the router answers: its port (80 leaves it out of URLs) and scheme. */
export interface RouterBase {
  port: number;
  tls: boolean;
  /** With TLS, a second port it also answers on (443 beside 80): https URLs use it. */
  httpsPort?: number;
}

/**
 * `http://fix-login.shop.localhost:7080`: a name as a URL on the router. An https URL carries its port unless it
 * is 443 (`https://NAME:80` is true of a router on 80 only: the port speaks both).
 */
export function routeUrl(host: string, base: RouterBase): string {
  const scheme = base.tls ? 'https' : 'http';
  const port = base.tls ? (base.httpsPort ?? base.port) : base.port;
  return `${scheme}://${host}${port === (base.tls ? 443 : 80) ? '' : `:${port}`}`;
}

/** The name a request asked for: its Host header without port or final dot, lower case; '' if none. */
export function hostOf(header: string | undefined): string {
  if (!header) return '';
  const h = header.trim().toLowerCase();
  const name = h.startsWith('[') ? h : h.replace(/:\d+$/, '');
  return name.replace(/\.$/, '');
}
