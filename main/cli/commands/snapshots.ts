import { JSON_OPTION, NAME_ARG, type CliCommand } from '../command';
import { snapshotJson, table } from '../../api/report/format';

export const command: CliCommand<[name: string], { json?: boolean }> = {
  name: 'snapshots',
  description: 'list the volume snapshots of an instance',
  args: [NAME_ARG],
  options: [JSON_OPTION],
  async run({ backend, io, json }, [name], o) {
    const list = await backend().lifecycle.snapshots(name);
    if (o.json) return json(list.map(snapshotJson));
    io.out(
      list.length
        ? table(
            ['SNAPSHOT', 'REASON', 'VOLUMES', 'SIZE'],
            list.map((s) => [
              s.id,
              s.reason,
              s.volumes.map((v) => v.name).join(', '),
              `${Math.round(s.volumes.reduce((a, v) => a + v.bytes, 0) / 1024)} KiB`,
            ]),
          )
        : 'No snapshots yet (axi reset takes one first).',
    );
  },
};
