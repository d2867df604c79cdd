import { volumeNames } from '../docker/lifecycle';
import type { ContainerStatus } from '../docker/status';
import { instanceId, labelOf } from '../core/instanceRef';
import type { InstanceRecord } from '../core/registry';
import type { InstanceService } from '../core/service';
import { instanceStatus } from './instanceStatus';
import type { OperationTracker } from './operations';
import type { OverviewData } from './overviewPublisher';
import type { ConflictView, EngineState, InstanceView } from './table';
import { instanceView, type FolderInfoCache } from './views';

/** The Docker side the overview reads: live container status (the status model). */
export interface LiveStatus {
  readonly engine: EngineState;
  /** A Compose project's containers, or undefined while the engine's state is unknown. */
  project(project: string): ContainerStatus[] | undefined;
}

/** What an overview is made of: registrations, live status, folders, operations, conflicts. */
export interface OverviewSources {
  service: Pick<InstanceService, 'records' | 'summarize' | 'preset' | 'find'>;
  status: LiveStatus;
  folders: FolderInfoCache;
  ops: Pick<OperationTracker, 'busyWith' | 'busySince' | 'errorOf'>;
  conflicts(): ConflictView[];
  /** Registered ports something listens on (the last re-check's). */
  listening(): ReadonlySet<number>;
}

/** One instance as the window shows it; `records`: all registrations, for its label. */
export async function viewOf(
  s: OverviewSources,
  rec: InstanceRecord,
  records: readonly InstanceRecord[],
): Promise<InstanceView> {
  const status = instanceStatus(rec, s.status.project(rec.project));
  const { branch, repository, gone } = await s.folders.get(rec.folder);
  const id = instanceId(rec);
  const listening = s.listening();
  const extra = {
    label: labelOf(rec, records),
    branch,
    repository,
    busy: s.ops.busyWith(id),
    busySince: s.ops.busySince(id),
    since: status.since ?? null,
    listening: Object.keys(rec.ports).filter((k) => listening.has(rec.ports[k]!)),
    error: s.ops.errorOf(id),
    volumes: volumeNames(s.service.preset, rec),
    gone,
  };
  return instanceView(s.service.summarize(rec), status, extra);
}

/** One instance by name, id or folder, as the window shows it. */
export async function findView(s: OverviewSources, name: string): Promise<InstanceView> {
  const rec = await s.service.find(name);
  return viewOf(s, rec, await s.service.records());
}

export async function buildOverview(s: OverviewSources): Promise<OverviewData> {
  const records = await s.service.records();
  return {
    engine: s.status.engine,
    instances: await Promise.all(records.map((r) => viewOf(s, r, records))),
    // With the engine away, its own proxies look like strangers on every port: no conflict can be told.
    conflicts: s.status.engine === 'connected' ? s.conflicts() : [],
  };
}
