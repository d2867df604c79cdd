import { existsSync } from 'node:fs';
import path from 'node:path';
import { AxiError } from '../../../shared/errors';
import type { HostPortProbe } from '../../ports/hostPorts';
import type { FolderIdentity } from '../../project/identity';
import { instanceId, scopeOf } from '../../registry/instanceRef';
import { COMPOSE_FILE, type GeneratedFile } from '../../project/instanceFiles';
import { presetProtocols, presetSpans } from '../../ports/portRanges';
import { basePorts, portsForSlot, type Ports } from '../../project/preset';
import { preferredSlot } from '../../ports/portAllocator';
import type { InstanceRecord } from '../../registry/record';
import type { RegistryState } from '../../registry/registry';
import type { Stack } from '../../compose/stackTypes';

/** What setup decided before the registry is locked: the record to be, and how its ports are chosen. */
export interface SetupPlan {
  provisional: InstanceRecord;
  stack: Stack;
  engine: string | null;
  /** Same stack layout and engine as the registration it replaces: its ports hold unless --reassign. */
  keepsPorts: boolean;
  /** Ports its running containers publish, which the registration follows. */
  adoptPorts?: Ports;
  /** A remote engine's port probe, started early (see planSetup). */
  probe?: HostPortProbe;
  notes: string[];
  now: Date;
  /** Why its stack was picked, where setup picked it (said in its `using` line). */
  why?: string;
}

/** The record a setup makes before ports are allocated: the recorded ports for the same layout, else the slot's. */
export function planRecord(p: {
  id: FolderIdentity;
  name: string;
  main: boolean;
  before?: InstanceRecord;
  stack: Stack;
  engine: string | null;
  engineChoice?: string | null;
  owner?: string;
  bind: string;
  now: Date;
  notes: string[];
}): SetupPlan {
  const { id, before, stack, engine, main } = p;
  // A different stack means different ports: the recorded ones only hold for the same layout.
  const sameLayout =
    before !== undefined &&
    (p.engineChoice === undefined || (before.engine ?? null) === p.engineChoice) &&
    (before.source ?? 'aegisx') === stack.kind &&
    JSON.stringify(before.from ?? null) === JSON.stringify(stack.from);
  const slot = preferredSlot(stack.preset, id.suffix || id.folderName);
  const provisional: InstanceRecord = {
    name: p.name,
    folder: id.folder,
    folderName: id.folderName,
    suffix: id.suffix,
    main,
    project: stack.project(p.name, main, id.folderName, p.owner),
    preset: stack.preset.id,
    source: stack.kind,
    base: stack.base ?? id.base,
    from: stack.from,
    prefix: stack.preset.prefix,
    bind: p.bind,
    ...(engine ? { engine, owner: p.owner } : {}),
    slot: sameLayout ? before.slot : slot,
    ports: sameLayout ? before.ports : main ? basePorts(stack.preset) : portsForSlot(stack.preset, slot),
    ...(presetSpans(stack.preset) ? { spans: presetSpans(stack.preset) } : {}),
    ...(presetProtocols(stack.preset) ? { protocols: presetProtocols(stack.preset) } : {}),
    template: stack.template,
    createdAt: before?.createdAt ?? p.now.toISOString(),
    updatedAt: p.now.toISOString(),
  };
  const keepsPorts = sameLayout && (before.engine ?? null) === engine;
  return { provisional, stack, engine, keepsPorts, notes: p.notes, now: p.now };
}

/**
 * Takes the record's name in its repository (its id: the scope its Compose project is named in) for
 * its folder; returns the registrations it replaces (for a rollback). Another repository's instance
 * of the same name is no clash.
 */
export function claimName(state: RegistryState, rec: InstanceRecord, notes: string[]): InstanceRecord[] {
  const { name, folder } = rec;
  const key = instanceId(rec);
  const sameName = state.instances.find((i) => instanceId(i) === key);
  if (sameName && sameName.folder !== folder) {
    if (existsSync(sameName.folder)) {
      const scoped = state.instances.some((i) => i.name === name && instanceId(i) !== key) ? ` in ${scopeOf(rec)}` : '';
      throw new AxiError(
        'NAME_TAKEN',
        `instance name ${name}${scoped} is already registered for ${sameName.folder}; rename this folder, set FOLDER_NAME, or pass --name`,
      );
    }
    notes.push(`took over the name ${name} from ${sameName.folder}, which no longer exists`);
  }
  const elsewhere = state.instances
    .filter((i) => i.name === name && i.folder !== folder && instanceId(i) !== key)
    .map(instanceId);
  if (elsewhere.length) notes.push(`${name} is also registered as ${elsewhere.join(', ')}: name this one ${key}`);
  for (const other of state.instances.filter((i) => i.folder === folder && instanceId(i) !== key)) {
    notes.push(`replaced the registration ${other.name} of this folder`);
  }
  const replaced = state.instances.filter((i) => instanceId(i) === key || i.folder === folder);
  state.instances = state.instances.filter((i) => !replaced.includes(i));
  return replaced;
}

/** A `--from` stack on a remote engine: its instance file must not need this machine's files (build, bind mounts). */
export async function refuseLocalPaths(
  files: readonly GeneratedFile[],
  engine: string,
  from: readonly string[],
): Promise<void> {
  const file = files.find((f) => path.basename(f.path) === COMPOSE_FILE);
  if (!file) return;
  const { parse } = await import('yaml');
  const { assertRemoteCompatible } =
    require('../../compose/remoteCompose') as typeof import('../../compose/remoteCompose');
  assertRemoteCompatible(parse(file.body), engine, from);
}

/** Registry order: by name, then by repository. */
export function byName(a: InstanceRecord, b: InstanceRecord): number {
  return a.name.localeCompare(b.name) || instanceId(a).localeCompare(instanceId(b));
}
