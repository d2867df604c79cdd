import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { atomicWrite } from '../../core/registry/atomicWrite';
import { AxiError } from '../../shared/errors';
import { writeTarget } from '../../core/project/instanceFiles';
import type { InstanceRecord } from '../../core/registry/record';
import { loadRepoConfig } from '../../core/project/repoConfig';
import { renderSwarmStack, swarmStack } from '../../core/swarm/swarmStack';
import { readRepoYaml } from '../../core/project/userFiles';
import { composeFileFor } from '../compose/composeRunner';

/** An instance's Swarm stack file: its text, the compose file it came from, and the stack's name. */
export interface StackFile {
  readonly text: string;
  readonly source: string;
  /** The stack name: the instance's Compose project name, so its Docker names stay the instance's own. */
  readonly stack: string;
  /** Services whose ports Compose kept on one address (127.0.0.1) and Swarm opens on every address. */
  readonly narrowed: string[];
}

/** The compose file Compose runs for the instance, parsed (anchors and merge keys resolved as Compose does). */
async function readComposeDoc(folder: string, file: string): Promise<unknown> {
  const text = await readRepoYaml(folder, file, 'compose file').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new AxiError('NOT_FOUND', `${file} is gone; run axi setup ${folder}`);
    throw err;
  });
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text, { merge: true });
  const e = doc.errors[0];
  if (e)
    throw new AxiError(
      'BAD_INPUT',
      `${file}:${e.linePos?.[0]?.line ?? '?'}: not valid YAML: ${e.message.split('\n')[0]}`,
    );
  return doc.toJS({ maxAliasCount: 10_000 });
}

/** The stack file for `rec`, from its compose file and its repository's `swarm.constraints`. */
export async function stackFileFor(rec: InstanceRecord): Promise<StackFile> {
  const source = await composeFileFor(rec.folder);
  const doc = await readComposeDoc(rec.folder, source);
  const { config } = await loadRepoConfig(rec.folder);
  const own = config.swarm.instances[rec.name];
  const plan = swarmStack({
    doc,
    file: source,
    folder: rec.folder,
    constraints: [...config.swarm.constraints, ...(own?.constraints ?? [])].map((c) => identityFields(c, rec)),
    replicas: { ...config.swarm.replicas, ...own?.replicas },
  });
  const Y = await import('yaml');
  const title = [
    `Swarm stack of instance ${rec.name} (${rec.folder}), made by axi stack from ${path.basename(source)}.`,
    `Deploy: axi stack ${rec.name} --deploy, or docker stack deploy --resolve-image never -c FILE ${rec.project}`,
  ];
  return { text: renderSwarmStack(Y, plan, title), source, stack: rec.project, narrowed: plan.narrowed };
}

/**
 * Writes the stack file to `out` atomically. A symlink there that leads out of the file's own folder is
 * refused (as for the instance files): axi never writes outside the folder it was pointed at.
 */
export async function writeStackFile(out: string, text: string): Promise<string> {
  const file = path.resolve(out);
  const folder = await realpath(path.dirname(file)).catch(() => {
    throw new AxiError('BAD_INPUT', `--out ${out}: the folder ${path.dirname(file)} does not exist`);
  });
  const target = await writeTarget(folder, path.join(folder, path.basename(file)));
  if ((await stat(target).catch(() => undefined))?.isDirectory())
    throw new AxiError('BAD_INPUT', `--out ${out} is a folder; name a file`);
  try {
    await atomicWrite(target, text);
  } catch (err) {
    throw new AxiError('BAD_INPUT', `cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return file;
}

/** `{{name}}`, `{{project}}`, `{{suffix}}`, `{{folderName}}`, `{{base}}` in a constraint: this instance's, as the seed's sample pins each one. */
function identityFields(constraint: string, rec: InstanceRecord): string {
  const values: Record<string, string> = {
    name: rec.name,
    project: rec.project,
    suffix: rec.suffix,
    folderName: rec.folderName,
    base: rec.base ?? '',
  };
  return constraint.replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, (_m, key: string) => {
    const v = values[key];
    if (v === undefined)
      throw new AxiError(
        'BAD_INPUT',
        `.aegisx-instances.yml swarm constraint ${JSON.stringify(constraint)}: unknown {{${key}}}; known: ${Object.keys(values).join(', ')}`,
      );
    return v;
  });
}
