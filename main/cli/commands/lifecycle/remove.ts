import path from 'node:path';
import { NAME_ARG, type CliCommand } from '../../command';
import { formatBytes } from '../../../shared/display/units';

export const command: CliCommand<[name: string], { down?: boolean; keepContainers?: boolean }> = {
  name: 'remove',
  description: 'forget a registration (files and volumes are kept); a running instance needs --down',
  args: [NAME_ARG],
  options: [
    { flags: '--down', description: 'stop and remove its containers first (volumes are kept)' },
    {
      flags: '--keep-containers',
      description: 'forget it even though its containers run (they keep serving the old ports)',
    },
  ],
  async run({ backend, io }, [name], opts) {
    // Read first: once forgotten, no command lists them by this name.
    const snaps = await backend()
      .lifecycle.snapshots(name)
      .catch(() => []);
    const r = await backend().lifecycle.remove(name, { ...opts, onOutput: (line) => io.err(line) });
    // Volumes are named only where some are left (none after `down --volumes`); unknown: kept, as remove never deletes them.
    const kept = r.volumesLeft?.length === 0 ? '' : ' and volumes';
    io.out(
      `Removed ${r.name} from the registry${r.removedContainers ? ', with its containers' : ''}${r.folder ? ` (files in ${r.folder}${kept} kept)` : ''}.`,
    );
    if (snaps.length) {
      const bytes = snaps.reduce((n, s) => n + s.volumes.reduce((m, v) => m + v.bytes, 0), 0);
      const dir = path.dirname(snaps[0]!.dir);
      // A copy-on-write snapshot's blocks are on the engine: its folder holds only the manifest.
      const clones = snaps.filter((s) => s.kind === 'clone').length;
      const how = clones
        ? `set it up again to delete them from its card's Snapshots… (or MCP delete_snapshot): deleting that folder would leave ${clones} copy-on-write clone(s) on the engine`
        : 'deleting that folder deletes them';
      io.out(
        `Its ${snaps.length === 1 ? '1 snapshot' : `${snaps.length} snapshots`} (${formatBytes(bytes)}) ${snaps.length === 1 ? 'stays' : 'stay'} in ${dir}: axi snapshots lists them again if it is set up again; ${how}.`,
      );
    }
  },
};
