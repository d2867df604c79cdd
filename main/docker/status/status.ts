import type Dockerode from 'dockerode';
import { instanceId } from '../../core/registry/instanceRef';
import {
  INSTANCE_LABEL,
  NAMESPACE_LABEL,
  PROJECT_LABEL,
  SERVICE_LABEL,
  WORKING_DIR_LABEL,
} from '../../core/project/naming';
import type { Ports } from '../../core/project/preset';
import type { Spans } from '../../core/ports/portRanges';
import { publishedKeys } from '../../core/ports/publishedKeys';
import type { InstanceRecord } from '../../core/registry/record';
import { serviceUp, type Health, type InstanceState } from '../../shared/states';
import type { CopyPause } from '../data/copyPauses';
import type { SleepMark } from '../../core/registry/sleepState';

export type { Health, InstanceState };

export interface ContainerStatus {
  readonly id: string;
  readonly name: string;
  readonly project: string;
  readonly service: string;
  /** Docker's state: running, exited, created, paused, restarting, dead, removing. */
  readonly state: string;
  readonly health: Health;
  readonly image: string;
  /** When it was created, in Unix seconds. */
  readonly created: number;
  /** Host ports this container publishes. */
  readonly published: readonly number[];
  /** Container port → host port, in the engine's order. */
  readonly portMap: readonly { container: number; host: number; type: string }[];
  /** The folder Compose ran in (its `working_dir` label). */
  readonly workingDir?: string;
  readonly instanceLabel?: string;
  readonly namespace?: string;
  /** The named volumes it mounts (a copy pauses only the containers that mount a copied one). */
  readonly volumes?: readonly string[];
  /** All its labels (the origin of a `--from` instance is read back from them). */
  readonly labels: Readonly<Record<string, string>>;
  /** When it entered its state (started, or exited), in ms; from Docker's "Up 3 minutes" text, so approximate. */
  readonly since?: number;
  /** Down because a stop or kill was asked of it (known from the engine's events), not by a crash. */
  readonly stopAsked?: boolean;
}

export interface ServiceStatus {
  state: string;
  health: Health;
  container?: string;
  /** Down because someone asked it to stop (see ContainerStatus). */
  stopAsked?: boolean;
}

export interface InstanceStatus {
  name: string;
  status: InstanceState;
  services: Record<string, ServiceStatus>;
  /** Since when (ms) it has been in this state: up since its first running container, stopped since its last exit. */
  since?: number;
  /** Asleep: since when and why. */
  asleep?: SleepMark;
  /** Running, but paused by our own data copy (or resuming from it). */
  copyPause?: CopyPause;
}

/** "Up 3 seconds (healthy)" → healthy; the list API carries health only in this text. */
export function healthFromStatusText(text: string | undefined): Health {
  if (!text) return 'none';
  if (text.includes('(healthy)')) return 'healthy';
  if (text.includes('(unhealthy)')) return 'unhealthy';
  if (text.includes('(health: starting)')) return 'starting';
  return 'none';
}

const UNIT_MS: Record<string, number> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
};

/**
 * "Up 3 minutes (healthy)", "Exited (0) About an hour ago" → when that state began, in ms. Docker's list
 * call gives only this text (go-units' HumanDuration); exact times would cost one inspect per container.
 */
export function sinceFromStatusText(text: string | undefined, now: number): number | undefined {
  const m = /^(?:Up|Exited \(-?\d+\)|Restarting \(-?\d+\)) (.+?)(?: ago)?(?: \(.*\))?$/.exec(text ?? '');
  if (!m) return undefined;
  const span = m[1]!;
  if (/^less than a second/i.test(span)) return now;
  const n = /^(about an?|\d+) (second|minute|hour|day|week|month|year)s?$/i.exec(span);
  if (!n) return undefined;
  const count = /^about/i.test(n[1]!) ? 1 : Number(n[1]);
  return now - count * UNIT_MS[n[2]!.toLowerCase()]!;
}

export function fromListEntry(c: Dockerode.ContainerInfo, now = Date.now()): ContainerStatus {
  const since = sinceFromStatusText(c.Status, now);
  return {
    ...(since === undefined ? {} : { since }),
    id: c.Id,
    name: (c.Names?.[0] ?? c.Id).replace(/^\//, ''),
    project: c.Labels?.[PROJECT_LABEL] ?? '',
    service: c.Labels?.[SERVICE_LABEL] ?? '',
    state: c.State,
    health: c.State === 'running' ? healthFromStatusText(c.Status) : 'none',
    image: c.Image,
    created: c.Created,
    published: [...new Set((c.Ports ?? []).map((p) => p.PublicPort).filter((p): p is number => Boolean(p)))],
    portMap: (c.Ports ?? [])
      .filter((p) => p.PublicPort && (!p.IP || p.IP === '0.0.0.0' || !p.IP.includes(':')))
      .map((p) => ({ container: p.PrivatePort, host: p.PublicPort, type: p.Type })),
    workingDir: c.Labels?.[WORKING_DIR_LABEL],
    instanceLabel: c.Labels?.[INSTANCE_LABEL],
    namespace: c.Labels?.[NAMESPACE_LABEL],
    labels: c.Labels ?? {},
    volumes: (c.Mounts ?? []).flatMap((m) => (m.Type === 'volume' && m.Name ? [m.Name] : [])),
  };
}

/** Every container that Compose made, in one call (no per-instance `docker ps`). */
export async function listComposeContainers(docker: Dockerode, abortSignal?: AbortSignal): Promise<ContainerStatus[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [PROJECT_LABEL] }, abortSignal });
  return list.map((c) => fromListEntry(c));
}

/**
 * An instance's status from its containers. `expected` are the services its
 * compose file defines; a service without a container counts as not running.
 */
export function deriveStatus(
  name: string,
  containers: readonly ContainerStatus[] | undefined,
  expected: readonly string[] = [],
  copyPause?: CopyPause,
): InstanceStatus {
  if (!containers) {
    const services: Record<string, ServiceStatus> = {};
    for (const s of expected) services[s] = { state: 'unknown', health: 'none' };
    return { name, status: 'unknown', services };
  }
  const services: Record<string, ServiceStatus> = {};
  for (const s of expected) services[s] = { state: 'not-created', health: 'none' };
  for (const c of containers)
    services[c.service || c.name] = {
      state: c.state,
      health: ourHealth(c, copyPause),
      container: c.name,
      ...(c.stopAsked ? { stopAsked: true } : {}),
    };
  const all = Object.values(services);
  const running = all.filter((s) => serviceUp(s.state, copyPause)).length;
  const created = all.filter((s) => s.state !== 'not-created').length;
  const status: InstanceState =
    created === 0 ? 'not-created' : running === all.length ? 'running' : running > 0 ? 'partial' : 'stopped';
  const since = stateSince(status, containers);
  return {
    name,
    status,
    services,
    ...(since === undefined ? {} : { since }),
    ...(copyPause && status === 'running' ? { copyPause } : {}),
  };
}

/** Health checks missed while a copy paused the container say nothing about it: shown as starting again. */
function ourHealth(c: ContainerStatus, copyPause: CopyPause | undefined): Health {
  return copyPause && c.health === 'unhealthy' ? 'starting' : c.health;
}

/** Up since its earliest running container; stopped (or partly running) since its latest change. */
function stateSince(status: InstanceState, containers: readonly ContainerStatus[]): number | undefined {
  const times = containers
    .filter((c) => (status === 'running' ? c.state === 'running' : true))
    .map((c) => c.since)
    .filter((t): t is number => t !== undefined);
  if (!times.length || status === 'not-created') return undefined;
  return status === 'running' ? Math.min(...times) : Math.max(...times);
}

/** Services an instance's compose file defines, as recorded at setup. */
export function expectedServices(rec: Pick<InstanceRecord, 'services'>): string[] {
  return rec.services ?? [];
}

/**
 * A registered instance's status: the one derivation for the CLI, the API and the tray.
 * `containers` may be every Compose container on the engine or only the instance's project
 * (its own are picked by project); undefined while the engine's state is unknown.
 */
export function instanceStatus(
  rec: Pick<InstanceRecord, 'name' | 'project' | 'services'>,
  containers: readonly ContainerStatus[] | undefined,
  copyPause?: CopyPause,
  sleep?: SleepMark,
): InstanceStatus {
  const s = deriveStatus(
    rec.name,
    containers?.filter((c) => c.project === rec.project),
    expectedServices(rec),
    copyPause,
  );
  // Put to sleep and still stopped: asleep since then. Started since (by hand or a wake): what the engine says.
  return sleep && s.status === 'stopped' ? { ...s, status: 'asleep', since: sleep.since, asleep: sleep } : s;
}

/** Every instance's status by instance id, from one listing of the engine's containers. */
export function instanceStatuses(
  records: readonly InstanceRecord[],
  containers: readonly ContainerStatus[] | undefined,
  asleep: Readonly<Record<string, SleepMark>> = {},
): Map<string, InstanceStatus> {
  const byProject = containers && groupByProject(containers);
  return new Map(
    records.map((r) => [
      instanceId(r),
      instanceStatus(r, byProject ? (byProject.get(r.project) ?? []) : undefined, undefined, asleep[instanceId(r)]),
    ]),
  );
}

export function groupByProject(containers: readonly ContainerStatus[]): Map<string, ContainerStatus[]> {
  const by = new Map<string, ContainerStatus[]>();
  for (const c of containers) {
    const list = by.get(c.project) ?? [];
    list.push(c);
    by.set(c.project, list);
  }
  return by;
}

/** Containers' published ports by registry key, a registered range (`spans`) as one entry (see publishedKeys). */
export function portsByKey(containers: readonly ContainerStatus[], spans?: Spans, registered?: Ports): Ports {
  return publishedKeys(containers, spans, registered);
}
