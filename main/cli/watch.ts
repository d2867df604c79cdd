import type { Backend } from '../docker/lifecycle/backend';
import { instanceStatus } from '../docker/status/status';
import { engineLabel } from '../shared/display/engine';
import { instanceId, instanceLabels } from '../core/registry/instanceRef';
import { EngineStatusModels } from '../docker/engine/engineStatus';
import type { Io } from './command';
import { servicesText } from '../api/report/format';

/**
 * `axi list --watch`: one engine event subscription (the status model);
 * prints an instance whenever its status or a service's state/health changes,
 * and the engine's own comings and goings. Runs until interrupted.
 */
export async function watchStatus(backend: Backend, io: Io, asJson: boolean): Promise<void> {
  // One subscription per engine with instances: a lost remote engine makes only its instances unknown.
  const model = new EngineStatusModels({ local: backend.statusModel(), remote: (e) => backend.statusModel(e) });
  const last = new Map<string, string>();
  const print = (value: object, text: string) =>
    io.out(
      asJson
        ? JSON.stringify({ ...value, at: new Date().toISOString() })
        : `${new Date().toLocaleTimeString()}  ${text}`,
    );

  const refresh = async () => {
    const records = await backend.service.records();
    model.follow(records.map((r) => r.engine));
    const labels = instanceLabels(records);
    for (const r of records) {
      if (model.stateOf(r.engine) === 'connecting') continue; // its engine's first answer (or failure) is printed
      const id = instanceId(r);
      const s = instanceStatus(r, model.project(r.project, r.engine));
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
  model.on('engine', (state: string, id: string | null) => {
    if (state === 'gone') return; // no registration names that engine any more
    const which = id ? ` ${engineLabel(id)}` : '';
    const words = state === 'connected' ? 'connected' : 'unreachable; retrying';
    print(id ? { engine: state, on: id } : { engine: state }, `docker engine${which} ${words}`);
  });
  model.on('change', schedule);
  model.follow((await backend.service.records()).map((r) => r.engine));
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
