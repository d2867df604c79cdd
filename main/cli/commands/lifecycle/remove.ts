import { NAME_ARG, type CliCommand } from '../../command';

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
    const r = await backend().lifecycle.remove(name, { ...opts, onOutput: (line) => io.err(line) });
    // Volumes are named only where some are left (none after `down --volumes`); unknown: kept, as remove never deletes them.
    const kept = r.volumesLeft?.length === 0 ? '' : ' and volumes';
    io.out(
      `Removed ${r.name} from the registry${r.removedContainers ? ', with its containers' : ''}${r.folder ? ` (files in ${r.folder}${kept} kept)` : ''}.`,
    );
  },
};
