import { JSON_OPTION, progress, type CliCommand } from '../../command';

export const command: CliCommand<[], { json?: boolean }> = {
  name: 'stop-all',
  description: 'stop every running instance (volumes kept)',
  options: [JSON_OPTION],
  async run({ backend, io, json }, _args, o) {
    const stopped = await backend().lifecycle.stopAll({ onOutput: progress(io, o.json) });
    if (o.json) json({ stopped });
    else io.out(stopped.length ? `Stopped ${stopped.join(', ')}.` : 'Nothing was running.');
  },
};
