import { stat } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import { instanceId, instanceLabels } from '../core/instanceRef';
import { INSTANCE_LABEL, instanceNames, NAMESPACE_LABEL } from '../core/naming';
import type { InstanceRecord } from '../core/registry';
import type { InstanceService } from '../core/service';
import { readVolumeSizes, type VolumeSize } from './stats';
import { PROJECT_LABEL } from './status';

/** A volume in a plan, with its size from the engine's disk-usage report (null where it has none). */
export interface PlannedVolume {
  name: string;
  bytes: number | null;
}

export interface CleanupPlan {
  registrations: { name: string; id: string; folder: string }[];
  containers: { id: string; name: string; project: string }[];
  networks: { id: string; name: string }[];
  volumes: PlannedVolume[];
  /** Volumes that would go with --volumes, listed so a dry run shows them. */
  keptVolumes: PlannedVolume[];
}

/**
 * What no registration owns: registrations whose folder is gone, and the
 * containers, networks and (only with `volumes`) volumes made for an
 * instance — by compose project label, our instance label, or our name
 * prefix — that no remaining registration owns.
 */
export async function planCleanup(
  service: InstanceService,
  docker: Dockerode,
  /** Volume sizes already read from the disk-usage report (the window's stats sample has them). */
  sizes?: readonly VolumeSize[],
): Promise<CleanupPlan> {
  const prefix = service.preset.prefix;
  const records = await service.registry.list();
  const gone: InstanceRecord[] = [];
  const kept: InstanceRecord[] = [];
  for (const r of records) {
    if (
      await stat(r.folder).then(
        (s) => s.isDirectory(),
        () => false,
      )
    )
      kept.push(r);
    else gone.push(r);
  }
  const labels = instanceLabels(records);
  const owned = new Set(kept.map((r) => r.project));
  const ownedNames = new Set(kept.flatMap((r) => Object.values(instanceNames(service.preset, r).containers)));
  const ourProject = (p: string | undefined) => p !== undefined && (p === prefix || p.startsWith(`${prefix}_`));
  const isOrphanProject = (p: string | undefined) => ourProject(p) && !owned.has(p!);

  const containers = (await docker.listContainers({ all: true }))
    .map((c) => ({
      id: c.Id,
      name: (c.Names?.[0] ?? '').replace(/^\//, ''),
      project: c.Labels?.[PROJECT_LABEL] ?? '',
      labels: c.Labels ?? {},
    }))
    .filter((c) => {
      // Ours by namespace, or by our label (stacks with their own prefix, made from a project's compose file).
      if (c.project)
        return isOrphanProject(c.project) || (c.labels[NAMESPACE_LABEL] === prefix && !owned.has(c.project));
      if (INSTANCE_LABEL in c.labels) return true; // a snapshot helper left behind
      return c.name.startsWith(`${prefix}_`) && !ownedNames.has(c.name);
    })
    .map(({ id, name, project }) => ({ id, name, project }));

  const networks = (await docker.listNetworks())
    .filter(
      (n) =>
        isOrphanProject(n.Labels?.[PROJECT_LABEL]) ||
        (!n.Labels?.[PROJECT_LABEL] &&
          /_net$/.test(n.Name) &&
          n.Name.startsWith(`${prefix}_`) &&
          !kept.some((r) => instanceNames(service.preset, r).network === n.Name)),
    )
    .map((n) => ({ id: n.Id, name: n.Name }));

  const goneVolumeNames = new Set(gone.flatMap((r) => Object.values(instanceNames(service.preset, r).volumes)));
  const keptVolumeNames = new Set(kept.flatMap((r) => Object.values(instanceNames(service.preset, r).volumes)));
  // The disk-usage report lists every volume with its labels and size: one call for both.
  const volumes = (sizes ?? (await readVolumeSizes(docker)))
    .filter((v) => !keptVolumeNames.has(v.name) && (isOrphanProject(v.project) || goneVolumeNames.has(v.name)))
    .map((v) => ({ name: v.name, bytes: v.bytes }));

  return {
    registrations: gone.map((r) => ({ name: labels.get(instanceId(r))!, id: instanceId(r), folder: r.folder })),
    containers,
    networks,
    volumes: [],
    keptVolumes: volumes,
  };
}

/** The disk its volumes hold (those it deletes, or would delete with --volumes): what cleanup can reclaim. */
export function reclaimableBytes(plan: CleanupPlan): number {
  return [...plan.volumes, ...plan.keptVolumes].reduce((n, v) => n + (v.bytes ?? 0), 0);
}

export function withVolumes(plan: CleanupPlan): CleanupPlan {
  return { ...plan, volumes: plan.keptVolumes, keptVolumes: [] };
}

export async function applyCleanup(service: InstanceService, docker: Dockerode, plan: CleanupPlan): Promise<void> {
  for (const r of plan.registrations) await service.remove(r.id);
  for (const c of plan.containers) await docker.getContainer(c.id).remove({ force: true, v: false });
  for (const n of plan.networks)
    await docker
      .getNetwork(n.id)
      .remove()
      .catch(() => undefined);
  for (const v of plan.volumes) await docker.getVolume(v.name).remove();
}
