/** The idle check wired to the controller's parts: the tracker, log streams, kept tunnels and Start. */
import type { Backend } from '../../docker/lifecycle/backend';
import type { TunnelKeeper } from '../../docker/remote/tunnelKeeper';
import { IdleCheck } from './idleCheck';
import type { LogStreams } from '../overview/logStreams';
import type { OperationTracker } from './operations';
import type { OverviewPublisher } from '../overview/overviewPublisher';
import type { ApiHandlers, InstanceView } from '../../shared/api/table';

export function idleCheck(p: {
  backend: Backend;
  publisher: Pick<OverviewPublisher, 'current' | 'schedule'>;
  ops: Pick<OperationTracker, 'busyWith' | 'run'>;
  logs: Pick<LogStreams, 'following'>;
  tunnels: Pick<TunnelKeeper, 'tunnels'> | undefined;
  handlers: () => Pick<ApiHandlers, 'startInstance'>;
}): IdleCheck {
  const { backend, publisher, ops } = p;
  const names = (v: InstanceView) => [v.id, v.name, v.label];
  return new IdleCheck({
    home: backend.service.paths.home,
    records: () => backend.service.records(),
    overview: () => publisher.current(),
    busyOn: (id, view) => {
      const own = names(view);
      const op = ops.busyWith(id);
      return [
        ...(op ? [op] : []),
        ...(p.logs.following().some((n) => own.includes(n)) ? ['logs -f'] : []),
        ...(p.tunnels?.tunnels().some((t) => own.includes(t.name) && t.state === 'open') ? ['tunnel'] : []),
      ];
    },
    sleep: (id, label, run) => ops.run({ key: id, label, what: 'sleep' }, () => run()),
    stop: (id) => backend.lifecycle.stop(id),
    start: (id) => p.handlers().startInstance(id),
    changed: () => publisher.schedule(),
  });
}
