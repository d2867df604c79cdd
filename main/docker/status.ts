import type Dockerode from 'dockerode';
import { instanceId } from '../core/instanceRef';
import { INSTANCE_LABEL, NAMESPACE_LABEL, PROJECT_LABEL, SERVICE_LABEL, WORKING_DIR_LABEL } from '../core/naming';
import type { Ports } from '../core/preset';
import type { InstanceRecord } from '../core/registry';
import type { Health, InstanceState } from '../core/states';

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
  /** All its labels (the origin of a `--from` instance is read back from them). */
  readonly labels: Readonly<Record<string, string>>;
}

export interface ServiceStatus {
  state: string;
  health: Health;
  container?: string;
}

export interface InstanceStatus {
  name: string;
  status: InstanceState;
  services: Record<string, ServiceStatus>;
}

/** "Up 3 seconds (healthy)" → healthy; the list API carries health only in this text. */
export function healthFromStatusText(text: string | undefined): Health {
  if (!text) return 'none';
  if (text.includes('(healthy)')) return 'healthy';
  if (text.includes('(unhealthy)')) return 'unhealthy';
  if (text.includes('(health: starting)')) return 'starting';
  return 'none';
}

export function fromListEntry(c: Dockerode.ContainerInfo): ContainerStatus {
  return {
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
  };
}

/** Every container that Compose made, in one call (no per-instance `docker ps`). */
export async function listComposeContainers(docker: Dockerode): Promise<ContainerStatus[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [PROJECT_LABEL] } });
  return list.map(fromListEntry);
}

/**
 * An instance's status from its containers. `expected` are the services its
 * compose file defines; a service without a container counts as not running.
 */
export function deriveStatus(
  name: string,
  containers: readonly ContainerStatus[] | undefined,
  expected: readonly string[] = [],
): InstanceStatus {
  if (!containers) {
    const services: Record<string, ServiceStatus> = {};
    for (const s of expected) services[s] = { state: 'unknown', health: 'none' };
    return { name, status: 'unknown', services };
  }
  const services: Record<string, ServiceStatus> = {};
  for (const s of expected) services[s] = { state: 'not-created', health: 'none' };
  for (const c of containers) services[c.service || c.name] = { state: c.state, health: c.health, container: c.name };
  const all = Object.values(services);
  const running = all.filter((s) => s.state === 'running').length;
  const created = all.filter((s) => s.state !== 'not-created').length;
  const status: InstanceState =
    created === 0 ? 'not-created' : running === all.length ? 'running' : running > 0 ? 'partial' : 'stopped';
  return { name, status, services };
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
): InstanceStatus {
  return deriveStatus(
    rec.name,
    containers?.filter((c) => c.project === rec.project),
    expectedServices(rec),
  );
}

/** Every instance's status by instance id, from one listing of the engine's containers. */
export function instanceStatuses(
  records: readonly InstanceRecord[],
  containers: readonly ContainerStatus[] | undefined,
): Map<string, InstanceStatus> {
  const byProject = containers && groupByProject(containers);
  return new Map(
    records.map((r) => [instanceId(r), instanceStatus(r, byProject ? (byProject.get(r.project) ?? []) : undefined)]),
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

/** A container's published ports by registry key: its service for the first, `service:target` for more. */
export function portsByKey(containers: readonly ContainerStatus[]): Ports {
  const out: Ports = {};
  for (const c of containers) {
    c.portMap.forEach((p, i) => {
      out[i === 0 ? c.service : `${c.service}:${p.container}${p.type && p.type !== 'tcp' ? `/${p.type}` : ''}`] =
        p.host;
    });
  }
  return out;
}
