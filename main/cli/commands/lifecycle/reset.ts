import { instanceOrCheckout } from '../../../core/instances/records/checkout';
import { instanceId } from '../../../core/registry/instanceRef';
import { confirmed, JSON_OPTION, OPTIONAL_NAME_ARG, progress, YES_OPTION, type CliCommand } from '../../command';
import { snapshotJson, statusJson, statusLine } from '../../../api/report/format';

export const command: CliCommand<[name: string | undefined], { yes?: boolean; snapshot: boolean; json?: boolean }> = {
  name: 'reset',
  description: 'fresh data: snapshot the volumes, then down --volumes and up',
  args: [OPTIONAL_NAME_ARG],
  options: [
    YES_OPTION,
    { flags: '--no-snapshot', description: 'skip the snapshot (the data is gone for good)' },
    JSON_OPTION,
  ],
  async run({ backend, io, json }, [name], o) {
    const rec = await instanceOrCheckout(backend().service, name);
    const who = await backend().service.label(rec);
    await confirmed(
      io,
      o.yes,
      `Reset ${who}? Its databases are emptied${o.snapshot ? ' (a snapshot is kept first)' : ' and NO snapshot is kept'}.`,
    );
    const r = await backend().lifecycle.reset(instanceId(rec), {
      snapshot: o.snapshot,
      onOutput: progress(io, o.json),
    });
    if (o.json) return json({ ...statusJson(r.status), snapshot: r.snapshot ? snapshotJson(r.snapshot) : null });
    io.out(
      `${statusLine(r.status)}${r.snapshot ? `\nSnapshot ${r.snapshot.id} kept in ${r.snapshot.dir}; undo with: axi restore ${who} ${r.snapshot.id}` : ''}`,
    );
  },
};
