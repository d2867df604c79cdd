import type { Backend } from '../docker/backend';
import { EngineStatusModels } from '../docker/engineStatus';
import { instanceStackStatuses, type StackStatus } from '../docker/swarmStatus';
import { DeployedStacks } from './deployedStacks';
import { readTunnelToggles, tunnelKeeper } from '../docker/keptTunnels';
import { engineHost } from '../docker/engines';
import type { TunnelKeeper } from '../docker/tunnelKeeper';
import { sshEngines, type TunnelSource } from './tunnelViews';
import { watchWorktrees, type WorktreeEvent } from '../docker/worktreeFollower';
import { mainWorktreePath } from '../core/worktrees';
import { backendCleanup, backendUsageSource } from '../docker/usageSource';
import { toErrorPayload } from '../core/errors';
import { cachedRouterWeb } from '../core/routeLinks';
import { routerBase } from '../router/state';
import { instanceId } from '../core/instanceRef';
import { ApiEventBus } from './events';
import type { IdleCheck } from './idleCheck';
import { idleCheck } from './idleWiring';
import { readSleepState } from '../core/sleepState';
import { createHandlers, registerFolder, type HandlerContext } from './handlers';
import { LogStreams } from './logStreams';
import { OperationTracker } from './operations';
import { buildOverview, type OverviewSources } from './overview';
import { OverviewPublisher } from './overviewPublisher';
import { PortRecheck, setupRechecks } from './rechecks';
import { SettingsManager, type SettingsHost } from './settings';
import { StatsSampler } from './statsSampler';
import {
  parseCall,
  type ApiArgsChecked,
  type ApiHandlers,
  type ApiMethod,
  type ApiReply,
  type ApiResults,
  type Overview,
  type StackView,
} from './table';
import { FolderInfoCache } from './views';
import { copyPauses } from '../docker/copyPauses';
import { worktreeNotification, WorktreeWatchers } from './worktreeWatchers';

export interface ControllerOptions {
  backend: Backend;
  /** One re-check of host ports for all instances (another program may take a registered port). */
  recheckMs?: number;
  /** Opens a folder in the OS file manager (Electron); absent in a browser. */
  revealFolder?: (folder: string) => Promise<void>;
  /** Shows the OS folder picker (Electron); absent in a browser. */
  pickFolders?: () => Promise<string[]>;
  /** The desktop app (start at login) or `axi serve` (the default); settings live in the backend's store. */
  host?: SettingsHost;
  /** Follow the registered repositories' worktrees by their `worktrees:` policy (default true). */
  followWorktrees?: boolean;
  /** Keep SSH tunnels open for running remote instances whose toggle is on (default true). */
  keepTunnels?: boolean;
}

/** One watcher per registered repository (git's `worktrees/` folder), its events as notifications. */
function worktreeWatchers(
  backend: Backend,
  events: ApiEventBus,
  changed: (e: WorktreeEvent) => void,
): WorktreeWatchers {
  return new WorktreeWatchers({
    folders: async () => (await backend.service.records()).map((r) => r.folder),
    repositoryOf: (folder) => mainWorktreePath(folder),
    watch: (repository, emit) => watchWorktrees(backend, [repository], emit),
    report: (e, repository) => {
      events.emit('notification', worktreeNotification(e, repository));
      changed(e);
    },
  });
}

/**
 * What the app's window talks to, in Electron and in `axi serve` alike: the
 * API table's handlers, one status model per engine (engine events, no
 * polling) and one port re-check for all instances, and the table's events.
 */
export interface AppController {
  readonly handlers: ApiHandlers;
  /** The user's settings, as `getSettings` and `updateSettings` serve them. */
  readonly settings: SettingsManager;
  /** Validates and runs one call from a window; errors come back as `{ code, message }`. */
  invoke(method: unknown, args: unknown): Promise<ApiReply<unknown>>;
  /** The last overview pushed to windows (kept current by events), or a fresh one before the first push. */
  current(): Promise<Overview>;
  /** A fresh overview soon: something it reads changed outside it (the router started or stopped). */
  refresh(): void;
  on: ApiEventBus['on'];
  onAny: ApiEventBus['onAny'];
  emit: ApiEventBus['emit'];
  /** What each instance costs, sampled only when asked (the visible window, the tray menu opening). */
  readonly stats: StatsSampler;
  /** Idle sleep: the router counts its requests here and wakes sleeping instances through it. */
  readonly idle: IdleCheck;
  /** The tray's "Add repository…": each folder registered under the tracker, a refusal notified. */
  addFolders(dirs: readonly string[]): Promise<void>;
  start(): Promise<void>;
  stop(): void;
}

/** One call, its method and arguments correlated, so the handler's types are checked. */
function dispatch<M extends ApiMethod>(
  handlers: ApiHandlers,
  call: { method: M; args: ApiArgsChecked[M] },
): Promise<ApiResults[M]> {
  const handler: (...args: ApiArgsChecked[M]) => Promise<ApiResults[M]> = handlers[call.method];
  return handler(...call.args);
}

function errorReply(err: unknown): ApiReply<never> {
  return { ok: false, error: toErrorPayload(err) };
}

/** The settings, applied to this backend: a new endpoint is checked, then the connection and the status model follow it. */
function settingsManager(
  backend: Backend,
  model: Pick<EngineStatusModels, 'reconnect'>,
  events: ApiEventBus,
  host: SettingsHost = { kind: 'serve' },
): SettingsManager {
  return new SettingsManager({
    store: backend.settings,
    host,
    endpoint: {
      check: (e) => backend.checkDockerEndpoint(e),
      use: async (e) => {
        backend.setDockerEndpoint(e);
        await model.reconnect();
      },
      automatic: () => backend.dockerEndpoint().automatic,
    },
    changed: (view) => events.emit('settings', view),
  });
}

/** Starts and stops what runs in the background: settings at start, re-check triggers, engine events, worktree watchers. */
function controllerLoop(p: {
  backend: Backend;
  opts: ControllerOptions;
  events: ApiEventBus;
  model: EngineStatusModels;
  settings: ReturnType<typeof settingsManager>;
  publisher: OverviewPublisher;
  recheck: PortRecheck;
  logs: LogStreams;
  tunnels: TunnelKeeper | undefined;
  stacks: DeployedStacks;
  idle: IdleCheck;
}): { start: () => Promise<void>; stop: () => void } {
  const { backend, model, publisher, recheck } = p;
  const schedule = () => publisher.schedule();
  // A worktree's instance started by its policy holds its ports now: its own looked at, as after the window's Start.
  const startedOne = (folder: string) =>
    backend.service.find(folder).then((r) => recheck.runFor(instanceId(r)), schedule);
  const followed = (e: WorktreeEvent) => (e.action === 'started' ? void startedOne(e.path) : schedule());
  const worktrees = p.opts.followWorktrees === false ? undefined : worktreeWatchers(backend, p.events, followed);
  let stopRechecks: (() => void) | undefined;
  const { tunnels, stacks } = p;
  // Any engine event may concern a stack (a node, a service); stacks.request coalesces them and asks only
  // the engines that have one.
  const changed = () => (schedule(), stacks.request());
  return {
    start: async () => {
      p.settings.applyAtStart();
      model.on('change', changed);
      model.on('engine', schedule);
      stopRechecks = await setupRechecks({
        home: backend.service.paths.home,
        intervalMs: p.opts.recheckMs ?? 10_000,
        service: backend.service,
        changedElsewhere: () => backend.service.registryChangedElsewhere(),
        // A registry change (here or in another process) may bring a new repository to follow, or drop one.
        registryWritten: () => (void worktrees?.sync(), recheck.refreshRegistry()),
        // schedule: a copy's pause ends its "resuming" by the clock, not by an event. The idle check shares the
        // re-check's timer: one timer for all instances.
        recheck: (force) => (
          void worktrees?.sync(),
          stacks.request(),
          schedule(),
          void p.idle.tick(),
          recheck.run(force)
        ),
      });
      model.follow((await backend.service.records()).map((r) => r.engine));
      await model.start();
      await recheck.run();
      await publisher.publish(); // so the first window gets a ready overview, not one computed on demand
      void worktrees?.sync(); // not awaited: a first look may register and start instances
      tunnels?.start();
      void stacks.refresh();
    },
    stop: () => {
      void tunnels?.stop();
      stopRechecks?.();
      worktrees?.stop();
      publisher.stop();
      model.off('change', changed);
      stacks.stop();
      model.off('engine', schedule);
      model.stop();
      p.logs.stopAll();
    },
  };
}

/** The stacks `axi stack --deploy` made, as the overview shows them: asked of the engines that have one. */
function deployedStacks(backend: Backend, changed: () => void): DeployedStacks {
  return new DeployedStacks({
    read: async () => {
      const records = await backend.service.records();
      const statuses = await instanceStackStatuses(backend.lifecycle, backend.service.paths.home, records);
      const view = (s: StackStatus): StackView => ({
        name: s.stack,
        running: s.running,
        desired: s.desired,
        services: s.services.map((v) => ({ ...v })),
      });
      return new Map([...statuses].map(([id, s]) => [id, view(s)]));
    },
    changed,
  });
}

/**
 * Tunnels for running instances on SSH engines, while their toggle is on (the card's switch, `axi tunnel
 * --keep`): the keeper, and what the overview reads of it. None when the caller keeps no tunnels.
 */
function keptTunnels(backend: Backend, opts: ControllerOptions, changed: () => void) {
  const overSsh = sshEngines((engine) => engineHost(engine));
  if (opts.keepTunnels === false) return { tunnels: undefined, overSsh, tunnelSource: undefined };
  const tunnels = tunnelKeeper(backend, changed);
  const tunnelSource: TunnelSource = {
    toggles: () => readTunnelToggles(backend.service.paths.home),
    kept: () => tunnels.tunnels(),
    overSsh,
  };
  return { tunnels, overSsh, tunnelSource };
}

/** The overview's publisher, the operation tracker and the port re-check, which each call on the others. */
function trackingParts(
  backend: Backend,
  events: ApiEventBus,
  model: EngineStatusModels,
  settings: SettingsManager,
  sources: () => OverviewSources,
) {
  const folders = new FolderInfoCache();
  const publisher = new OverviewPublisher({
    build: () => buildOverview(sources()),
    events,
    engine: () => model.engine,
    quiet: () => !settings.current().notifications,
  });
  const recheck: PortRecheck = new PortRecheck({
    service: backend.service,
    busyKeys: () => ops.busyKeys(),
    folders,
    publisher,
  });
  const ops: OperationTracker = new OperationTracker({
    changed: () => publisher.schedule(),
    // What the operation may have changed: its own instance's ports; a registration's were probed as allocated.
    settled: (op) => {
      void model.reconcile(); // whatever events the operation's burst left unsaid
      void (op.key.startsWith('folder:') ? recheck.refreshRegistry() : recheck.runFor(op.key));
    },
    notify: (n) => events.emit('notification', n),
    progress: (instance, line) => events.emit('progress', { instance, line }),
  });
  return { folders, publisher, recheck, ops };
}

/** What the front ends hold: the handlers, checked calls, the overview and its events. */
function appController(p: {
  handlers: ApiHandlers;
  context: HandlerContext;
  settings: SettingsManager;
  stats: StatsSampler;
  events: ApiEventBus;
  loop: { start: () => Promise<void>; stop: () => void };
  idle: IdleCheck;
  refresh: () => void;
}): AppController {
  const { handlers, events } = p;
  return {
    handlers,
    settings: p.settings,
    stats: p.stats,
    idle: p.idle,
    invoke: async (method, args) => {
      try {
        return { ok: true, value: await dispatch(handlers, parseCall(method, args)) };
      } catch (err) {
        return errorReply(err);
      }
    },
    current: () => p.context.publisher.current(),
    refresh: p.refresh,
    on: events.on.bind(events),
    onAny: events.onAny.bind(events),
    emit: events.emit.bind(events),
    addFolders: async (dirs) => {
      for (const dir of dirs) await registerFolder(p.context, dir, undefined, true).catch(() => undefined);
    },
    start: p.loop.start,
    stop: p.loop.stop,
  };
}

/** Wires the controller's parts: publisher, tracker, re-check, log streams and handlers over one engine. */
export function setupController(opts: ControllerOptions): AppController {
  const { backend } = opts;
  const events = new ApiEventBus();
  // One status model per engine with instances (the local one always): each reconnects on its own.
  const model = new EngineStatusModels({
    local: backend.statusModel(),
    remote: (engine) => backend.statusModel(engine),
  });
  const settings = settingsManager(backend, model, events, opts.host);
  const { folders, publisher, recheck, ops } = trackingParts(backend, events, model, settings, () => sources);
  const { tunnels, overSsh, tunnelSource } = keptTunnels(backend, opts, () => publisher.schedule());
  const stacks = deployedStacks(backend, () => publisher.schedule());
  const sources: OverviewSources = {
    service: backend.service,
    status: model,
    folders,
    ops,
    conflicts: () => recheck.current(),
    listening: () => recheck.listeningPorts(),
    stacks: () => stacks.current(),
    router: { base: () => routerBase(backend.service.paths.home, settings.current()), webOf: cachedRouterWeb() },
    copyPauses: () => copyPauses(backend.service.paths.home),
    ...(tunnelSource ? { tunnels: tunnelSource } : {}),
  };
  const logs = new LogStreams({
    source: (name, o) => backend.lifecycle.logs(name, o),
    emit: (e) => events.emit('log', e),
  });
  const stats = new StatsSampler({ source: backendUsageSource(backend) });
  const context: HandlerContext = {
    service: backend.service,
    lifecycle: () => backend.lifecycle,
    ops,
    logs,
    sources,
    publisher,
    recheck,
    revealFolder: opts.revealFolder,
    pickFolders: opts.pickFolders,
    settings,
    stats: { sampler: stats, planCleanup: () => backendCleanup(backend), changed: () => recheck.run(true) },
    overSsh,
    tunnels,
  };
  const handlers = createHandlers(context);
  const idle = idleCheck({ backend, publisher, ops, logs, tunnels, handlers: () => handlers });
  sources.sleep = () => readSleepState(backend.service.paths.home);
  const loop = controllerLoop({
    backend,
    opts,
    events,
    model,
    settings,
    publisher,
    recheck,
    logs,
    tunnels,
    stacks,
    idle,
  });
  const refresh = () => publisher.schedule();
  return appController({ handlers, context, settings, stats, events, loop, idle, refresh });
}
