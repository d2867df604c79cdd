/**
 * The URL commands' view of the router's names (`axi urls`, `axi env`, `list --json`, the MCP tools):
 * on the router as it runs; none while no router runs.
 */
import { instanceUrls } from '../core/instances/records/checkout';
import { instanceId } from '../core/registry/instanceRef';
import { readPortFacts } from '../core/instances/records/portUrls';
import type { InstanceRecord } from '../core/registry/record';
import { linksOf, namedUrls, recordRoutes } from '../core/routes/routeLinks';
import type { SettingsStore } from '../shared/schemas/settings';
import { routerBase } from '../core/routes/routerState';

/** What the URL commands need to name an instance: all registrations, where settings live, `$AXI_HOME`. */
export interface NameSources {
  service: { records(): Promise<InstanceRecord[]>; paths: { home: string } };
  settings: SettingsStore;
}

/**
 * An instance's names (`namedUrls`) on the running router, and the names it lost to a clash. No names
 * while no router runs (`routerRunning` false): they would lead nowhere.
 */
export async function instanceNames(
  s: NameSources,
  rec: InstanceRecord,
): Promise<{ names: Record<string, string>; clashes: string[]; routerRunning: boolean }> {
  const table = await recordRoutes(await s.service.records());
  const id = instanceId(rec);
  const base = routerBase(s.service.paths.home, s.settings.read().settings);
  const clashes = [...table.clashes].filter(([, ids]) => ids.includes(id)).map(([h]) => h);
  const names = base.running ? namedUrls(linksOf(table, id, base)) : {};
  return { names, clashes, routerRunning: base.running };
}

/**
 * `axi urls` and the MCP tool: names first, then the port URLs and connection strings, each with its scheme.
 * `oldPorts`: what its running containers still publish where the registration moved a port (see overview):
 * those stay its URLs until a restart, and `pending` names the new ports.
 */
export async function urlsWithNames(s: NameSources, rec: InstanceRecord, oldPorts: Record<string, number> = {}) {
  const { names, clashes, routerRunning } = await instanceNames(s, rec);
  const facts = await readPortFacts(rec);
  const { name, id, bind, urls } = instanceUrls({ ...rec, ports: { ...rec.ports, ...oldPorts } }, facts);
  const pending = Object.fromEntries(
    Object.entries(oldPorts).map(([k, p]) => [k, { port: rec.ports[k]!, running: p }]),
  );
  return {
    name,
    id,
    bind,
    routerRunning,
    names,
    ...(clashes.length ? { clashes } : {}),
    ports: rec.ports,
    urls,
    ...(Object.keys(pending).length ? { pending } : {}),
  };
}
