import { volumeNames } from '../../docker/lifecycle/connections';
import type { CopyPause } from '../../docker/data/copyPauses';
import { portsByKey, type ContainerStatus } from '../../docker/status/status';
import { instanceId, labelOf } from '../../core/registry/instanceRef';
import { portLinks, readPortFacts } from '../../core/instances/records/portUrls';
import type { InstanceRecord } from '../../core/registry/record';
import type { RouteTable, RouterBase } from '../../core/routes/routes';
import type { InstanceService } from '../../core/instances/service';
import { linksOf, recordRoutes } from '../../core/routes/routeLinks';
import { instanceStatus } from '../../docker/status/status';
import type { OperationTracker } from '../controller/operations';
import type { SleepState } from '../../core/registry/sleepState';
import type { OverviewData } from './overviewPublisher';
import type { ConflictView, EngineState, EngineView, InstanceView, StackView } from '../../shared/api/table';
import { tunnelViewOf, type TunnelSource } from './tunnelViews';
import { instanceView, type FolderInfoCache } from './views';

/** The Docker side the overview reads: live container status, per engine (the status models). */
export interface LiveStatus {
  /** The local engine's state. */
  readonly engine: EngineState;
  /** A Compose project's containers on `engine` (absent/null: local), or undefined while that engine's state is unknown. */
  project(project: string, engine?: string | null): ContainerStatus[] | undefined;
  /** An engine's state (null: local). */
  stateOf?(engine: string | null | undefined): EngineState;
  /** The remote engines followed. */
  engines?(): EngineView[];
  /** Follow the engines the registrations name (new ones connect, unnamed ones are dropped). */
  follow?(engines: Iterable<string | null | undefined>): void;
}

/** What an overview is made of: registrations, live status, folders, operations, conflicts. */
export interface OverviewSources {
  service: Pick<InstanceService, 'records' | 'summarize' | 'preset' | 'find'>;
  status: LiveStatus;
  folders: Pick<FolderInfoCache, 'get'>;
  ops: Pick<OperationTracker, 'busyWith' | 'busySince' | 'errorOf'>;
  conflicts(): ConflictView[];
  /** Registered ports something listens on (the last re-check's). */
  listening(): ReadonlySet<number>;
  /** Kept SSH tunnels (the desktop app and `axi serve`); absent where none are kept. */
  tunnels?: TunnelSource;
  /** Deployed Swarm stacks by instance id (the desktop app and `axi serve`). */
  stacks?: () => ReadonlyMap<string, StackView>;
  /** The local router's names (the desktop app and `axi serve`): where it answers and each folder's `router.web`. */
  router?: { base(): RouterBase & { running?: boolean }; webOf(folder: string): Promise<string | undefined> };
  /** Pins and sleep marks (`$AXI_HOME/idle.json`). */
  sleep?: () => Promise<SleepState>;
  /** Projects our own data copy has paused (or is resuming), by Compose project. */
  copyPauses?: () => ReadonlyMap<string, CopyPause>;
}

/** What its running containers publish where the registration now says otherwise (they apply at the next start). */
export function oldPorts(
  rec: InstanceRecord,
  containers: readonly ContainerStatus[] | undefined,
): Record<string, number> {
  const published = portsByKey(
    (containers ?? []).filter((c) => c.state === 'running'),
    rec.spans,
    rec.ports,
  );
  return Object.fromEntries(
    Object.entries(published).filter(([k, p]) => rec.ports[k] !== undefined && rec.ports[k] !== p),
  );
}

/** One instance as the window shows it; `records`: all registrations, for its label. */
export async function viewOf(
  s: OverviewSources,
  rec: InstanceRecord,
  records: readonly InstanceRecord[],
  routes?: RouteTable,
  sleep?: SleepState,
): Promise<InstanceView> {
  const containers = s.status.project(rec.project, rec.engine);
  const id = instanceId(rec);
  const status = instanceStatus(rec, containers, s.copyPauses?.().get(rec.project), sleep?.asleep[id]);
  // Read before the first await: the overview builds every card at once, so all of them see the operations of one
  // moment. Read after the folder's git lookup, a card could show an operation that began while another card still
  // showed one that had ended (three busy under Start all's two at a time).
  const busy = { busy: s.ops.busyWith(id), busySince: s.ops.busySince(id), error: s.ops.errorOf(id) };
  const listening = s.listening();
  const { branch, repository, gone, untrusted } = await s.folders.get(rec.folder);
  const extra = {
    label: labelOf(rec, records),
    branch,
    repository,
    ...(rec.suffix ? { suffix: rec.suffix } : {}),
    busy: busy.busy,
    busySince: busy.busySince,
    since: status.since ?? null,
    listening: Object.keys(rec.ports).filter((k) => listening.has(rec.ports[k]!)),
    oldPorts: oldPorts(rec, containers),
    error: busy.error,
    volumes: volumeNames(s.service.preset, rec),
    gone,
    // A remote card reads its own engine's state: the local engine may be fine while this one is lost.
    ...(rec.engine ? { engineState: s.status.stateOf?.(rec.engine) ?? 'connecting' } : {}),
  };
  const tunnel = s.tunnels && tunnelViewOf(rec, extra.label, s.tunnels);
  const stack = s.stacks?.().get(id);
  const base = s.router?.base();
  const links = routes && base && linksOf(routes, id, base);
  // Every published port with its scheme (a compose stack's read from its instance file, kept by mtime).
  const ports = portLinks(rec.ports, await readPortFacts(rec));
  return instanceView(s.service.summarize(rec), status, {
    ...extra,
    ports,
    ...(links ? { routes: links.map(({ key, url, web }) => ({ key, url, web })) } : {}),
    ...(links && base.running === false ? { routerDown: true } : {}),
    ...(tunnel ? { tunnel } : {}),
    ...(stack ? { stack } : {}),
    ...(status.asleep ? { asleep: { ...status.asleep } } : {}),
    ...(sleep?.pinned.includes(id) ? { pinned: true } : {}),
    ...(untrusted ? { needsTrust: true as const } : {}),
  });
}

/** One instance by name, id or folder, as the window shows it. */
export async function findView(s: OverviewSources, name: string): Promise<InstanceView> {
  const rec = await s.service.find(name);
  const records = await s.service.records();
  return viewOf(s, rec, records, await routesOf(s, records), await s.sleep?.());
}

/** Every registration's names, where a router is run. */
function routesOf(s: OverviewSources, records: readonly InstanceRecord[]): Promise<RouteTable | undefined> {
  return s.router ? recordRoutes(records, (f) => s.router!.webOf(f)) : Promise.resolve(undefined);
}

export async function buildOverview(s: OverviewSources): Promise<OverviewData> {
  const records = await s.service.records();
  const routes = await routesOf(s, records);
  const sleep = await s.sleep?.();
  // Cheap and idempotent: a registration on a new engine starts following it before its first card is built.
  s.status.follow?.(records.map((r) => r.engine));
  return {
    engine: s.status.engine,
    engines: s.status.engines?.() ?? [],
    instances: await Promise.all(records.map((r) => viewOf(s, r, records, routes, sleep))),
    // With the engine away, its own proxies look like strangers on every port: no conflict can be told.
    conflicts: s.status.engine === 'connected' ? s.conflicts() : [],
    ...(routes?.clashes.size ? { routeClashes: [...routes.clashes].map(([host, ids]) => ({ host, ids })) } : {}),
  };
}
