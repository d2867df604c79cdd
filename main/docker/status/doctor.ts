import { stat } from 'node:fs/promises';
import { instanceId, instanceLabels } from '../../core/registry/instanceRef';
import {
  FROM_LABEL,
  inNamespace,
  INSTANCE_LABEL,
  ownedByOther,
  PREFIX_LABEL,
  SOURCE_LABEL,
} from '../../core/project/naming';
import type { Ports } from '../../core/project/preset';
import type { InstanceRecord } from '../../core/registry/record';
import type { InstanceService } from '../../core/instances/service';
import { shellQuote } from '../../core/util/shellQuote';
import { adoptStack, findStrayStacks } from './adoption';
import { staleFindings, type StaleFinding } from './staleChecks';
import { listComposeContainers, portsByKey, type ContainerStatus } from './status';

export type Finding =
  | StaleFinding
  | { kind: 'unregistered'; project: string; folder: string | null; ports: Ports; engine?: string; fix: string }
  | { kind: 'port-mismatch'; instance: string; recorded: Ports; published: Ports; engine?: string; fix: string }
  | { kind: 'engine-unreachable'; engine: string; instances: string[]; fix: string }
  | { kind: 'seed-stack'; folder: string; project: string; containers: string[]; running: boolean; fix: string }
  | { kind: 'shared-project'; project: string; instances: [string, string]; folder: string; fix: string }
  | {
      kind: 'port-taken';
      instance: string;
      port: number;
      service: string;
      process?: { pid: number; name: string };
      fix: string;
    };

/** What `setup` needs to make the same instance again, from the labels its containers carry. */
function originOf(containers: readonly ContainerStatus[]): { name?: string; from?: string[]; prefix?: string } {
  const labels = containers.find((c) => c.labels[SOURCE_LABEL])?.labels ?? containers[0]?.labels ?? {};
  const from = labels[SOURCE_LABEL] === 'compose' ? labels[FROM_LABEL]?.split(',').filter(Boolean) : undefined;
  return {
    ...(labels[INSTANCE_LABEL] ? { name: labels[INSTANCE_LABEL] } : {}),
    ...(from?.length ? { from } : {}),
    ...(labels[PREFIX_LABEL] && from?.length ? { prefix: labels[PREFIX_LABEL] } : {}),
  };
}

/**
 * Registrations made before main checkouts got their own names: two folders under one Compose project on one
 * engine, so Stop or Remove of one acts on the other's containers and volumes. The later one is to move.
 */
function sharedProjects(records: readonly InstanceRecord[], labels: Map<string, string>): Finding[] {
  const out: Finding[] = [];
  for (const later of records) {
    const first = records.find(
      (r) =>
        r !== later &&
        r.project === later.project &&
        (r.engine ?? null) === (later.engine ?? null) &&
        (r.createdAt < later.createdAt ||
          (r.createdAt === later.createdAt && records.indexOf(r) < records.indexOf(later))),
    );
    if (!first) continue;
    out.push({
      kind: 'shared-project',
      project: later.project,
      instances: [labels.get(instanceId(first))!, labels.get(instanceId(later))!],
      folder: later.folder,
      fix: `axi setup ${later.folder} gives it its own names`,
    });
  }
  return out;
}

/** Projects of ours one engine runs (`engine` null: the local one), and how each compares with its registration. */
function engineFindings(
  byProject: Map<string, ContainerStatus[]>,
  records: readonly InstanceRecord[],
  labels: Map<string, string>,
  engine: string | null,
): Finding[] {
  const findings: Finding[] = [];
  const on = engine ? { engine } : {};
  for (const [project, containers] of byProject) {
    const rec = records.find((r) => r.project === project && (r.engine ?? null) === engine);
    const published = portsByKey(containers, rec?.spans, rec?.ports);
    if (!rec) {
      const folder = containers.find((c) => c.workingDir)?.workingDir ?? null;
      findings.push({
        kind: 'unregistered',
        project,
        folder,
        ports: published,
        ...on,
        fix: folder
          ? `register ${folder} with its running ports`
          : 'no working_dir label: register its folder with axi setup',
      });
      continue;
    }
    if (Object.entries(published).some(([k, p]) => rec.ports[k] !== p))
      findings.push({
        kind: 'port-mismatch',
        instance: labels.get(instanceId(rec))!,
        recorded: rec.ports,
        published,
        ...on,
        fix: 'record the ports the containers publish',
      });
  }
  return findings;
}

/**
 * One engine's projects of ours: in our namespace or registered there. On a shared engine another user's
 * containers (their owner label names someone else) are never looked at, let alone adopted.
 */
async function projectsOn(
  docker: import('dockerode'),
  service: InstanceService,
  records: readonly InstanceRecord[],
  engine: string | null,
): Promise<Map<string, ContainerStatus[]>> {
  const byProject = new Map<string, ContainerStatus[]>();
  const here = records.filter((r) => (r.engine ?? null) === engine);
  for (const c of await listComposeContainers(docker)) {
    // Another user's or another registry's (its own HOME) stack is never looked at, let alone adopted.
    if (ownedByOther(c.labels)) continue;
    if (!inNamespace(service.preset.prefix, c) && !here.some((r) => r.project === c.project)) continue;
    byProject.set(c.project, [...(byProject.get(c.project) ?? []), c]);
  }
  return byProject;
}

const isFolder = (dir: string) =>
  stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );

/** Repairs one finding through setup; a message saying what was done, or undefined when it is not repairable. */
async function repair(
  f: Finding,
  ctx: {
    service: InstanceService;
    records: readonly InstanceRecord[];
    labels: Map<string, string>;
    byProject: Map<string, ContainerStatus[]>;
    local: () => Promise<import('dockerode')>;
  },
): Promise<string | undefined> {
  const { service } = ctx;
  if (f.kind === 'seed-stack' || f.kind === 'other-project') {
    const r = await adoptStack(service, await ctx.local(), f.folder);
    return `adopted ${r.name} (${f.folder}) from project ${f.project}, its volumes kept${r.wasRunning ? `; start it with axi up ${r.name}` : ''}`;
  }
  if (f.kind === 'unregistered' && f.folder && (await isFolder(f.folder))) {
    // Never rewrite a folder's registration into another instance: its own stays, the stray project is reported.
    const holder = ctx.records.find((r) => r.folder === f.folder);
    if (holder)
      throw new Error(
        `${f.folder} is registered as ${ctx.labels.get(instanceId(holder))} (project ${holder.project}); the registration was left as it is`,
      );
    const r = await service.setup(f.folder, {
      adoptPorts: f.ports,
      env: {},
      ...(f.engine ? { engine: f.engine } : {}),
      ...originOf(ctx.byProject.get(`${f.engine ?? ''}\n${f.project}`) ?? []),
    });
    if (r.project !== f.project) {
      // The folder names another project than the one running: undo, so a failed fix changes nothing.
      await service.remove(r.id);
      throw new Error(`${f.folder} maps to project ${r.project}, not ${f.project}; nothing was registered`);
    }
    return `adopted ${r.name} (${f.folder})`;
  }
  if (f.kind === 'shared-project') {
    const rec = ctx.records.find((r) => r.folder === f.folder) as InstanceRecord;
    const r = await service.setup(f.folder, { name: rec.name, env: {} });
    return `gave ${r.name} (${f.folder}) its own project ${r.project}`;
  }
  if (f.kind === 'port-mismatch') {
    const rec = ctx.records.find((r) => ctx.labels.get(instanceId(r)) === f.instance) as InstanceRecord;
    const r = await service.setup(rec.folder, { adoptPorts: f.published, name: rec.name, env: {} });
    return `recorded the running ports of ${r.name}`;
  }
  return undefined;
}

/**
 * Compares the registry with what the engine runs: projects of ours running
 * without a registration (re-adopted from Compose's `working_dir` label),
 * registrations whose containers publish other ports than recorded, two
 * registrations under one project, and registered ports held by unknown
 * programs. Changes nothing unless `fix`.
 */
export async function doctor(
  service: InstanceService,
  dockerOn: (engine: string | null) => Promise<import('dockerode')>,
  fix: boolean,
): Promise<{ findings: Finding[]; fixed: string[]; unfixed: Finding[] }> {
  const records = await service.records();
  const labels = instanceLabels(records);
  // Every engine with registrations, the local one always (its failure is the command's, as before).
  const engines = [null, ...new Set(records.flatMap((r) => (r.engine ? [r.engine] : [])))];
  const byProject = new Map<string, ContainerStatus[]>(); // by engine and project: `${engine}\n${project}`
  const findings: Finding[] = [];
  // Stacks the seed's scripts (or its docker-compose command) made for an unregistered folder: adopted, not re-registered.
  const strays = (await findStrayStacks(await dockerOn(null), records)).filter((s) => !s.foreign);
  for (const s of strays.filter((st) => !records.some((r) => !r.engine && r.folder === st.folder)))
    findings.push({
      kind: 'seed-stack',
      folder: s.folder,
      project: s.project,
      containers: s.containers.map((c) => c.name),
      running: s.containers.some((c) => c.running),
      fix: `axi adopt ${shellQuote(s.folder)} takes it over with its ports and volumes (or axi doctor --fix)`,
    });
  for (const engine of engines) {
    let projects: Map<string, ContainerStatus[]>;
    try {
      projects = await projectsOn(await dockerOn(engine), service, records, engine);
    } catch (err) {
      if (!engine) throw err;
      const instances = records.filter((r) => r.engine === engine).map((r) => labels.get(instanceId(r))!);
      findings.push({
        kind: 'engine-unreachable',
        engine,
        instances,
        fix: `check that ${engine} answers (docker --context or -H)`,
      });
      continue;
    }
    if (!engine) for (const s of strays) projects.delete(s.project);
    for (const [project, cs] of projects) byProject.set(`${engine ?? ''}\n${project}`, cs);
    findings.push(...engineFindings(projects, records, labels, engine));
  }
  findings.push(...sharedProjects(records, labels));
  const folderOf = (label: string) => records.find((r) => labels.get(instanceId(r)) === label)?.folder ?? label;
  findings.push(...(await staleFindings(await dockerOn(null), records, service.preset, labels)));
  for (const c of await service.checkConflicts()) {
    if (c.kind !== 'host') continue;
    findings.push({
      kind: 'port-taken',
      instance: c.instances[0]!,
      port: c.port,
      service: c.service,
      ...(c.process ? { process: c.process } : {}),
      fix: `axi setup ${folderOf(c.instances[0]!)} --reassign (or stop ${c.process?.name ?? 'the other program'})`,
    });
  }
  const fixed: string[] = [];
  const unfixed: Finding[] = [];
  if (!fix) return { findings, fixed, unfixed: findings };
  for (const f of findings) {
    try {
      const done = await repair(f, { service, records, labels, byProject, local: () => dockerOn(null) });
      if (done) fixed.push(done);
      else unfixed.push(f);
    } catch (err) {
      unfixed.push({ ...f, fix: `${f.fix} — failed: ${(err as Error).message}` });
    }
  }
  return { findings, fixed, unfixed };
}
