import { usageLine } from '../../shared/display/units';
import type { Backend } from '../../docker/lifecycle/backend';
import { statusJson, statusLine } from './format';
import { readCliUsage, usageJson, type CliUsage } from './usage';

/** `axi status --json`'s document and its text line (`axi mcp`'s status tool returns the same document). */
export async function statusReport(e: Backend, ref: string, warn: (text: string) => void) {
  const s = await e.lifecycle.status(ref);
  let cost: CliUsage | undefined;
  try {
    cost = await readCliUsage(e, [s.record], await e.lifecycle.allContainers());
  } catch (err) {
    // The figures are extra: an engine that cannot report them still gets its status.
    warn(`axi: warning: CPU, memory and disk unavailable: ${(err as Error).message}`);
  }
  const u = cost?.usage.values().next().value;
  return {
    json: { ...statusJson(s), ...(cost ? { stats: usageJson(u, cost.cpuWindowMs) } : {}) },
    text: u ? `${statusLine(s)}\n  ${usageLine(u)}` : statusLine(s),
  };
}
