import { instanceId } from '../../../core/registry/instanceRef';
import { confirmed, JSON_OPTION, NAME_ARG, progress, YES_OPTION, type CliCommand } from '../../command';
import { snapshotJson, statusJson, statusLine } from '../../../api/report/format';

export const command: CliCommand<[name: string, snapshot: string | undefined], { yes?: boolean; json?: boolean }> = {
  name: 'restore',
  description: "put a snapshot's volumes back (latest by default); running or stopped as before",
  args: [NAME_ARG, { name: '[snapshot]', description: 'snapshot id (see axi snapshots NAME)' }],
  options: [YES_OPTION, JSON_OPTION],
  async run({ backend, io, json }, [name, snapshot], o) {
    const rec = await backend().service.find(name);
    await confirmed(
      io,
      o.yes,
      `Restore ${await backend().service.label(rec)} from ${snapshot ?? 'its latest snapshot'}? Its current data is replaced (after a snapshot of it).`,
    );
    const r = await backend().lifecycle.restore(instanceId(rec), snapshot, { onOutput: progress(io, o.json) });
    const kept = r.previous ? ` The data it replaced is in snapshot ${r.previous.id}.` : '';
    if (o.json)
      json({
        ...statusJson(r.status),
        snapshot: snapshotJson(r.snapshot),
        previous: r.previous ? snapshotJson(r.previous) : null,
      });
    else io.out(`Restored ${r.snapshot.id}.${kept} ${statusLine(r.status)}`);
  },
};
