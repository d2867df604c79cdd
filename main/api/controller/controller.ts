import { EngineStatusModels } from '../../docker/engine/engineStatus';
import { backendCleanup, backendUsageSource } from '../overview/usageSource';
import { offerDesk } from '../overview/worktreeOffers';
import { toErrorPayload } from '../../shared/errors';
import { cachedRouterWeb } from '../../core/routes/routeLinks';
import { routerBase } from '../../core/routes/routerState';
import { ApiEventBus } from './events';
import type { IdleCheck } from './idleCheck';
import { idleCheck } from './idleWiring';
import { readSleepState } from '../../core/registry/sleepState';
import { createHandlers, registerFolder } from '../handlers/handlers';
import { type HandlerContext } from '../handlers/handlerContext';
import { LogStreams } from '../overview/logStreams';
import { type OverviewSources } from '../overview/overview';
import { SettingsManager } from '../handlers/settings';
import { StatsSampler } from '../overview/statsSampler';
import {
  parseCall,
  type ApiArgsChecked,
  type ApiHandlers,
  type ApiMethod,
  type ApiReply,
  type ApiResults,
} from '../../shared/api/table';
import { copyPauses } from '../../docker/data/copyPauses';
import type { AppController, ControllerOptions } from './controllerTypes';
import { settingsManager, controllerLoop, deployedStacks, keptTunnels, trackingParts } from './controllerParts';

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
    addFolders: async (dirs, choose) => {
      for (const dir of dirs) {
        // Both stacks plausible (a compose file and the AegisX stack's signs): the person picks, as in the window.
        const preview = choose ? await handlers.previewFolder(dir).catch(() => undefined) : undefined;
        const stack = preview?.pick === 'ask' ? await choose!(preview) : undefined;
        if (stack === null) continue;
        await registerFolder(p.context, dir, stack ? { stack } : {}, true).catch(() => undefined);
      }
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
  const parts = trackingParts(
    backend,
    events,
    model,
    settings,
    () => sources,
    () => offers,
  );
  const { folders, publisher, recheck, ops } = parts;
  const offers = offerDesk({ notify: (n) => events.emit('notification', n), changed: () => publisher.schedule() });
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
    offers,
  };
  const handlers = createHandlers(context);
  const idle = idleCheck({ backend, publisher, ops, logs, tunnels, handlers: () => handlers });
  sources.sleep = () => readSleepState(backend.service.paths.home);
  const loop = controllerLoop({
    ...{ backend, opts, events, model, settings, publisher, recheck, logs, tunnels, stacks },
    offers,
    idle,
  });
  const refresh = () => publisher.schedule();
  return appController({ handlers, context, settings, stats, events, loop, idle, refresh });
}
