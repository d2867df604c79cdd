import { existsSync } from 'node:fs';
import type Dockerode from 'dockerode';
import { shellQuote } from '../../core/util/shellQuote';
import { instanceId } from '../../core/registry/instanceRef';
import { nameClashes } from '../../core/instances/setup/sharedNames';
import { instanceNames, ownedByOther, PROJECT_LABEL, WORKING_DIR_LABEL } from '../../core/project/naming';
import type { Preset } from '../../core/project/preset';
import type { InstanceRecord } from '../../core/registry/record';

/** What doctor and check-conflicts say beyond ports: gone folders, stale same-name containers, stray projects. */
export type StaleFinding =
  | { kind: 'folder-gone'; instance: string; folder: string; fix: string }
  | { kind: 'stale-container'; instance: string; container: string; project: string | null; fix: string }
  | { kind: 'other-project'; instance: string; folder: string; project: string; containers: string[]; fix: string }
  | { kind: 'name-clash'; instance: string; other: string; name: string; what: string; fix: string };

/** Registrations whose folder is gone: their containers still run, known by label. */
export function goneFolders(records: readonly InstanceRecord[], label: (r: InstanceRecord) => string): StaleFinding[] {
  return records
    .filter((r) => !existsSync(r.folder))
    .map((r) => ({
      kind: 'folder-gone' as const,
      instance: label(r),
      folder: r.folder,
      fix: `axi down ${label(r)} works without the folder (volumes kept); then axi remove ${label(r)}, or axi cleanup`,
    }));
}

/**
 * Containers with an instance's Docker name that its project did not make (the old scripts', a copied file's, a
 * hand-made one): Compose's `up` would fail on "container name already in use", or act on someone else's.
 */
export function staleContainers(
  containers: readonly Dockerode.ContainerInfo[],
  records: readonly InstanceRecord[],
  preset: Preset,
  label: (r: InstanceRecord) => string,
): StaleFinding[] {
  const byName = new Map(containers.map((c) => [(c.Names?.[0] ?? '').replace(/^\//, ''), c]));
  const out: StaleFinding[] = [];
  for (const r of records) {
    if (r.source === 'compose' || r.engine) continue; // a --from stack's names are its own; one engine: the local one
    for (const name of Object.values(instanceNames(preset, r).containers)) {
      const c = byName.get(name);
      const project = c?.Labels?.[PROJECT_LABEL] ?? null;
      if (!c || project === r.project) continue;
      out.push({
        kind: 'stale-container',
        instance: label(r),
        container: name,
        project,
        fix: staleFix(c, r, label(r), name),
      });
    }
  }
  return out;
}

/** What a user does about a container holding an instance's name, in words of what they run. */
function staleFix(c: Dockerode.ContainerInfo, r: InstanceRecord, inst: string, name: string): string {
  const project = c.Labels?.[PROJECT_LABEL];
  const fails = `axi up ${inst} would fail on "container name already in use"`;
  if (!ownedByOther(c.Labels) && project && c.Labels?.[WORKING_DIR_LABEL] === r.folder)
    return `${name} is the seed's own container for this folder (project ${project}), not ${inst}'s, and ${fails}: axi adopt ${shellQuote(r.folder)} takes it over with its data`;
  const whose = ownedByOther(c.Labels)
    ? "another registry's or user's"
    : project
      ? `Compose project ${project}'s`
      : 'a hand-made';
  return `${name} is ${whose} container, not ${inst}'s, and ${fails}; if nothing needs it, docker rm -f ${name} (its volumes are kept)`;
}

/**
 * This folder's stack running under another Compose project name (the seed's `docker-compose up` before axi
 * named the project in the folder): `axi up` would start a second copy beside it. Reusable by adoption.
 */
export function folderUnderOtherProject(
  containers: readonly Dockerode.ContainerInfo[],
  rec: InstanceRecord,
): { project: string; containers: string[] } | undefined {
  const stray = containers.filter(
    (c) =>
      c.Labels?.[WORKING_DIR_LABEL] === rec.folder &&
      c.Labels?.[PROJECT_LABEL] !== undefined &&
      c.Labels[PROJECT_LABEL] !== rec.project &&
      !ownedByOther(c.Labels),
  );
  if (!stray.length) return undefined;
  return {
    project: stray[0]!.Labels[PROJECT_LABEL]!,
    containers: stray.map((c) => (c.Names?.[0] ?? c.Id).replace(/^\//, '')),
  };
}

/** All three, for the local engine's registrations. */
export async function staleFindings(
  docker: Dockerode | undefined,
  records: readonly InstanceRecord[],
  preset: Preset,
  labels: Map<string, string>,
): Promise<StaleFinding[]> {
  const label = (r: InstanceRecord) => labels.get(instanceId(r)) ?? r.name;
  const local = records.filter((r) => !r.engine);
  const containers = docker ? await docker.listContainers({ all: true }) : [];
  const strays = local.flatMap((r) => {
    const s = folderUnderOtherProject(containers, r);
    return s
      ? [
          {
            kind: 'other-project' as const,
            instance: label(r),
            folder: r.folder,
            ...s,
            fix: `axi adopt ${shellQuote(r.folder)} (or axi doctor --fix) replaces its containers with axi's, volumes kept; axi up would start a second copy`,
          },
        ]
      : [];
  });
  const clashes = (await nameClashes(records)).map(({ a, b, name, what }) => ({
    kind: 'name-clash' as const,
    instance: label(b),
    other: label(a),
    name,
    what,
    fix: `regenerate ${label(b)}'s file from its template's source (or axi setup ${b.folder} --force), or let axi name them`,
  }));
  return [...goneFolders(records, label), ...staleContainers(containers, local, preset, label), ...strays, ...clashes];
}
