import { existsSync } from 'node:fs';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { shellQuote } from '../../core/instances/records/checkout';
import { AxiError } from '../../shared/errors';
import {
  FOLDER_LABEL,
  instanceNames,
  OWNER_LABEL,
  ownedByOther,
  PROJECT_LABEL,
  REGISTRY_HOME_LABEL,
  REGISTRY_LABEL,
  registryOf,
  WORKING_DIR_LABEL,
} from '../../core/project/naming';
import type { Preset } from '../../core/project/preset';
import type { InstanceRecord } from '../../core/registry/record';

type Labels = Readonly<Record<string, string>> | undefined;

/** An engine object an instance's names or project reach that is not this instance's to touch, and whose it is. */
export interface ForeignObject {
  readonly kind: 'container' | 'volume' | 'network';
  readonly name: string;
  /** `registry /ci/home (folder /ci/work/x)`, `folder /work/x`, `user bob`. */
  readonly owner: string;
  /** Where the owner's command runs: `AXI_HOME=/ci/home axi down /ci/work/x`. */
  readonly fix: (command: string) => string;
}

/**
 * Whose an object is, when it is not this instance's: another user's, another registry's, or another folder's
 * (its folder label, or for a container made before that label, Compose's working folder while that folder
 * exists). Unlabelled objects (made before registry labels, or by hand) are this folder's to adopt.
 */
export function foreignOwner(
  labels: Labels,
  folder: string,
): { owner: string; fix: (command: string) => string } | undefined {
  const user = labels?.[OWNER_LABEL];
  if (ownedByOther(labels) && registryOf(labels) !== 'other' && user)
    return { owner: `user ${user}`, fix: (c) => `ask ${user} to run axi ${c}` };
  const where = labels?.[FOLDER_LABEL];
  if (registryOf(labels) === 'other') {
    const home = labels?.[REGISTRY_HOME_LABEL] ?? `id ${labels?.[REGISTRY_LABEL]}`;
    return {
      owner: `registry ${home}${where ? ` (folder ${where})` : ''}`,
      fix: (c) => `AXI_HOME=${shellQuote(home)} axi ${c}${where ? ` ${shellQuote(where)}` : ''}`,
    };
  }
  const other = where ?? legacyFolder(labels);
  if (other && path.resolve(other) !== path.resolve(folder))
    return { owner: `folder ${other}`, fix: (c) => `axi ${c} ${shellQuote(other)}` };
  return undefined;
}

/** Compose's working folder of a container made before folder labels, while that folder is still there. */
function legacyFolder(labels: Labels): string | undefined {
  const dir = labels?.[WORKING_DIR_LABEL];
  return dir && existsSync(dir) ? dir : undefined;
}

/** The containers, volumes and network this instance's names or project reach that are another owner's. */
/** The engine's containers, volumes and networks, as the ownership check reads them. */
export type EngineObjects = [Dockerode.ContainerInfo[], Dockerode.VolumeInspectInfo[], Dockerode.NetworkInspectInfo[]];

/** One listing of the engine's objects; checks of two instances on one engine can share it. */
export function engineObjects(docker: Dockerode): Promise<EngineObjects> {
  return Promise.all([
    docker.listContainers({ all: true }),
    docker.listVolumes().then((r) => r.Volumes ?? []),
    docker.listNetworks(),
  ]);
}

export async function foreignObjects(
  docker: Dockerode,
  rec: InstanceRecord,
  preset: Preset,
  listed: Promise<EngineObjects> = engineObjects(docker),
): Promise<ForeignObject[]> {
  // A --from stack's names are its compose file's own (reached by its project label and its recorded volumes):
  // the preset's names (`aegisx_postgres`) would reach another repository's main checkout.
  const names = rec.source === 'compose' ? undefined : instanceNames(preset, rec);
  const containerNames = new Set(Object.values(names?.containers ?? {}));
  const volumeNames = new Set(rec.volumes ?? Object.values(names?.volumes ?? {}));
  const [containers, volumes, networks] = await listed;
  const out: ForeignObject[] = [];
  const check = (kind: ForeignObject['kind'], name: string, labels: Labels) => {
    const f = foreignOwner(labels, rec.folder);
    if (f) out.push({ kind, name, ...f });
  };
  for (const c of containers) {
    const name = (c.Names?.[0] ?? '').replace(/^\//, '');
    if (c.Labels?.[PROJECT_LABEL] === rec.project || containerNames.has(name)) check('container', name, c.Labels);
  }
  for (const v of volumes)
    if (volumeNames.has(v.Name) || v.Labels?.[PROJECT_LABEL] === rec.project) check('volume', v.Name, v.Labels);
  for (const n of networks)
    if (n.Name === names?.network || n.Labels?.[PROJECT_LABEL] === rec.project) check('network', n.Name, n.Labels);
  return out;
}

/**
 * Refuses `command` on an instance whose names reach another registry's, folder's or user's objects: one line
 * naming the owner and the command to use there. Nothing is read, stopped or removed before it.
 */
export async function assertOwned(
  docker: Dockerode,
  rec: InstanceRecord,
  preset: Preset,
  command: string,
  /** The engine's objects when listed already (see engineObjects). */
  listed?: Promise<EngineObjects>,
): Promise<void> {
  const [first, ...more] = await foreignObjects(docker, rec, preset, listed);
  if (!first) return;
  const also = more.length ? ` (and ${more.length} more)` : '';
  throw new AxiError(
    'NOT_OURS',
    `refused: ${first.kind} ${first.name}${also} belongs to ${first.owner}, not to ${rec.name} in ${rec.folder}; run it there: ${first.fix(command)}`,
  );
}

/** The user's command a Compose run stands for, for the refusal's "run it there". */
export function ownCommand(args: readonly string[]): string {
  const verb = args[0] === 'rm' ? 'down' : args[0] === 'up' ? 'up' : (args[0] ?? 'status');
  return args.includes('--volumes') ? `${verb} --volumes` : verb;
}
