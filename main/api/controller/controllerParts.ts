// The controller's parts, each made here and wired by setupController (controller.ts).
import type { Backend } from '../../docker/lifecycle/backend';
import { EngineStatusModels } from '../../docker/engine/engineStatus';
import { instanceStackStatuses, type StackStatus } from '../../docker/swarm/swarmStatus';
import { DeployedStacks } from '../overview/deployedStacks';
import { readTunnelToggles, tunnelKeeper } from '../../docker/remote/keptTunnels';
import { engineHost } from '../../docker/engine/engines';
import type { TunnelKeeper } from '../../docker/remote/tunnelKeeper';
import { sshEngines, type TunnelSource } from '../overview/tunnelViews';
import { watchWorktrees, type WorktreeEvent } from '../../docker/lifecycle/worktreeFollower';
import { mainWorktreePath } from '../../core/worktrees/worktrees';
import { instanceId } from '../../core/registry/instanceRef';
import { ApiEventBus } from './events';
import { LogStreams } from '../overview/logStreams';
import { OperationTracker } from './operations';
import { buildOverview, type OverviewSources } from '../overview/overview';
import { OverviewPublisher } from '../overview/overviewPublisher';
import { PortRecheck, setupRechecks } from './rechecks';
import { SettingsManager, type SettingsHost } from '../handlers/settings';
import { type StackView } from '../../shared/api/table';
import { FolderInfoCache } from '../overview/views';
import { hostAccess } from '../../docker/compose/hostAccess';
import { worktreeNotification, WorktreeWatchers } from '../overview/worktreeWatchers';
import type { OfferDesk } from '../overview/worktreeOffers';
import type { ControllerOptions } from './controllerTypes';
import type { IdleCheck } from './idleCheck';

/** One watcher per registered repository (git's `worktrees/` folder), its events as notifications. */
export function worktreeWatchers(
  backend: Backend,
  events: ApiEventBus,
  changed: (e: WorktreeEvent) => void,
  offers: Pick<OfferDesk, 'offer'>,
): WorktreeWatchers {
  return new WorktreeWatchers({
    folders: async () => (await backend.service.records()).map((r) => r.folder),
    repositoryOf: (folder) => mainWorktreePath(folder),
    watch: (repository, emit) => watchWorktrees(backend, [repository], emit),
    report: (e, repository) => {
      // A new worktree joins its repository's one offer, notified once, shown in the window until acted on.
      if (e.action === 'offer' && e.path !== repository) offers.offer(repository, [e.path]);
      else events.emit('notification', worktreeNotification(e, repository));
      changed(e);
    },
  });
}

/** The settings, applied to this backend: a new endpoint is checked, then the connection and the status model follow it. */
export function settingsManager(
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
export function controllerLoop(p: {
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
  offers: OfferDesk;
}): { start: () => Promise<void>; stop: () => void } {
  const { backend, model, publisher, recheck } = p;
  const schedule = () => publisher.schedule();
  // A worktree's instance started by its policy holds its ports now: its own looked at, as after the window's Start.
  const startedOne = (folder: string) =>
    backend.service.find(folder).then((r) => recheck.runFor(instanceId(r)), schedule);
  const followed = (e: WorktreeEvent) => (e.action === 'started' ? void startedOne(e.path) : schedule());
  const worktrees =
    p.opts.followWorktrees === false ? undefined : worktreeWatchers(backend, p.events, followed, p.offers);
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
export function deployedStacks(backend: Backend, changed: () => void): DeployedStacks {
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
export function keptTunnels(backend: Backend, opts: ControllerOptions, changed: () => void) {
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
export function trackingParts(
  backend: Backend,
  events: ApiEventBus,
  model: EngineStatusModels,
  settings: SettingsManager,
  sources: () => OverviewSources,
  offers: () => OfferDesk,
) {
  // Whether each folder's compose file reaches the host unaccepted: the tray and the card say so before a start.
  const home = backend.service.paths.home;
  const folders = new FolderInfoCache(async (folder) => !(await hostAccess(home, { folder })).accepted);
  const publisher = new OverviewPublisher({
    build: async () => offers().withOffers(await buildOverview(sources())),
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
