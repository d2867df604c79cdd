import { userInfo } from 'node:os';
import type { Preset } from './preset';
import type { InstanceRecord } from '../registry/record';
import { currentRegistry, currentRegistryHome } from '../registry/registryIdentity';

/** Docker names of one instance. Main checkout: `aegisx_postgres`; instance: `aegisx_auth_fix_postgres`. */
export interface InstanceNames {
  readonly project: string;
  readonly network: string;
  readonly containers: Record<string, string>;
  readonly volumes: Record<string, string>;
}

/** Label put on everything we create, so cleanup and status find our containers without guessing from names. */
export const INSTANCE_LABEL = 'dev.aegisx-instances.instance';
/** Which axi namespace (the engine's prefix, `AXI_PREFIX`) made it: cleanup and doctor only touch their own. */
export const NAMESPACE_LABEL = 'dev.aegisx-instances.namespace';

/**
 * Who made it: the local user's name (`ownerName`), on every container and volume axi creates. On a shared engine
 * cleanup and doctor never touch what another owner's label names.
 */
export const OWNER_LABEL = 'dev.aegisx-instances.owner';

/**
 * The local user's name as Docker names can carry it (a-z, 0-9; `AXI_OWNER` overrides, as tests do to play a
 * second user): `aegisx_<user>_<name>_postgres` on a remote engine.
 */
export function ownerName(env: NodeJS.ProcessEnv = process.env): string {
  let raw = env.AXI_OWNER || env.USER || env.USERNAME || '';
  if (!raw) {
    try {
      raw = userInfo().username;
    } catch {
      raw = 'user';
    }
  }
  return (
    raw
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 32) || 'user'
  );
}

/** Which registry (`$AXI_HOME`'s stored id) made it: two HOMEs on one engine never touch each other's objects. */
export const REGISTRY_LABEL = 'dev.aegisx-instances.registry';
/** That registry's folder (`$AXI_HOME`), named when another registry's object is refused. */
export const REGISTRY_HOME_LABEL = 'dev.aegisx-instances.registry-home';
/** The instance's folder: another folder's instance of the same name is refused, even in the same registry. */
export const FOLDER_LABEL = 'dev.aegisx-instances.folder';

/**
 * Whose registry an object belongs to: this one's, another's, or none (made before registry labels, or by
 * hand: "unowned", which this registry may adopt where the folder agrees).
 */
export function registryOf(labels: Readonly<Record<string, string>> | undefined): 'ours' | 'other' | 'unowned' {
  const id = labels?.[REGISTRY_LABEL];
  if (!id) return 'unowned';
  // No registry in this process (a pure function's test): the label cannot be judged, so it is not refused here.
  if (currentRegistryHome() === undefined) return 'ours';
  return currentRegistry()?.id === id ? 'ours' : 'other';
}

/**
 * Labelled as made by another user or another registry: never ours to touch, whatever its name or project says.
 */
export function ownedByOther(labels: Readonly<Record<string, string>> | undefined, me = ownerName()): boolean {
  const owner = labels?.[OWNER_LABEL];
  if (owner !== undefined && owner !== me) return true;
  return registryOf(labels) === 'other';
}

/** The seed's namespace: its names are kept as they are. */
/** Marks the short-lived containers axi runs to read or copy volumes. */
export const HELPER_LABEL = 'dev.aegisx-instances.helper';

/** Compose's own labels: how we find an instance's containers, networks and volumes without guessing from names. */
export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';
export const VOLUME_KEY_LABEL = 'com.docker.compose.volume';
export const WORKING_DIR_LABEL = 'com.docker.compose.project.working_dir';
/** The compose files a container was made from (comma-separated paths), as Compose records them. */
export const CONFIG_FILES_LABEL = 'com.docker.compose.project.config_files';

export const DEFAULT_PREFIX = 'aegisx';
/** Where the instance file came from (aegisx, template, compose), so `doctor --fix` can re-adopt it. */
export const SOURCE_LABEL = 'dev.aegisx-instances.source';
/** The compose files a `--from` instance is made from, relative to its folder, joined with `,`. */
export const FROM_LABEL = 'dev.aegisx-instances.from';
/** The stack's container-name prefix (a `--from` stack's own, or the namespace's). */
export const PREFIX_LABEL = 'dev.aegisx-instances.prefix';

/**
 * The one "is it ours" rule: a Compose project made by this axi namespace (`AXI_PREFIX`), by its project
 * name (`aegisx`, `aegisx_<name>`) or by our namespace label (stacks that keep a repository's own prefix).
 */
export function inNamespace(
  prefix: string,
  c: { project?: string; namespace?: string; labels?: Readonly<Record<string, string>> },
): boolean {
  if (ownedByOther(c.labels)) return false;
  if (c.namespace === prefix) return true;
  return c.project !== undefined && (c.project === prefix || c.project.startsWith(`${prefix}_`));
}

/** What names are made of: on a shared (remote) engine the owner's name comes first, so two users never collide. */
type Named = { name: string; main: boolean; owner?: string; volumeNames?: Readonly<Record<string, string>> };

function nameStem(preset: Preset, inst: Named): string {
  const base = inst.owner ? `${preset.prefix}_${inst.owner}` : preset.prefix;
  return inst.main ? base : `${base}_${inst.name}`;
}

export function projectName(preset: Preset, inst: Named): string {
  return nameStem(preset, inst);
}

export function instanceNames(preset: Preset, inst: Named): InstanceNames {
  const stem = nameStem(preset, inst);
  // The seed's volume names (`auth_postgres_data`) belong to the default namespace only: another
  // AXI_PREFIX must not reach a real instance's volume of the same name. A repository's own `prefix:`
  // keeps the seed's names, so its existing volumes stay in use.
  const namespace = preset.namespace ?? preset.prefix;
  const volumeStem =
    inst.main || inst.owner ? stem : namespace !== DEFAULT_PREFIX ? `${namespace}_${inst.name}` : inst.name;
  const containers: Record<string, string> = {};
  const volumes: Record<string, string> = {};
  for (const s of preset.services) {
    containers[s.name] = `${stem}_${s.name}`;
    // An adopted stack keeps the volumes its data is in, by their real names.
    if (s.volume) volumes[s.name] = inst.volumeNames?.[s.name] ?? `${volumeStem}_${s.name}_data`;
  }
  return { project: projectName(preset, inst), network: `${stem}_net`, containers, volumes };
}

/**
 * What re-adoption needs (stack kind, source files, prefix), as a header line of the instance file
 * and as labels on its containers: `axi doctor --fix` and a later `axi setup` read them back.
 */
export function originLabels(
  rec: Pick<InstanceRecord, 'source' | 'from' | 'prefix' | 'owner'> & { folder?: string },
): Record<string, string> {
  return {
    [OWNER_LABEL]: rec.owner ?? ownerName(),
    ...ownershipLabels(rec.folder),
    [SOURCE_LABEL]: rec.source ?? 'aegisx',
    ...(rec.from?.length ? { [FROM_LABEL]: rec.from.join(',') } : {}),
    ...(rec.prefix ? { [PREFIX_LABEL]: rec.prefix } : {}),
  };
}

/** What a volume or network of the instance carries: its owner on a shared engine, this registry and its folder. */
export function objectLabels(rec: { owner?: string; folder?: string }): Record<string, string> {
  return { ...(rec.owner ? { [OWNER_LABEL]: rec.owner } : {}), ...ownershipLabels(rec.folder) };
}

/** This registry's id and home, and the instance's folder: on every container, volume and network axi creates. */
export function ownershipLabels(folder: string | undefined): Record<string, string> {
  const reg = currentRegistry(true);
  return {
    ...(reg ? { [REGISTRY_LABEL]: reg.id, [REGISTRY_HOME_LABEL]: reg.home } : {}),
    ...(folder ? { [FOLDER_LABEL]: folder } : {}),
  };
}
