import { JSON_OPTION, NAME_ARG, type CliCommand } from '../command';
import { statusJson, statusLine } from '../format';

export const command: CliCommand<[name: string], { json?: boolean }> = {
  name: 'status',
  description: "one instance's status per service",
  args: [NAME_ARG],
  options: [JSON_OPTION],
  async run({ backend, io, json }, [name], opts) {
    const s = await backend().lifecycle.status(name);
    if (opts.json) json(statusJson(s));
    else io.out(statusLine(s));
  },
};
