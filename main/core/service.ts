import { matchRefLoosely, notFoundText } from './refSuggest';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { AxiError } from './errors';
import { gitMainCheckout } from './mainCheckout';
import { portsByKey } from './portRanges';
import { busyPorts, hostPortProbe, type HostPortProbe, type PortOwner } from './hostPorts';
import {
  identifyFolder,
  type FolderIdentity,
  instanceNameFromSuffix,
  resolveFolder,
  standaloneMain,
  validateInstanceName,
} from './identity';
import { instanceId, instanceLabels, labelOf, matchRef } from './instanceRef';
import {
  COMPOSE_FILE,
  ENV_FILE,
  stageGenerated,
  stageGitignore,
  type GeneratedFile,
  type StagedWrite,
  type WriteOutcome,
} from './instanceFiles';
import { resolvePaths, type AxiPaths } from './paths';
import { DEFAULT_BIND } from './settings';
import { ownerName } from './naming';
import { useRegistry } from './registryIdentity';
import { stageProjectEnv } from './projectEnv';
import { guardReplacement, type ReplaceHooks } from './replaceGuard';
import { assertOwnDockerNames, assertOwnProject, mainNamesHolder } from './sharedNames';
import { PortAllocator } from './portAllocator';
import { adoptedSlot, takenOnEngine, takenPorts } from './portClaims';
import { AEGISX_PRESET, type Ports, type Preset } from './preset';
import { byName, claimName, planRecord, refuseLocalPaths, type SetupPlan } from './setupPlan';
import { loadRepoConfig } from './repoConfig';
import { InstanceRegistry, type InstanceRecord, type RegistryState } from './registry';
import type { ComposeModelReader } from './composeModel';

export interface InstanceSummary {
  name: string;
  /** `repo/name`: unique, where `name` is unique per repository only. */
  id: string;
  folder: string;
  project: string;
  main: boolean;
  slot: number | null;
  template: string | null;
  ports: Ports;
  /** Port ranges: key → the block's length (its first port is in `ports`). */
  spans?: Record<string, number>;
  /** Host address its ports are published on. */
  bind: string;
  /** The Docker engine it lives on (a context name or a DOCKER_HOST value); null: the local engine. */
  engine: string | null;
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
  /** Host address ports are published on; `127.0.0.1` (this machine only) unless asked. */
  bind?: string;
  /** Give the folder another instance although its registered one runs: its containers are stopped first. */
  replace?: boolean;
  /** A `--from` stack's container-name prefix, as its containers' labels recorded it (re-adoption). */
  prefix?: string;
  /** The main checkout's Compose project name, as `docker compose -p` gives it. */
  projectName?: string;
  /**
   * The Docker engine to live on: a context name or a DOCKER_HOST value, checked by the caller; null: the local
   * engine. Undefined keeps the recorded one.
   */
  engine?: string | null;
}

export interface Conflict {
  port: number;
  kind: 'registry' | 'host';
  service: string;
  instances: string[];
  process?: PortOwner;
  /** Lines of the seed's registry file (`~/.aegisx-port-registry`) that reserve this port. */
  registryLines?: { name: string; line: number }[];
}

export interface ConflictQuery {
  /** Only this instance's ports, by name or id (a start checks its own, not everybody's). */
  only?: string;
  /** Ports its own containers publish (found by the engine's labels), to its id: never a conflict for it. */
  ownPorts?: ReadonlyMap<number, string>;
}

/** A program whose working folder is inside the checkout (its dev server on its `web` port) is the instance's own. */
function runsInside(owner: PortOwner | undefined, folder: string): boolean {
  return Boolean(
    owner?.cwd && (owner.cwd === folder || owner.cwd.startsWith(folder.endsWith('/') ? folder : `${folder}/`)),
  );
}

export { DEFAULT_BIND };

export function validateBind(bind: string, where: string): string {
  if (!isIP(bind))
    throw new AxiError(
      'BAD_INPUT',
      `${where} ${JSON.stringify(bind)} is not an IP address (e.g. 127.0.0.1, or 0.0.0.0 for the LAN)`,
    );
  return bind;
}

export interface ServiceOptions {
  paths?: AxiPaths;
  preset?: Preset;
  probe?: HostPortProbe;
  clock?: () => Date;
  /**
   * Ports published by an instance's own containers (port → instance id, `repo/name`), so
   * they are not reported as taken by "another program". Supplied by the Docker layer.
   */
  ownPublishedPorts?: () => Promise<ReadonlyMap<number, string>>;
  /**
   * Ports a Compose project's containers already publish, by registry key; undefined when it has
   * none or no engine answers. A folder registered while its containers run adopts them.
   */
  projectPorts?: (project: string, engine: string | null) => Promise<Ports | undefined>;
  /**
   * How ports are checked on a remote engine's host (its listeners and every container's published ports,
   * asked through that engine): one probe per allocation. Supplied by the Docker layer.
   */
  engineProbe?: (engine: string) => HostPortProbe;
  /** Compose v2's merged reading of a project's files (`--from`); without it axi merges them itself. */
  composeModel?: ComposeModelReader;
  /**
   * The host address a new registration publishes on when neither `--bind` nor the repository's `bind:` says
   * (the user's `defaultBind` setting, read at each setup); 127.0.0.1 without it.
   */
  defaultBind?: () => string;
  /** Whether a registration setup would replace still runs, and how to stop it (the Docker layer). */
  replaceHooks?: ReplaceHooks;
}

async function folderExists(folder: string): Promise<boolean> {
  return stat(folder).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/**
 * The one facade the CLI, `axi serve` and Electron's main process call.
 * Its methods are the API table; it emits `changed` after every mutation.
 */
export class InstanceService extends EventEmitter {
  readonly paths: AxiPaths;
  readonly preset: Preset;
  private readonly registry: InstanceRegistry;
  /** How ports on this machine are checked (injected in tests); every caller probes through it. */
  readonly probe: HostPortProbe;
  private readonly clock: () => Date;
  private readonly ownPublishedPorts?: ServiceOptions['ownPublishedPorts'];
  private readonly projectPorts?: ServiceOptions['projectPorts'];
  private readonly composeModel?: ServiceOptions['composeModel'];
  private readonly engineProbe?: ServiceOptions['engineProbe'];
  private readonly defaultBind: () => string;
  private readonly replaceHooks: ReplaceHooks;

  constructor(opts: ServiceOptions = {}) {
    super();
    this.paths = opts.paths ?? resolvePaths();
    this.preset = opts.preset ?? AEGISX_PRESET;
    this.probe = opts.probe ?? hostPortProbe;
    this.clock = opts.clock ?? (() => new Date());
    this.ownPublishedPorts = opts.ownPublishedPorts;
    this.projectPorts = opts.projectPorts;
    this.composeModel = opts.composeModel;
    this.engineProbe = opts.engineProbe;
    this.defaultBind = opts.defaultBind ?? (() => DEFAULT_BIND);
    this.replaceHooks = opts.replaceHooks ?? {};
    this.registry = new InstanceRegistry(this.paths);
    useRegistry(this.paths.home);
  }

  summarize(rec: InstanceRecord): InstanceSummary {
    return {
      name: rec.name,
      id: instanceId(rec),
      folder: rec.folder,
      project: rec.project,
      main: rec.main,
      slot: rec.slot,
      template: rec.template,
      ports: rec.ports,
      ...(rec.spans ? { spans: rec.spans } : {}),
      // Registered before addresses were recorded: its file publishes on all addresses until set up again.
      bind: rec.bind ?? '0.0.0.0',
      engine: rec.engine ?? null,
      // The folder is stored absolute and normalised: joined by hand, as path.join's normalising pass
      // (interpreted on a short command's first calls) costs `list` ~3 ms over 100 instances.
      files: [`${rec.folder}${path.sep}${ENV_FILE}`, `${rec.folder}${path.sep}${COMPOSE_FILE}`],
      createdAt: rec.createdAt,
      updatedAt: rec.updatedAt,
    };
  }

  /** Every registration as stored (one read of the registry). */
  records(): Promise<InstanceRecord[]> {
    return this.registry.list();
  }

  /** The registry with the port registry file's foreign entries (one read). */
  readState(): Promise<RegistryState> {
    return this.registry.readState();
  }

  /** Whether another process wrote the registry since this one last read or wrote it (a stat, no read). */
  registryChangedElsewhere(): Promise<boolean> {
    return this.registry.changedElsewhere();
  }

  async list(): Promise<InstanceSummary[]> {
    return (await this.registry.list()).map((r) => this.summarize(r));
  }

  /** An instance by NAME (one repository has it), REPO/NAME, or a folder registered to one. */
  async find(nameOrDir: string): Promise<InstanceRecord> {
    const instances = await this.registry.list();
    const byName = matchRef(nameOrDir, instances);
    if (byName) return byName;
    if (nameOrDir.includes('/') || nameOrDir.startsWith('.') || (await folderExists(nameOrDir))) {
      const folder = await resolveFolder(nameOrDir).catch(() => path.resolve(nameOrDir));
      const byFolder = instances.find((i) => i.folder === folder);
      if (byFolder) return byFolder;
    }
    // A folder's dashes for Docker's underscores (`feature-login` for `feature_login`).
    const loosely = matchRefLoosely(nameOrDir, instances);
    if (loosely) return loosely;
    throw notRegistered(nameOrDir, instances);
  }

  /** How messages name an instance: its name, or `repo/name` while another repository has the name too. */
  async label(rec: InstanceRecord): Promise<string> {
    return labelOf(rec, await this.registry.list());
  }

  async setup(dir: string, opts: SetupOptions = {}): Promise<SetupResult> {
    const plan = await this.planSetup(dir, opts);
    const staged: StagedWrite[] = [];
    const { record, allocated, replaced } = await this.registry
      .update((state) => this.registerPlanned(state, plan, opts, staged))
      .catch(async (err) => {
        await Promise.all(staged.map((f) => f.discard()));
        throw err;
      });
    const written = await this.commitFiles(staged, record, replaced);
    if (written['.gitignore']) plan.notes.push('added the instance files to .gitignore');
    for (const f of staged) if (f.note) plan.notes.push(f.note);
    delete written['.gitignore'];
    if (written['.env'])
      plan.notes.push(
        `.env: one marked line COMPOSE_PROJECT_NAME=${record.project}, so docker-compose in this folder acts on axi's project`,
      );
    delete written['.env'];
    this.emit('changed');
    return { ...this.summarize(record), written, allocated, notes: plan.notes };
  }

  /** Who the folder is and what its stack makes: everything setup decides before the registry is locked. */
  private async planSetup(dir: string, opts: SetupOptions): Promise<SetupPlan> {
    // A remote engine's port probe (a container run there) starts now, beside the work below; the
    // allocation then finds its answer ready. Harmless if setup refuses meanwhile: it removes itself.
    const probe = opts.engine ? this.warmProbe(opts.engine) : undefined;
    const records = await this.registry.list();
    const { id, name, before, rule } = await identifyForSetup(dir, opts, records);
    const { resolveStack } = require('./stacks') as typeof import('./stacks'); // setup only: keeps list/check-conflicts lean
    const stack = await resolveStack(
      {
        folder: id.folder,
        base: id.base,
        template: opts.template,
        from: opts.from,
        recorded: before,
        env: opts.env,
        prefix: opts.prefix,
        projectName: opts.projectName,
        composeModel: this.composeModel,
      },
      this.preset,
    );
    const engine = opts.engine !== undefined ? opts.engine : (before?.engine ?? null);
    // A shared engine: Docker names carry the local user's name (kept from the registration once recorded).
    const owner = engine
      ? (before?.engine === engine && before.owner) || ownerName({ ...process.env, ...opts.env })
      : undefined;
    const notes: string[] = rule ? [rule] : [];
    // Everything that can refuse does so before the registry or any file changes.
    await access(id.folder, constants.W_OK).catch((err: NodeJS.ErrnoException) => {
      throw new AxiError('BAD_INPUT', `cannot write to ${id.folder} (${err.code}); nothing was registered`);
    });
    const mainProject = stack.project(name, true, id.folderName, owner);
    const holder = id.main
      ? mainNamesHolder(records, {
          folder: id.folder,
          project: mainProject,
          engine,
          createdAt: before?.createdAt ?? this.clock().toISOString(),
        })
      : undefined;
    if (holder)
      notes.push(
        `${holder.folder} already uses the main checkout's names (project ${mainProject}): this folder gets its own names and ports`,
      );
    const bind = opts.bind ? validateBind(opts.bind, '--bind') : (stack.bind ?? before?.bind ?? this.defaultBind());
    const plan = planRecord({
      id,
      name,
      main: id.main && !holder,
      before,
      stack,
      engine,
      owner,
      bind,
      now: this.clock(),
      notes,
      engineChoice: opts.engine,
    });
    // Only where ports will be allocated (a re-setup keeps its ports unless --reassign).
    if (engine && (opts.reassign || !plan.keepsPorts))
      plan.probe = engine === opts.engine ? probe : this.warmProbe(engine);
    // Containers already running for this folder's project keep their ports: the registration follows them.
    // Only a folder with an instance file can have containers under our project name (ours came from it),
    // so a first registration never waits for the engine.
    const mayRun = !before && existsSync(path.join(id.folder, COMPOSE_FILE));
    plan.adoptPorts =
      opts.adoptPorts ?? (mayRun ? await this.projectPorts?.(plan.provisional.project, engine) : undefined);
    if (plan.adoptPorts && !opts.adoptPorts) notes.push(`adopted the ports its running containers publish`);
    await guardReplacement(records, plan.provisional, opts.replace, this.replaceHooks, notes);
    return plan;
  }

  /** Inside the registry lock: takes the name, allocates ports, renders and stages the files, records it. */
  private async registerPlanned(
    state: RegistryState,
    plan: SetupPlan,
    opts: SetupOptions,
    staged: StagedWrite[],
  ): Promise<{ record: InstanceRecord; allocated: boolean; replaced: InstanceRecord[] }> {
    const { provisional, stack, engine, notes } = plan;
    const replaced = claimName(state, provisional, notes);
    const kept = replaced.find(
      (i) => i.name === provisional.name && i.folder === provisional.folder && !opts.reassign && plan.keepsPorts,
    );
    const alloc = plan.adoptPorts
      ? adoptedSlot(stack.preset, provisional.main, plan.adoptPorts)
      : kept
        ? { slot: kept.slot, ports: kept.ports }
        : await new PortAllocator(stack.preset, engine ? (plan.probe ?? this.probeFor(engine)) : this.probe).allocate({
            suffix: provisional.suffix || provisional.folderName,
            main: provisional.main,
            taken: engine ? takenOnEngine(state, engine) : takenPorts(state),
            reassign: opts.reassign,
          });
    const { moved, ...slotPorts } = alloc as typeof alloc & { moved?: string };
    if (moved) notes.push(`not the folder's own slot: ${moved}`);
    const rec: InstanceRecord = { ...provisional, ...slotPorts, createdAt: kept?.createdAt ?? provisional.updatedAt };
    // Rendered and written to temporary files before the registry is: a template that fails, or a
    // folder that cannot be written, leaves the registry and every file as they were.
    const out = await stack.render(rec, plan.now);
    if (engine && stack.kind === 'compose') await refuseLocalPaths(out.files, engine, stack.from ?? []);
    assertOwnProject(rec, state.instances, notes);
    await assertOwnDockerNames(rec, out.files, state.instances);
    rec.services = out.services;
    rec.volumes = out.volumes;
    notes.push(...(out.notes ?? []));
    await this.stageFiles(rec.folder, out.files, Boolean(opts.force), staged);
    const projectEnv = await stageProjectEnv(rec, notes);
    if (projectEnv) staged.push({ ...projectEnv, path: '.env' });
    state.instances.push(rec);
    state.instances.sort(byName);
    return { record: rec, allocated: !kept, replaced };
  }

  /** A remote engine's probe, already asked (its answer is kept for the allocation); none where none can be made. */
  private warmProbe(engine: string): HostPortProbe | undefined {
    if (!this.engineProbe) return undefined;
    const probe = this.engineProbe(engine);
    probe.busy?.([]).catch(() => undefined); // a failure is the allocation's to report, when it asks again
    return probe;
  }

  /** The port probe of a remote engine's host (one container run per allocation), or an error saying why there is none. */
  private probeFor(engine: string): HostPortProbe {
    if (!this.engineProbe) throw new AxiError('BAD_INPUT', `cannot check ports on engine ${engine} here`);
    return this.engineProbe(engine);
  }

  private async stageFiles(
    folder: string,
    files: readonly GeneratedFile[],
    force: boolean,
    into: StagedWrite[],
  ): Promise<void> {
    for (const f of files) into.push(await stageGenerated(folder, f, force));
    const ignore = await stageGitignore(folder, [ENV_FILE, COMPOSE_FILE]);
    if (ignore) into.push({ ...ignore, path: '.gitignore' });
  }

  /** Puts the staged files in place; if that fails, the registry goes back to what it was. */
  private async commitFiles(
    staged: StagedWrite[],
    record: InstanceRecord,
    replaced: InstanceRecord[],
  ): Promise<Record<string, WriteOutcome>> {
    const written: Record<string, WriteOutcome> = {};
    try {
      for (const f of staged) {
        await f.commit();
        written[f.path] = f.outcome;
      }
    } catch (err) {
      await Promise.all(staged.map((f) => f.discard()));
      await this.registry.update((state) => {
        state.instances = [...state.instances.filter((i) => instanceId(i) !== instanceId(record)), ...replaced].sort(
          byName,
        );
      });
      throw new AxiError(
        'BAD_INPUT',
        `cannot write the instance files in ${record.folder}: ${(err as Error).message}; the registry was left as it was`,
      );
    }
    return written;
  }

  /** Forgets a registration. Files and volumes stay; a line of the seed's registry file axi did not write is refused. */
  async remove(nameOrDir: string): Promise<{ name: string; id?: string; folder?: string }> {
    const result = await this.registry.update((state) => {
      const inst =
        matchRef(nameOrDir, state.instances) ??
        state.instances.find((i) => i.folder === path.resolve(nameOrDir)) ??
        matchRefLoosely(nameOrDir, state.instances);
      if (inst) {
        state.instances = state.instances.filter((i) => i !== inst);
        return { name: labelOf(inst, [...state.instances, inst]), id: instanceId(inst), folder: inst.folder };
      }
      const foreign = state.foreign.find((e) => e.name === nameOrDir);
      if (foreign)
        throw new AxiError(
          'NOT_OURS',
          `${foreign.name} is line ${foreign.line} of ${this.paths.mirrorFile}, written by the team's scripts, not by axi: axi keeps it; remove it with the scripts, or delete the line by hand`,
        );
      throw notRegistered(nameOrDir, state.instances);
    });
    this.emit('changed');
    return result;
  }

  /**
   * Ports claimed twice in the registry (ours, or lines of the seed's registry file), and registered
   * ports held on this machine by a program other than the instance's own containers.
   */
  async checkConflicts(query: ConflictQuery = {}, state?: RegistryState): Promise<Conflict[]> {
    return (await this.checkPorts(query, state)).conflicts;
  }

  /** Ports claimed twice in the registry: no probe of the host (a registration changes only these). */
  registryConflicts(state: RegistryState): Conflict[] {
    return registryConflicts(state, instanceLabels(state.instances));
  }

  /** Conflicts, and the registered ports something listens on (the window links only those). */
  async checkPorts(
    query: ConflictQuery = {},
    state?: RegistryState,
  ): Promise<{ conflicts: Conflict[]; listening: Set<number> }> {
    state ??= await this.registry.readState();
    const labels = instanceLabels(state.instances);
    const one = query.only === undefined ? undefined : matchRef(query.only, state.instances);
    if (query.only !== undefined && !one) return { conflicts: [], listening: new Set() };
    const only = one && labels.get(instanceId(one));
    const conflicts = registryConflicts(state, labels).filter((c) => !only || c.instances.includes(only));
    const ours = new Map<number, { service: string; id: string; folder: string }>();
    // One remote instance (`up`'s re-check) is probed on its engine's host, through the allocator's own probe;
    // otherwise only local instances are: a remote one's ports are on another host.
    const remote = one?.engine ?? undefined;
    for (const inst of state.instances) {
      if ((one && inst !== one) || (inst.engine && !remote)) continue;
      for (const [s, p] of Object.entries(inst.ports))
        ours.set(p, { service: s, id: instanceId(inst), folder: inst.folder });
    }
    const probe = remote ? this.probeFor(remote) : this.probe;
    const busy = await busyPorts(ours.keys(), probe);
    // Asking Docker costs a connection: only when something holds a registered port.
    const published =
      query.ownPorts ??
      (busy.size && this.ownPublishedPorts ? await this.ownPublishedPorts() : new Map<number, string>());
    const foreignBusy = [...busy].filter((p) => published.get(p) !== ours.get(p)!.id).sort((a, b) => a - b);
    const owners = foreignBusy.length ? await probe.owners(foreignBusy) : new Map<number, PortOwner>();
    for (const port of foreignBusy) {
      const o = ours.get(port)!;
      const owner = owners.get(port);
      if (runsInside(owner, o.folder)) continue;
      conflicts.push({
        port,
        kind: 'host',
        service: o.service,
        instances: [labels.get(o.id)!],
        // Its working folder only decided ownership above: not part of the report.
        ...(owner ? { process: { pid: owner.pid, name: owner.name } } : {}),
      });
    }
    return { conflicts: conflicts.sort((a, b) => a.port - b.port || a.kind.localeCompare(b.kind)), listening: busy };
  }

  /** Conflicts, and the lines of the seed's registry file that match no shape (kept, reported by number): one read. */
  async conflictReport(): Promise<{
    conflicts: Conflict[];
    unreadable: { file: string; line: number; text: string }[];
  }> {
    const state = await this.registry.readState();
    const conflicts = await this.checkConflicts({}, state);
    return { conflicts, unreadable: state.unreadable.map((u) => ({ file: this.paths.mirrorFile, ...u })) };
  }
}

/**
 * Ports claimed by two names on one engine: our registrations (shown by label) and the seed file's reservations
 * (this machine's), naming its lines.
 */
function registryConflicts(state: RegistryState, labels: ReadonlyMap<string, string>): Conflict[] {
  const claims = new Map<string, { port: number; service: string; name: string; line?: number }[]>();
  const claim = (engine: string, port: number, service: string, name: string, line?: number) =>
    claims.set(`${engine} ${port}`, [...(claims.get(`${engine} ${port}`) ?? []), { port, service, name, line }]);
  for (const inst of state.instances)
    for (const [p, s] of portsByKey(inst.ports, inst.spans))
      claim(inst.engine ?? '', p, s, labels.get(instanceId(inst))!);
  for (const e of state.foreign) for (const [s, p] of Object.entries(e.ports)) claim('', p, s, e.name, e.line);
  const conflicts: Conflict[] = [];
  for (const owners of claims.values()) {
    const port = owners[0]!.port;
    const names = [...new Set(owners.map((o) => o.name))];
    if (names.length < 2) continue;
    const lines = owners.filter((o) => o.line !== undefined).map((o) => ({ name: o.name, line: o.line! }));
    conflicts.push({
      port,
      kind: 'registry',
      service: owners[0]!.service,
      instances: names,
      ...(lines.length ? { registryLines: lines } : {}),
    });
  }
  return conflicts;
}

/** The folder's identity and instance name for setup, and the registration it already has, if any. */
async function identifyForSetup(
  dir: string,
  opts: SetupOptions,
  records: readonly InstanceRecord[],
): Promise<{ id: FolderIdentity; name: string; before?: InstanceRecord; rule?: string }> {
  let id = await identifyFolder(dir, opts.env ?? process.env);
  let rule: string | undefined;
  // Only for a folder not registered yet: an existing registration keeps its name and project.
  if (
    !records.some((i) => i.folder === id.folder) &&
    (opts.from?.length || (await loadRepoConfig(id.folder)).config.source === 'compose')
  ) {
    ({ id, note: rule } = await gitMainCheckout(id, records));
    id = standaloneMain(id);
  }
  const name = opts.name ? validateInstanceName(opts.name) : instanceNameFromSuffix(id.main ? id.base : id.suffix);
  return { id, name, rule, before: records.find((i) => i.folder === id.folder && i.name === name) };
}

/** A name or folder that matches no registration; the fix: look at the list. */
function notRegistered(nameOrDir: string, records: readonly InstanceRecord[]): AxiError {
  const reason = `no registered instance named or in ${JSON.stringify(nameOrDir)}`;
  // The close names (`feature_login` for `feature-logn`), where there are some.
  return new AxiError('NOT_FOUND', notFoundText(nameOrDir, records), { reason, fix: { action: 'list' } });
}
