import { stat } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import { instanceId, instanceLabels } from '../../core/registry/instanceRef';
import {
  inNamespace,
  INSTANCE_LABEL,
  instanceNames,
  NAMESPACE_LABEL,
  ownedByOther,
  PROJECT_LABEL,
  registryOf,
  REGISTRY_LABEL,
} from '../../core/project/naming';
import type { InstanceRecord } from '../../core/registry/record';
import type { InstanceService } from '../../core/instances/service';
import { goneDecisions } from './cleanupPolicy';
import { foreignOwner } from '../lifecycle/ownership';
import { retireInstance } from '../lifecycle/retire';
import { readVolumeSizes, type VolumeSize } from '../status/stats';

/** A volume in a plan, with its size from the engine's disk-usage report (null where it has none). */
export interface PlannedVolume {
  name: string;
  bytes: number | null;
  /** On a copy-on-write engine, what deleting it frees (the rest is shared with other volumes). */
  exclusive?: number | null;
  /** No registry label: deleted only when asked for explicitly (--unowned). */
  unowned?: boolean;
}

export interface CleanupPlan {
  registrations: { name: string; id: string; folder: string }[];
  containers: { id: string; name: string; project: string }[];
  networks: { id: string; name: string }[];
  volumes: PlannedVolume[];
  /** This registry's volumes that would go with --volumes, listed so a dry run shows them. */
  keptVolumes: PlannedVolume[];
  /** Orphaned volumes with no registry label (the scripts', an older axi's, hand-made): only with --unowned too. */
  unownedVolumes: PlannedVolume[];
  /**
   * Removed worktrees retired by their repository's `worktrees.onRemove`: containers, networks and volumes;
   * `skipped`: what its project or names reach that another registry, folder or user owns (left alone).
   */
  retire: {
    id: string;
    name: string;
    folder: string;
    snapshot: boolean;
    containers: string[];
    volumes: string[];
    skipped: string[];
  }[];
  /** Gone registrations only reported (`onRemove: keep`, or a folder git still lists): nothing of them is touched. */
  reported: { id: string; name: string; folder: string; why: string }[];
}

/** What cleanup judges by: the registrations that stay (present, or kept by their policy) and the namespace. */
interface Owned {
  prefix: string;
  kept: InstanceRecord[];
  isOrphan: (labels: Record<string, string> | undefined) => boolean;
  names: (r: InstanceRecord) => ReturnType<typeof instanceNames>;
}

async function splitByFolder(records: readonly InstanceRecord[]): Promise<[InstanceRecord[], InstanceRecord[]]> {
  const exists = await Promise.all(
    records.map((r) =>
      stat(r.folder).then(
        (s) => s.isDirectory(),
        () => false,
      ),
    ),
  );
  return [records.filter((_, i) => exists[i]), records.filter((_, i) => !exists[i])];
}

function ownedBy(service: InstanceService, kept: InstanceRecord[]): Owned {
  const prefix = service.preset.prefix;
  const projects = new Set(kept.map((r) => r.project));
  return {
    prefix,
    kept,
    // Ours (by project name, namespace label, or this registry's label: a repository's own `prefix:` names its
    // volumes and network outside the namespace, and only containers carry the namespace label) and owned by no
    // remaining registration.
    isOrphan: (l) => {
      const project = l?.[PROJECT_LABEL];
      const ours =
        inNamespace(prefix, { project, namespace: l?.[NAMESPACE_LABEL], labels: l }) ||
        (l?.[REGISTRY_LABEL] !== undefined && registryOf(l) === 'ours');
      return project !== undefined && ours && !projects.has(project);
    },
    names: (r) => instanceNames(service.preset, r),
  };
}

function orphanContainers(all: Dockerode.ContainerInfo[], o: Owned): CleanupPlan['containers'] {
  const ownedNames = new Set(o.kept.flatMap((r) => Object.values(o.names(r).containers)));
  return all
    .map((c) => ({
      id: c.Id,
      name: (c.Names?.[0] ?? '').replace(/^\//, ''),
      project: c.Labels?.[PROJECT_LABEL] ?? '',
      labels: c.Labels ?? {},
      state: c.State,
    }))
    .filter((c) => {
      if (ownedByOther(c.labels)) return false; // another user's, on a shared engine: never ours to remove
      if (c.labels['com.docker.swarm.task.id']) return false; // a Swarm task's (axi stack): Swarm removes its own
      // Ours by namespace, or by our label (stacks with their own prefix, made from a project's compose file).
      if (c.project) return o.isOrphan(c.labels);
      // A snapshot or copy helper left behind; a running one is another process's copy in flight (any namespace).
      if (INSTANCE_LABEL in c.labels) return c.state !== 'running';
      return c.name.startsWith(`${o.prefix}_`) && !ownedNames.has(c.name);
    })
    .map(({ id, name, project }) => ({ id, name, project }));
}

function orphanNetworks(all: Dockerode.NetworkInspectInfo[], o: Owned): CleanupPlan['networks'] {
  return all
    .filter(
      (n) =>
        o.isOrphan(n.Labels) ||
        (!n.Labels?.[PROJECT_LABEL] &&
          !ownedByOther(n.Labels) &&
          /_net$/.test(n.Name) &&
          n.Name.startsWith(`${o.prefix}_`) &&
          !o.kept.some((r) => o.names(r).network === n.Name)),
    )
    .map((n) => ({ id: n.Id, name: n.Name }));
}

/** Orphaned volumes: this registry's, and apart from them the unowned ones (no registry label). */
function orphanVolumes(
  sized: readonly VolumeSize[],
  gone: InstanceRecord[],
  o: Owned,
): Pick<CleanupPlan, 'keptVolumes' | 'unownedVolumes'> {
  const goneNames = new Set(gone.flatMap((r) => Object.values(o.names(r).volumes)));
  const keptNames = new Set(o.kept.flatMap((r) => Object.values(o.names(r).volumes)));
  const orphans = sized.filter(
    (v) => !keptNames.has(v.name) && !ownedByOther(v.labels) && (o.isOrphan(v.labels) || goneNames.has(v.name)),
  );
  const planned = (unowned: boolean) =>
    orphans
      .filter((v) => (registryOf(v.labels) === 'unowned') === unowned)
      .map((v) => ({ name: v.name, bytes: v.bytes, ...(v.exclusive != null && { exclusive: v.exclusive }) }));
  return { keptVolumes: planned(false), unownedVolumes: planned(true) };
}

/** Removed worktrees whose policy retires them (what goes with each) or keeps them (reported only). */
function policyPlan(
  byPolicy: InstanceRecord[],
  decisions: Awaited<ReturnType<typeof goneDecisions>>,
  ctx: { labels: Map<string, string>; containers: Dockerode.ContainerInfo[]; sized: readonly VolumeSize[]; o: Owned },
): Pick<CleanupPlan, 'retire' | 'reported'> {
  const retire: CleanupPlan['retire'] = [];
  const reported: CleanupPlan['reported'] = [];
  for (const r of byPolicy) {
    const d = decisions.get(instanceId(r))!;
    const base = { id: instanceId(r), name: ctx.labels.get(instanceId(r))!, folder: r.folder };
    if (d.kind === 'keep') reported.push({ ...base, why: d.why });
    if (d.kind !== 'retire') continue;
    const own = new Set(Object.values(ctx.o.names(r).volumes));
    // The same rule retireInstance applies: what another registry, folder or user owns is left, and said.
    const skipped: string[] = [];
    const mine = (kind: string, name: string, labels: Record<string, string> | undefined) => {
      const f = foreignOwner(labels, r.folder);
      if (f) skipped.push(`${kind} ${name} (belongs to ${f.owner})`);
      return !f;
    };
    const containers = ctx.containers
      .filter((c) => c.Labels?.[PROJECT_LABEL] === r.project)
      .map((c) => ({ name: (c.Names?.[0] ?? c.Id).replace(/^\//, ''), labels: c.Labels }))
      .filter((c) => mine('container', c.name, c.labels))
      .map((c) => c.name);
    const volumes = ctx.sized
      .filter((v) => (v.project === r.project || own.has(v.name)) && mine('volume', v.name, v.labels))
      .map((v) => v.name)
      .sort();
    retire.push({ ...base, snapshot: d.snapshot, containers, volumes, skipped });
  }
  return { retire, reported };
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
  const records = await service.records();
  const [present, missing] = await splitByFolder(records);
  // A repository's worktree policy decides for its removed worktrees; the others are forgotten as before.
  const decisions = await goneDecisions(missing, present);
  const byPolicy = missing.filter((r) => decisions.get(instanceId(r))!.kind !== 'forget');
  const gone = missing.filter((r) => decisions.get(instanceId(r))!.kind === 'forget');
  // What the policy retires or keeps is owned here: it never shows as an orphan of its own.
  const o = ownedBy(service, [...present, ...byPolicy]);
  const labels = instanceLabels(records);
  const containers = await docker.listContainers({ all: true });
  // The disk-usage report lists every volume with its labels and size: one call for both.
  const sized = sizes ?? (await readVolumeSizes(docker));
  return {
    registrations: gone.map((r) => ({ name: labels.get(instanceId(r))!, id: instanceId(r), folder: r.folder })),
    containers: orphanContainers(containers, o),
    networks: orphanNetworks(await docker.listNetworks(), o),
    volumes: [],
    ...orphanVolumes(sized, gone, o),
    ...policyPlan(byPolicy, decisions, { labels, containers, sized, o }),
  };
}

/**
 * The disk its volumes hold (those it deletes, or would delete with --volumes): what cleanup can reclaim. Unowned
 * volumes count only once asked for (--unowned), as they are deleted only then.
 */
export function reclaimableBytes(plan: CleanupPlan): number {
  // A clone's shared blocks stay with the volumes that share them: only its own are freed.
  return [...plan.volumes, ...plan.keptVolumes].reduce((n, v) => n + (v.exclusive ?? v.bytes ?? 0), 0);
}

/** `--volumes`: this registry's orphaned volumes are deleted too; the unowned ones only with `unowned` as well. */
export function withVolumes(plan: CleanupPlan, unowned = false): CleanupPlan {
  return unowned
    ? {
        ...plan,
        volumes: [...plan.keptVolumes, ...plan.unownedVolumes.map((v) => ({ ...v, unowned: true }))],
        keptVolumes: [],
        unownedVolumes: [],
      }
    : { ...plan, volumes: plan.keptVolumes, keptVolumes: [] };
}

export async function applyCleanup(service: InstanceService, docker: Dockerode, plan: CleanupPlan): Promise<void> {
  for (const r of plan.retire)
    await retireInstance(docker, service, await service.find(r.id), { snapshot: r.snapshot });
  for (const r of plan.registrations) await service.remove(r.id);
  for (const c of plan.containers) await docker.getContainer(c.id).remove({ force: true, v: false });
  for (const n of plan.networks)
    await docker
      .getNetwork(n.id)
      .remove()
      .catch(() => undefined);
  for (const v of plan.volumes) await docker.getVolume(v.name).remove();
}
