import type { Backend } from '../docker/backend';
import { instanceStatus } from '../docker/status';
import { instanceId, instanceLabels } from '../core/instanceRef';
import type { Io } from './command';
import { servicesText } from './format';

/**
 * `axi list --watch`: one engine event subscription (the status model);
 * prints an instance whenever its status or a service's state/health changes,
 * and the engine's own comings and goings. Runs until interrupted.
 */
export async function watchStatus(backend: Backend, io: Io, asJson: boolean): Promise<void> {
  const model = backend.statusModel();
  const last = new Map<string, string>();
  const print = (value: object, text: string) =>
    io.out(
      asJson
        ? JSON.stringify({ ...value, at: new Date().toISOString() })
        : `${new Date().toLocaleTimeString()}  ${text}`,
    );

  const refresh = async () => {
    const records = await backend.service.records();
    const labels = instanceLabels(records);
    for (const r of records) {
      const id = instanceId(r);
      const s = instanceStatus(r, model.project(r.project));
      const key = JSON.stringify(s);
      if (last.get(id) === key) continue;
      last.set(id, key);
      print(
        { name: s.name, id, status: s.status, services: s.services },
        `${labels.get(id)}: ${s.status} (${servicesText(s)})`,
      );
    }
  };
  let queue = Promise.resolve();
  const schedule = (): void => {
    queue = queue.then(refresh).catch((err) => io.err(`axi: ${(err as Error).message}`));
  };
  model.on('engine', (state: string) =>
    print({ engine: state }, `docker engine ${state === 'connected' ? 'connected' : 'unreachable; retrying'}`),
  );
  model.on('change', schedule);
  await model.start();
  if (model.engine !== 'connected') schedule();
  await new Promise<void>((resolve) => {
    const stop = () => {
      model.stop();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
