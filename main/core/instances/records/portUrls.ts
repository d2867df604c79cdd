import { portPlan } from '../../compose/composePorts';
import { connectionUrls } from '../setup/generator';
import { readInstanceDoc } from './instanceDoc';
import type { InstanceRecord } from '../../registry/record';
import { isMap, isList } from '../../compose/yamlValues';

/** How a published port is reached: `http` only for HTTP; a database by its own scheme; else a plain host:port. */
export type PortKind = 'http' | 'https' | 'postgres' | 'redis' | 'plain';

export interface PortFacts {
  kind: PortKind;
  /** Credentials where the service's own environment has them written out (never a `${VAR}`). */
  user?: string;
  password?: string;
  db?: string;
}

/** One published port as the card and `axi urls` show it. */
export interface PortLink {
  key: string;
  port: number;
  kind: PortKind;
  /** Its variable name in `axi urls` (DATABASE_URL, WEB_URL, DB_URL, …). */
  name: string;
  /** `http://localhost:4200`, `postgresql://u:p@localhost:5432/db`, `redis://localhost:6379`, or `localhost:9000`. */
  url: string;
}

/** The AegisX stack's ports, by service. */
const AEGISX: Record<string, PortKind> = {
  postgres: 'postgres',
  redis: 'redis',
  api: 'http',
  web: 'http',
  admin: 'http',
  pgadmin: 'http',
};
const HTTP_TARGETS = new Set([80, 3000, 3001, 4200, 5000, 5173, 8000, 8080, 8081, 8888, 9000]);
const HTTPS_TARGETS = new Set([443, 8443]);

/** A port's kind from its service's image, container port and name (pure). */
export function portKind(image: string, target: number, service: string): PortKind {
  const img = image.toLowerCase().split('@')[0]!;
  if (/(^|\/)(postgres|postgis|timescaledb)[^/]*(:|$)/.test(img) || target === 5432) return 'postgres';
  if (/(^|\/)(redis|valkey|keydb)[^/]*(:|$)/.test(img) || target === 6379) return 'redis';
  if (HTTPS_TARGETS.has(target)) return 'https';
  if (HTTP_TARGETS.has(target) || /(^|\/)(nginx|httpd|caddy|traefik)[^/]*(:|$)/.test(img)) return 'http';
  return /^(web|www|frontend|front|app|ui|api|admin|site)$/.test(service) ? 'http' : 'plain';
}

/** `KEY: value` or `KEY=value` environment entries, only those written out. */
function literalEnv(def: Record<string, unknown>): Record<string, string> {
  const env = def.environment;
  const pairs: [string, unknown][] = isMap(env)
    ? Object.entries(env)
    : isList(env)
      ? env.map((e) => String(e).split(/=(.*)/s).slice(0, 2) as [string, string])
      : [];
  return Object.fromEntries(
    pairs.filter(([, v]) => typeof v === 'string' && !v.includes('$')).map(([k, v]) => [k, v as string]),
  );
}

/** Every published port of a compose document, by registry key, with its kind (pure). */
export function portFactsOf(doc: unknown, env: Record<string, string | undefined>): Record<string, PortFacts> {
  const services = isMap(doc) && isMap(doc.services) ? doc.services : {};
  const out: Record<string, PortFacts> = {};
  for (const p of portPlan(doc as Parameters<typeof portPlan>[0], env).ports) {
    const def = isMap(services[p.service]) ? (services[p.service] as Record<string, unknown>) : {};
    const kind = portKind(typeof def.image === 'string' ? def.image : '', Number.parseInt(p.target, 10), p.service);
    const e = literalEnv(def);
    out[p.key] =
      kind === 'postgres' && e.POSTGRES_PASSWORD
        ? {
            kind,
            user: e.POSTGRES_USER ?? 'postgres',
            password: e.POSTGRES_PASSWORD,
            db: e.POSTGRES_DB ?? e.POSTGRES_USER ?? 'postgres',
          }
        : { kind };
  }
  return out;
}

/** An instance's port kinds: the AegisX stack's by name; otherwise read from its instance file. */
export async function readPortFacts(rec: InstanceRecord): Promise<Record<string, PortFacts>> {
  if ((rec.source ?? 'aegisx') === 'aegisx') return {};
  const read = await readInstanceDoc(rec);
  try {
    return read ? portFactsOf(read.doc, read.env) : {};
  } catch {
    return {}; // unreadable: ports shown plain
  }
}

const varName = (key: string) => `${key.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_URL`;

/** Every port of an instance with its URL: the AegisX names where they apply, the rest by kind (pure). */
export function portLinks(ports: Record<string, number>, facts: Record<string, PortFacts>): PortLink[] {
  const known = connectionUrls(ports);
  return Object.entries(ports).map(([key, port]) => {
    const f = facts[key] ?? { kind: AEGISX[key] ?? 'plain' };
    const aegisxName = key === 'postgres' ? 'DATABASE_URL' : key === 'redis' ? 'REDIS_URL' : varName(key);
    if (!facts[key] && known[aegisxName]) return { key, port, kind: f.kind, name: aegisxName, url: known[aegisxName] };
    const auth = f.password ? `${encodeURIComponent(f.user!)}:${encodeURIComponent(f.password)}@` : '';
    const url =
      f.kind === 'postgres'
        ? `postgresql://${auth}localhost:${port}${f.db ? `/${encodeURIComponent(f.db)}` : ''}`
        : f.kind === 'redis'
          ? `redis://localhost:${port}`
          : f.kind === 'plain'
            ? `localhost:${port}`
            : `${f.kind}://localhost:${port}`;
    return { key, port, kind: f.kind, name: varName(key), url };
  });
}
