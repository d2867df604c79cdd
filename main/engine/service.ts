import { EventEmitter } from 'node:events';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { AxiError } from './errors';
import { busyPorts, hostPortProbe, type HostPortProbe, type PortOwner } from './hostPorts';
import { identifyFolder, instanceNameFromSuffix, validateInstanceName, resolveFolder } from './identity';
import { checkWritable, COMPOSE_FILE, ensureGitignored, ENV_FILE, writeGenerated, type WriteOutcome } from './instanceFiles';
import { resolvePaths, type AxiPaths } from './paths';
import { PortAllocator, preferredSlot } from './portAllocator';
import { AEGISX_PRESET, basePorts, portsForSlot, type Ports, type Preset } from './preset';
import { InstanceRegistry, type InstanceRecord, type RegistryState } from './registry';

export interface InstanceSummary {
  name: string;
  folder: string;
  project: string;
  main: boolean;
  slot: number | null;
  template: string | null;
  ports: Ports;
  files: string[];
  createdAt: string;
  updatedAt: string;
}

export interface SetupResult extends InstanceSummary {
  /** What happened to each generated file, by path. */
  written: Record<string, WriteOutcome>;
  /** True when ports were (re)allocated by this call. */
  allocated: boolean;
  notes: string[];
}

export interface SetupOptions {
  template?: string;
  reassign?: boolean;
  force?: boolean;
  /** Instance name instead of the one derived from the folder. */
  name?: string;
  /** Environment for FOLDER_NAME (the seed's CI matrix). */
  env?: NodeJS.ProcessEnv;
  /** Make the instance file from the project's own compose file(s). */
  from?: string[];
  /** Record these ports (what an instance's containers already publish) instead of allocating: `axi doctor --fix`. */
  adoptPorts?: Ports;
}

export interface Conflict {
  port: number;
  kind: 'registry' | 'host';
  service: string;
  instances: string[];
  process?: PortOwner;
}

export interface EngineOptions {
  paths?: AxiPaths;
  preset?: Preset;
  probe?: HostPortProbe;
  clock?: () => Date;
  /**
   * Ports published by an instance's own containers (port → instance name), so
   * they are not reported as taken by "another program". Supplied by the Docker layer.
   */
  ownPublishedPorts?: () => Promise<ReadonlyMap<number, string>>;
}

/** All the ports anybody but `except` holds in the registry, with a label saying who. */
function takenPorts(state: RegistryState, except?: string): Map<number, string> {
  const taken = new Map<number, string>();
  for (const inst of state.instances) {
    if (inst.name === except) continue;
    for (const [service, port] of Object.entries(inst.ports)) taken.set(port, `instance ${inst.name} (${service})`);
  }
  for (const e of state.foreign) {
    for (const [service, port] of Object.entries(e.ports)) {
      if (!taken.has(port)) taken.set(port, `${e.name} (${service}, reserved in the port registry file)`);
    }
  }
  return taken;
}

/** The slot whose layout matches the ports containers already publish; their ports win where they differ. */
function adopted(preset: Preset, main: boolean, published: Ports): { slot: number | null; ports: Ports } {
  const matches = (ports: Ports) => Object.entries(published).every(([k, p]) => ports[k] === undefined || ports[k] === p);
  if (main && matches(basePorts(preset))) return { slot: null, ports: { ...basePorts(preset), ...published } };
  for (let slot = 0; slot < preset.slotCount; slot++) {
    const ports = portsForSlot(preset, slot);
    if (matches(ports)) return { slot, ports: { ...ports, ...published } };
  }
  return { slot: null, ports: published };
}

async function folderExists(folder: string): Promise<boolean> {
  return stat(folder).then((s) => s.isDirectory(), () => false);
}

/**
 * The one facade the CLI, `axi serve` and Electron's main process call.
 * Its methods are the API table; it emits `changed` after every mutation.
 */
export class InstanceService extends EventEmitter {
  readonly paths: AxiPaths;
  readonly preset: Preset;
  readonly registry: InstanceRegistry;
  private readonly probe: HostPortProbe;
  private readonly clock: () => Date;
  private readonly ownPublishedPorts?: EngineOptions['ownPublishedPorts'];

  constructor(opts: EngineOptions = {}) {
    super();
    this.paths = opts.paths ?? resolvePaths();
    this.preset = opts.preset ?? AEGISX_PRESET;
    this.probe = opts.probe ?? hostPortProbe;
    this.clock = opts.clock ?? (() => new Date());
    this.ownPublishedPorts = opts.ownPublishedPorts;
    this.registry = new InstanceRegistry(this.paths);
  }

  summarize(rec: InstanceRecord): InstanceSummary {
    return {
      name: rec.name,
      folder: rec.folder,
      project: rec.project,
      main: rec.main,
      slot: rec.slot,
      template: rec.template,
      ports: rec.ports,
      files: [path.join(rec.folder, ENV_FILE), path.join(rec.folder, COMPOSE_FILE)],
      createdAt: rec.createdAt,
      updatedAt: rec.updatedAt,
    };
  }

  async list(): Promise<InstanceSummary[]> {
    return (await this.registry.list()).map((r) => this.summarize(r));
  }

  /** An instance by registered name, or by a folder registered to one. */
  async find(nameOrDir: string): Promise<InstanceRecord> {
    const instances = await this.registry.list();
    const byName = instances.find((i) => i.name === nameOrDir);
    if (byName) return byName;
    if (nameOrDir.includes('/') || nameOrDir.startsWith('.') || (await folderExists(nameOrDir))) {
      const folder = await resolveFolder(nameOrDir).catch(() => path.resolve(nameOrDir));
      const byFolder = instances.find((i) => i.folder === folder);
      if (byFolder) return byFolder;
    }
    throw new AxiError('NOT_FOUND', `no registered instance named or in ${JSON.stringify(nameOrDir)}; see axi list`);
  }

  async setup(dir: string, opts: SetupOptions = {}): Promise<SetupResult> {
    const id = await identifyFolder(dir, opts.env ?? process.env);
    const name = opts.name ? validateInstanceName(opts.name) : instanceNameFromSuffix(id.main ? id.base : id.suffix);
    const before = (await this.registry.list()).find((i) => i.folder === id.folder && i.name === name);
    const { resolveStack } = require('./stacks') as typeof import('./stacks'); // setup only: keeps list/check-conflicts lean
    const stack = await resolveStack({ folder: id.folder, base: id.base, template: opts.template, from: opts.from, recorded: before }, this.preset);
    const force = Boolean(opts.force);
    const now = this.clock();
    // A different stack means different ports: the recorded ones only hold for the same layout.
    const sameLayout = before && (before.source ?? 'aegisx') === stack.kind && JSON.stringify(before.from ?? null) === JSON.stringify(stack.from);

    // Everything that can refuse does so before the registry or any file changes.
    const slot = preferredSlot(stack.preset, id.suffix);
    const provisional: InstanceRecord = {
      name,
      folder: id.folder,
      folderName: id.folderName,
      suffix: id.suffix,
      main: id.main,
      project: stack.project(name, id.main, id.folderName),
      preset: stack.preset.id,
      source: stack.kind,
      base: id.base,
      from: stack.from,
      slot: sameLayout ? before.slot : slot,
      ports: sameLayout ? before.ports : id.main ? basePorts(stack.preset) : portsForSlot(stack.preset, slot),
      template: stack.template,
      createdAt: before?.createdAt ?? now.toISOString(),
      updatedAt: now.toISOString(),
    };
    await checkWritable([path.join(id.folder, ENV_FILE), path.join(id.folder, COMPOSE_FILE)], force);

    const notes: string[] = [];
    const allocator = new PortAllocator(stack.preset, this.probe);
    const { record, allocated, files } = await this.registry.update(async (state) => {
      const sameName = state.instances.find((i) => i.name === name);
      if (sameName && sameName.folder !== id.folder) {
        if (await folderExists(sameName.folder)) {
          throw new AxiError('NAME_TAKEN', `instance name ${name} is already registered for ${sameName.folder}; rename this folder, set FOLDER_NAME, or pass --name`);
        }
        notes.push(`took over the name ${name} from ${sameName.folder}, which no longer exists`);
      }
      for (const other of state.instances.filter((i) => i.folder === id.folder && i.name !== name)) {
        notes.push(`replaced the registration ${other.name} of this folder`);
      }
      const kept = sameName && sameName.folder === id.folder && !opts.reassign && sameLayout ? sameName : undefined;
      state.instances = state.instances.filter((i) => i.name !== name && i.folder !== id.folder);
      const alloc = opts.adoptPorts
        ? adopted(stack.preset, id.main, opts.adoptPorts)
        : kept
          ? { slot: kept.slot, ports: kept.ports }
          : await allocator.allocate({ suffix: id.suffix, main: id.main, taken: takenPorts(state), reassign: opts.reassign });
      const rec: InstanceRecord = { ...provisional, slot: alloc.slot, ports: alloc.ports, createdAt: kept?.createdAt ?? now.toISOString() };
      // Rendered before the registry is written: a template that fails leaves the registry as it was.
      const out = await stack.render(rec, now);
      rec.services = out.services;
      rec.volumes = out.volumes;
      state.instances.push(rec);
      state.instances.sort((a, b) => a.name.localeCompare(b.name));
      return { record: rec, allocated: !kept, files: out.files };
    });

    const written: Record<string, WriteOutcome> = {};
    for (const f of files) written[f.path] = await writeGenerated(f, force);
    if (await ensureGitignored(record.folder, [ENV_FILE, COMPOSE_FILE])) notes.push('added the instance files to .gitignore');
    this.emit('changed');
    return { ...this.summarize(record), written, allocated, notes };
  }

  /** Forgets a registration (ours, or a reservation line of the seed's registry file). Files and volumes stay. */
  async remove(nameOrDir: string): Promise<{ name: string; folder?: string }> {
    const result = await this.registry.update((state) => {
      const inst = state.instances.find((i) => i.name === nameOrDir) ??
        state.instances.find((i) => i.folder === path.resolve(nameOrDir));
      if (inst) {
        state.instances = state.instances.filter((i) => i !== inst);
        return { name: inst.name, folder: inst.folder };
      }
      const foreign = state.foreign.find((e) => e.name === nameOrDir);
      if (foreign) {
        state.foreign = state.foreign.filter((e) => e !== foreign);
        return { name: foreign.name };
      }
      throw new AxiError('NOT_FOUND', `no registered instance named or in ${JSON.stringify(nameOrDir)}; see axi list`);
    });
    this.emit('changed');
    return result;
  }

  /**
   * Ports claimed twice in the registry, and registered ports held on this
   * machine by a program other than the instance's own containers.
   */
  async checkConflicts(): Promise<Conflict[]> {
    const state = await this.registry.readState();
    const claims = new Map<number, { service: string; name: string }[]>();
    const claim = (port: number, service: string, name: string) => {
      const list = claims.get(port) ?? [];
      list.push({ service, name });
      claims.set(port, list);
    };
    for (const inst of state.instances) for (const [s, p] of Object.entries(inst.ports)) claim(p, s, inst.name);
    for (const e of state.foreign) for (const [s, p] of Object.entries(e.ports)) claim(p, s, e.name);

    const conflicts: Conflict[] = [];
    for (const [port, owners] of claims) {
      const names = [...new Set(owners.map((o) => o.name))];
      if (names.length > 1) conflicts.push({ port, kind: 'registry', service: owners[0]!.service, instances: names });
    }

    const ours = new Map<number, { service: string; name: string }>();
    for (const inst of state.instances) for (const [s, p] of Object.entries(inst.ports)) ours.set(p, { service: s, name: inst.name });
    const busy = await busyPorts(ours.keys(), this.probe);
    // Asking Docker costs a connection: only when something holds a registered port.
    const published = busy.size && this.ownPublishedPorts ? await this.ownPublishedPorts() : new Map<number, string>();
    const foreignBusy = [...busy].filter((p) => published.get(p) !== ours.get(p)!.name).sort((a, b) => a - b);
    const owners = foreignBusy.length ? await this.probe.owners(foreignBusy) : new Map<number, PortOwner>();
    for (const port of foreignBusy) {
      const o = ours.get(port)!;
      const owner = owners.get(port);
      conflicts.push({ port, kind: 'host', service: o.service, instances: [o.name], ...(owner ? { process: owner } : {}) });
    }
    return conflicts.sort((a, b) => a.port - b.port || a.kind.localeCompare(b.kind));
  }
}

