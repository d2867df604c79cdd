/**
 * The router's names as URLs, for everything that shows an instance's URLs (the window, the tray,
 * `axi urls`, `axi env`, `list --json`, the MCP tools): name first, port URL second.
 */
import { loadRepoConfig } from '../project/repoConfig';
import { instanceId } from '../registry/instanceRef';
import type { InstanceRecord } from '../registry/record';
import { routeTable, routeUrl, type RouteTable, type RouterBase } from './routes';

export interface RouteLink {
  /** The port key it goes to (null: the instance has no HTTP port). */
  key: string | null;
  host: string;
  url: string;
  /** The instance's own name (its web service). */
  web: boolean;
}

/** The repository's `router: { web }` for a folder; a missing or broken config is the default. */
export async function routerWeb(folder: string): Promise<string | undefined> {
  try {
    return (await loadRepoConfig(folder)).config.router?.web;
  } catch {
    return undefined;
  }
}

/** Every registration's names (`router.web` read from each folder's config). */
export async function recordRoutes(
  records: readonly InstanceRecord[],
  webOf: (folder: string) => Promise<string | undefined> = routerWeb,
): Promise<RouteTable> {
  const webs = new Map<string, string | undefined>();
  for (const folder of new Set(records.map((r) => r.folder))) webs.set(folder, await webOf(folder));
  const byId = new Map(records.map((r) => [instanceId(r), r.folder]));
  return routeTable(
    records.map((r) => ({ ...r, id: instanceId(r) })),
    (id) => webs.get(byId.get(id)!),
  );
}

/** One instance's names as links on the router at `base`. */
export function linksOf(table: RouteTable, id: string, base: RouterBase): RouteLink[] {
  return (table.byId.get(id) ?? []).map((r) => ({ key: r.key, host: r.host, url: routeUrl(r.host, base), web: r.web }));
}

const urlKey = (key: string) => `${key.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_URL`;

/**
 * `{ APP_URL, WEB_URL, API_URL, … }` by name: APP_URL is the instance's own name; each service's
 * `<KEY>_URL` is its name (the web service's is the instance's own, the shorter one).
 */
export function namedUrls(links: readonly RouteLink[]): Record<string, string> {
  const app = links.find((l) => l.web && l.key !== null);
  const out: Record<string, string> = app ? { APP_URL: app.url } : {};
  for (const l of links) if (!l.web && l.key) out[urlKey(l.key)] = l.key === app?.key ? app.url : l.url;
  return out;
}

/** `routerWeb`, each folder's answer kept for `ttlMs`: the overview is rebuilt on every burst of engine events. */
export function cachedRouterWeb(ttlMs = 5000): (folder: string) => Promise<string | undefined> {
  const kept = new Map<string, { at: number; web: Promise<string | undefined> }>();
  return (folder) => {
    const hit = kept.get(folder);
    if (hit && Date.now() - hit.at < ttlMs) return hit.web;
    const web = routerWeb(folder);
    kept.set(folder, { at: Date.now(), web });
    return web;
  };
}
