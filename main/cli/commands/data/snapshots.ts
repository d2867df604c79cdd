import { snapshotSize } from '../../../shared/display/units';
import { JSON_OPTION, NAME_ARG, type CliCommand } from '../../command';
import { snapshotJson, table } from '../../../api/report/format';

export const command: CliCommand<[name: string], { json?: boolean }> = {
  name: 'snapshots',
  description:
    "list the volume snapshots of an instance; SIZE is its volumes' total (a clone's adds what deleting it frees: own)",
  args: [NAME_ARG],
  options: [JSON_OPTION],
  async run({ backend, io, json }, [name], o) {
    const { snapshotsWithOwn } =
      require('../../../docker/data/exclusiveSizes') as typeof import('../../../docker/data/exclusiveSizes');
    const list = await snapshotsWithOwn(backend().lifecycle, name);
    if (o.json) return json(list.map((s) => ({ ...snapshotJson(s.snapshot), exclusiveBytes: s.ownBytes })));
    io.out(
      list.length
        ? table(
            ['SNAPSHOT', 'REASON', 'KIND', 'VOLUMES', 'SIZE'],
            list.map(({ snapshot: s, ownBytes }) => [
              s.id,
              s.reason,
              s.kind === 'clone' ? 'clone (copy-on-write)' : 'archive',
              s.volumes.map((v) => v.name).join(', '),
              snapshotSize({ ...s, exclusiveBytes: ownBytes }),
            ]),
          )
        : 'No snapshots yet (axi reset takes one first).',
    );
  },
};
