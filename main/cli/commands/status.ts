import { usageLine } from '../../core/units';
import { JSON_OPTION, NAME_ARG, type CliCommand } from '../command';
import { statusJson, statusLine } from '../format';
import { readCliUsage, usageJson, type CliUsage } from '../usage';

export const command: CliCommand<[name: string], { json?: boolean }> = {
  name: 'status',
  description: "one instance's status per service, with its CPU %, memory and disk",
  args: [NAME_ARG],
  options: [JSON_OPTION],
  async run({ backend, io, json }, [name], opts) {
    const e = backend();
    const s = await e.lifecycle.status(name);
    let cost: CliUsage | undefined;
    try {
      cost = await readCliUsage(e, [s.record], await e.lifecycle.allContainers());
    } catch (err) {
      // The figures are extra: an engine that cannot report them still gets its status.
      io.err(`axi: warning: CPU, memory and disk unavailable: ${(err as Error).message}`);
    }
    const u = cost?.usage.values().next().value;
    if (opts.json) return json({ ...statusJson(s), ...(cost ? { stats: usageJson(u, cost.cpuWindowMs) } : {}) });
    io.out(u ? `${statusLine(s)}\n  ${usageLine(u)}` : statusLine(s));
  },
};
