import { instanceId } from '../core/instanceRef';
import { presetFromEnv } from '../core/preset';
import { InstanceService, type ServiceOptions } from '../core/service';
import { connectDocker, endpointHint } from './connection';
import type { InstanceLifecycle } from './lifecycle';
import type { StatusModel } from './statusModel';

export interface Backend {
  service: InstanceService;
  readonly lifecycle: InstanceLifecycle;
  /** A live status model on the same engine (started by the caller). */
  statusModel(): StatusModel;
}

export interface BackendConfig extends ServiceOptions {
  env?: NodeJS.ProcessEnv;
  /** Docker endpoint override (app preference); else DOCKER_HOST, the docker context, the usual sockets. */
  dockerEndpoint?: string;
  pingTimeoutMs?: number;
}

/**
 * The engine with its Docker connection wired in: what the CLI, `axi serve`
 * and Electron's main construct. The Docker layer loads on first use, so
 * commands that never talk to Docker don't pay for it.
 */
export function createBackend(config: BackendConfig = {}): Backend {
  const connect = () =>
    connectDocker({ env: config.env, endpoint: config.dockerEndpoint, timeoutMs: config.pingTimeoutMs });
  let lifecycle: InstanceLifecycle | undefined;
  const getLifecycle = (): InstanceLifecycle => {
    const { InstanceLifecycle } = require('./lifecycle') as typeof import('./lifecycle');
    return (lifecycle ??= new InstanceLifecycle(service, connect, () =>
      endpointHint(config.env ?? process.env, config.dockerEndpoint),
    ));
  };
  // Circular by design: the service asks Docker which ports are the instances' own; Docker ops use the service's registry.
  const service: InstanceService = new InstanceService({
    ...config,
    preset: config.preset ?? presetFromEnv(config.env ?? process.env),
    composeModel:
      config.composeModel ??
      ((files, opts) => (require('./composeModel') as typeof import('./composeModel')).readComposeModel(files, opts)),
    ownPublishedPorts: async () => {
      const own = new Map<number, string>();
      try {
        const { listComposeContainers } = require('./status') as typeof import('./status');
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
    projectPorts: async (project) => {
      try {
        const { listComposeContainers, portsByKey } = require('./status') as typeof import('./status');
        const { docker } = await getLifecycle().docker();
        const ports = portsByKey(
          (await listComposeContainers(docker)).filter((c) => c.project === project && c.state === 'running'),
        );
        return Object.keys(ports).length ? ports : undefined;
      } catch {
        return undefined; // no engine: nothing runs that we could adopt
      }
    },
  });
  return {
    service,
    get lifecycle() {
      return getLifecycle();
    },
    statusModel: () => {
      const { StatusModel } = require('./statusModel') as typeof import('./statusModel');
      return new StatusModel({ connect });
    },
  };
}
