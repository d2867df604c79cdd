import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AxiError } from '../../../shared/errors';
import { COMPOSE_FILE, type GeneratedFile } from '../../project/instanceFiles';
import { instanceId } from '../../registry/instanceRef';
import { isMap } from '../../compose/yamlValues';
import type { InstanceRecord } from '../../registry/record';

type Doc = Record<string, unknown> | null | undefined;

/**
 * Names an instance file takes from Docker's one namespace per engine: container names and the
 * names of its volumes and networks (not external ones), each with what it is.
 */
export function dockerNames(doc: Doc): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of Object.values(isMap(doc?.services) ? doc.services : {})) {
    if (isMap(s) && typeof s.container_name === 'string') out.set(s.container_name, 'container');
  }
  for (const [kind, what] of [
    ['volumes', 'volume'],
    ['networks', 'network'],
  ] as const) {
    for (const def of Object.values(isMap(doc?.[kind]) ? doc[kind] : {})) {
      if (isMap(def) && !def.external && typeof def.name === 'string') out.set(def.name, what);
    }
  }
  return out;
}

async function parseYaml(text: string): Promise<Doc> {
  const { parse } = await import('yaml');
  try {
    return parse(text, { maxAliasCount: 10_000 }) as Doc;
  } catch {
    return undefined; // a hand-broken file of another instance: nothing to compare
  }
}

/**
 * A `--from` stack appends only the instance name to a `container_name` or a volume's own `name:`,
 * so two repositories whose compose files use the same one would share a container or, worse, a
 * volume under the same instance name. Refuses that, naming what would be shared and with whom.
 */
export async function assertOwnDockerNames(
  rec: InstanceRecord,
  files: readonly GeneratedFile[],
  instances: readonly InstanceRecord[],
): Promise<void> {
  // Every other registration on the same engine: a template or hand-edited file copied from another instance's
  // names its containers and volumes, and `up` would then run on that instance's data.
  const others = instances.filter(
    (i) => i.folder !== rec.folder && instanceId(i) !== instanceId(rec) && (i.engine ?? null) === (rec.engine ?? null),
  );
  const file = files.find((f) => path.basename(f.path) === COMPOSE_FILE);
  if (!others.length || !file) return;
  const mine = dockerNames(await parseYaml(file.body));
  for (const other of others) {
    const shared = await sharedName(mine, other);
    if (!shared) continue;
    const fix =
      other.name === rec.name
        ? 'pass --name to tell them apart'
        : rec.template
          ? `regenerate templates/${rec.template}.yml from the template's source, or let axi name them ({{containers.SERVICE}}, {{volumes.SERVICE}}, {{network}})`
          : 'regenerate the file (axi setup --force), or let axi name them';
    throw new AxiError(
      'NAME_TAKEN',
      other.name === rec.name
        ? `${instanceId(rec)} would share the ${shared[1]} ${shared[0]} with ${instanceId(other)} (${other.folder}): both compose files name it; ${fix}`
        : `${instanceId(rec)} would use the ${shared[1]} ${shared[0]}, which belongs to ${instanceId(other)} (${other.folder}): its file names it; ${fix}`,
    );
  }
}

/** The first Docker name of `mine` that another registration's file (or recorded volumes) also names. */
async function sharedName(mine: Map<string, string>, other: InstanceRecord): Promise<[string, string] | undefined> {
  const text = await readFile(path.join(other.folder, COMPOSE_FILE), 'utf8').catch(() => '');
  const theirs = dockerNames(await parseYaml(text));
  for (const v of other.volumes ?? []) theirs.set(v, 'volume');
  return [...mine].find(([n]) => theirs.has(n));
}

/** Pairs of registrations on one engine whose files name the same container, volume or network. */
export async function nameClashes(
  instances: readonly InstanceRecord[],
): Promise<{ a: InstanceRecord; b: InstanceRecord; name: string; what: string }[]> {
  const names = await Promise.all(
    instances.map(async (i) => {
      const text = await readFile(path.join(i.folder, COMPOSE_FILE), 'utf8').catch(() => '');
      return dockerNames(await parseYaml(text));
    }),
  );
  const out: { a: InstanceRecord; b: InstanceRecord; name: string; what: string }[] = [];
  instances.forEach((a, i) => {
    for (let j = i + 1; j < instances.length; j++) {
      const b = instances[j]!;
      if ((a.engine ?? null) !== (b.engine ?? null) || a.folder === b.folder || a.project === b.project) continue;
      const hit = [...names[i]!].find(([n]) => names[j]!.has(n));
      if (hit) out.push({ a, b, name: hit[0], what: hit[1] });
    }
  });
  return out;
}

type ProjectHolder = Pick<InstanceRecord, 'folder' | 'project' | 'createdAt'> & { engine?: string | null };

/** Registered to a folder that still exists, on the same engine, under the same Compose project. */
function holdsProject<R extends ProjectHolder>(i: R, rec: ProjectHolder): boolean {
  return (
    i.folder !== rec.folder &&
    i.project === rec.project &&
    (i.engine ?? null) === (rec.engine ?? null) &&
    existsSync(i.folder)
  );
}

/**
 * Another checkout already registered with the names a main checkout takes (`aegisx`, `aegisx_postgres`,
 * `aegisx_postgres_data`): a second repository's main checkout, or a folder outside git. The earlier
 * registration keeps them; this one must get its own, or Stop, Remove and Reset of one would act on the
 * other's containers and volumes.
 */
export function mainNamesHolder<R extends ProjectHolder & { main: boolean }>(
  instances: readonly R[],
  rec: ProjectHolder,
): R | undefined {
  return instances.find(
    (i) => i.main && holdsProject(i, rec) && (!rec.createdAt || !i.createdAt || i.createdAt <= rec.createdAt),
  );
}

/**
 * The last guard before the registry is written: no two folders share a Compose project on one engine. A
 * registration that shares it but came later (made before this guard existed) is named in a note: setting
 * it up again gives it its own names.
 */
export function assertOwnProject(rec: InstanceRecord, instances: readonly InstanceRecord[], notes: string[]): void {
  for (const twin of instances.filter((i) => holdsProject(i, rec))) {
    if (rec.createdAt < twin.createdAt) {
      notes.push(
        `${instanceId(twin)} (${twin.folder}) shares the project ${rec.project}: run axi setup on it to give it its own names`,
      );
      continue;
    }
    throw new AxiError(
      'NAME_TAKEN',
      `${instanceId(rec)} would share the Compose project ${rec.project} (its containers and volumes) with ${instanceId(twin)} (${twin.folder}); pass --name, or give the repository its own prefix: in .aegisx-instances.yml`,
    );
  }
}
