import { AxiError } from '../../shared/errors';
import { instanceId } from '../../core/registry/instanceRef';
import path from 'node:path';
import { CONFIG_FILES_LABEL, INSTANCE_LABEL, ownedByOther, WORKING_DIR_LABEL } from '../../core/project/naming';
import { COMPOSE_FILE } from '../../core/project/instanceFiles';
import { presetFromEnv } from '../../core/project/preset';
import { InstanceService } from '../../core/instances/service';
import { type ServiceOptions } from '../../core/instances/serviceTypes';
import type { SettingsStore } from '../../shared/schemas/settings';
import { FileSettingsStore } from '../../core/registry/settingsFile';
import { connectDocker, endpointHint } from '../engine/connection';
import { engineHost } from '../engine/engines';
import type { InstanceLifecycle } from './lifecycle';
import type { StatusModel } from '../status/statusModel';

export interface Backend {
  service: InstanceService;
  readonly lifecycle: InstanceLifecycle;
  /** A live status model on the local engine, or on a registration's `engine` (started by the caller). */
  statusModel(engine?: string | null): StatusModel;
  /** The user's settings: the Docker endpoint and the default bind address are read from here. */
  readonly settings: SettingsStore;
  /** The endpoint every Docker call uses: the setting's, else what DOCKER_HOST, the context or a socket gives. */
  dockerEndpoint(): { configured: string | null; automatic: string | null };
  /** Pings the engine at `endpoint` (null: the automatic choice is always accepted); DOCKER_UNAVAILABLE if it does not answer. */
  checkDockerEndpoint(endpoint: string | null): Promise<void>;
  /** Points every later Docker call at `endpoint`; a status model follows with its `reconnect()`. */
  setDockerEndpoint(endpoint: string | null): void;
}

export interface BackendConfig extends ServiceOptions {
  env?: NodeJS.ProcessEnv;
  /** Where the settings live; default `$AXI_HOME/settings.json` (what the CLI and `axi serve` use). */
  settings?: SettingsStore;
  pingTimeoutMs?: number;
}

/** A new endpoint must answer before it is used; the error names it and what went wrong, in one line. */
async function pingEndpoint(endpoint: string, env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<void> {
  try {
    await connectDocker({ env, endpoint, timeoutMs });
  } catch (err) {
    if (!(err instanceof AxiError)) throw err;
    const why = /\(absent\)/.test(err.message) ? 'there is no such socket' : 'no Docker engine answered a ping';
    throw new AxiError('DOCKER_UNAVAILABLE', `dockerEndpoint ${JSON.stringify(endpoint)}: ${why}`);
  }
}

/**
 * The engine with its Docker connection wired in: what the CLI, `axi serve`
 * and Electron's main construct. The Docker layer loads on first use, so
 * commands that never talk to Docker don't pay for it.
 */
export function createBackend(config: BackendConfig = {}): Backend {
  const env = config.env ?? process.env;
  let endpoint: string | null | undefined; // read from the settings on first use: commands without Docker never do
  // DOCKER_HOST given to this process wins over the saved setting, as it wins over contexts in Docker's own CLI:
  // `DOCKER_HOST=… axi list` means that engine. A switch made in the window during this run wins over both.
  const configured = () =>
    endpoint === undefined ? (endpoint = env.DOCKER_HOST ? null : settings.read().settings.dockerEndpoint) : endpoint;
  const connect = () => connectDocker({ env, endpoint: configured() ?? undefined, timeoutMs: config.pingTimeoutMs });
  // A registration's own engine (a context or DOCKER_HOST value), else the local one as above.
  const connectTo = (engine: string | null, o: { ping?: boolean } = {}) =>
    engine
      ? connectDocker({ env, endpoint: engineHost(engine, env), timeoutMs: config.pingTimeoutMs, ...o })
      : connect();
  const hintFor = (engine: string | null) =>
    engine ? engineHost(engine, env) : endpointHint(env, configured() ?? undefined);
  let lifecycle: InstanceLifecycle | undefined;
  const getLifecycle = (): InstanceLifecycle => {
    const { InstanceLifecycle } = require('./lifecycle') as typeof import('./lifecycle');
    return (lifecycle ??= new InstanceLifecycle(service, connectTo, hintFor));
  };
  // Circular by design: the service asks Docker which ports are the instances' own; Docker ops use the service's registry.
  const service: InstanceService = new InstanceService({
    ...config,
    defaultBind: config.defaultBind ?? (() => settings.read().settings.defaultBind),
    preset: config.preset ?? presetFromEnv(env),
    composeModel:
      config.composeModel ??
      ((files, opts) =>
        (require('../compose/composeModel') as typeof import('../compose/composeModel')).readComposeModel(files, opts)),
    ownPublishedPorts: async () => {
      const own = new Map<number, string>();
      try {
        const { listComposeContainers } = require('../status/status') as typeof import('../status/status');
        const { docker } = await getLifecycle().docker();
        const byProject = new Map((await service.records()).map((r) => [r.project, instanceId(r)]));
        for (const c of await listComposeContainers(docker)) {
          const id = byProject.get(c.project);
          if (id) for (const p of c.published) own.set(p, id);
        }
      } catch {
        // No engine: nothing is known to be an instance's own.
      }
      return own;
    },
    comingUpPorts: async () => {
      const bound = new Map<number, string>();
      try {
        const { fromListEntry } = require('../status/status') as typeof import('../status/status');
        const { docker } = await getLifecycle().docker();
        const byProject = new Map((await service.records()).map((r) => [r.project, instanceId(r)]));
        // Every container, labelled or not: a port another running container publishes is its, not coming up.
        const all = (await docker.listContainers({ all: true })).map((c) => fromListEntry(c));
        const ours = (c: { project: string }) => byProject.get(c.project);
        const published = new Set(all.filter((c) => c.state === 'running' && !ours(c)).flatMap((c) => c.published));
        for (const c of all) {
          const id = ours(c);
          if (!id) continue;
          // Running by now (it came up since the first look): what it publishes; otherwise what it binds.
          for (const p of c.published) bound.set(p, id);
          if (c.state === 'running') continue;
          const info = await docker.getContainer(c.id).inspect();
          // Typed `any` by dockerode: { "5432/tcp": [{ HostIp, HostPort }] }.
          const bindings = (info.HostConfig?.PortBindings ?? {}) as Record<string, { HostPort?: string }[] | null>;
          for (const b of Object.values(bindings))
            for (const h of b ?? [])
              if (Number(h.HostPort) && !published.has(Number(h.HostPort))) bound.set(Number(h.HostPort), id);
        }
      } catch {
        // No engine, or a container went meanwhile: nothing is known to be coming up.
      }
      return bound;
    },
    engineProbe: (engine) => {
      const { enginePortProbe } = require('../engine/enginePorts') as typeof import('../engine/enginePorts');
      return enginePortProbe(() => getLifecycle().docker(engine));
    },
    projectPorts: async (project, engine, folder, spans) => {
      try {
        const { listComposeContainers, portsByKey } = require('../status/status') as typeof import('../status/status');
        const { docker } = await getLifecycle().docker(engine);
        // Another registry's or user's containers under this project name are never adopted.
        const ports = portsByKey(
          (await listComposeContainers(docker)).filter(
            (c) =>
              c.project === project &&
              c.state === 'running' &&
              !ownedByOther(c.labels) &&
              (!folder || c.labels['com.docker.compose.project.working_dir'] === folder),
          ),
          spans,
        );
        return Object.keys(ports).length ? ports : undefined;
      } catch {
        return undefined; // no engine: nothing runs that we could adopt
      }
    },
    replaceHooks: {
      running: async (rec) => {
        const { listComposeContainers } = require('../status/status') as typeof import('../status/status');
        const { foreignOwner } = require('./ownership') as typeof import('./ownership');
        const { docker } = await getLifecycle().docker(rec);
        // Only its own: a registration that shares a project (made before names were per folder) does not own
        // the other folder's containers, and giving it its own project leaves them running, as they should.
        return (await listComposeContainers(docker))
          .filter((c) => c.project === rec.project && c.state === 'running' && !foreignOwner(c.labels, rec.folder))
          .map((c) => c.name);
      },
      stop: async (rec) => void (await getLifecycle().stop(instanceId(rec))),
      seedStack: async (folder) => {
        const { listComposeContainers } = require('../status/status') as typeof import('../status/status');
        const { docker } = await getLifecycle().docker(null);
        // Made from the folder's instance file by the seed's command: no axi instance label on them.
        const seed = (await listComposeContainers(docker)).filter(
          (c) =>
            c.labels[WORKING_DIR_LABEL] === folder &&
            !c.labels[INSTANCE_LABEL] &&
            (c.labels[CONFIG_FILES_LABEL] ?? '').split(',').some((f) => path.basename(f) === COMPOSE_FILE),
        );
        const running = seed.some((c) => c.state === 'running');
        return seed.length ? { project: seed[0]!.project, names: seed.map((c) => c.name), running } : undefined;
      },
    },
  });
  // After the service, in its AXI_HOME; the closures above read it only once something asks.
  const settings = config.settings ?? new FileSettingsStore(service.paths);
  return {
    service,
    get lifecycle() {
      return getLifecycle();
    },
    statusModel: (engine) => {
      const { StatusModel } = require('../status/statusModel') as typeof import('../status/statusModel');
      // A remote engine's model connects only there: the Settings' endpoint does not move it.
      return new StatusModel({ connect: engine ? () => connectTo(engine) : connect });
    },
    settings,
    dockerEndpoint: () => ({ configured: configured(), automatic: endpointHint(env) ?? null }),
    checkDockerEndpoint: (e) => (e === null ? Promise.resolve() : pingEndpoint(e, env, config.pingTimeoutMs)),
    setDockerEndpoint: (e) => {
      endpoint = e;
      lifecycle?.forgetConnection();
    },
  };
}
