import { performance } from 'node:perf_hooks';

/**
 * `AXI_DEBUG=1` (or `--verbose`): what axi spawns and asks the engine, one line each on stderr.
 * Off by default, so normal output stays clean for scripts.
 */
export function debugEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.AXI_DEBUG) && env.AXI_DEBUG !== '0';
}

export function debug(line: string): void {
  if (!debugEnabled()) return;
  // With AXI_DATA_DEBUG too: when each line was said since the process started, to read where the time goes.
  const at = dataDebug() ? ` (at ${performance.now().toFixed(0)} ms)` : '';
  process.stderr.write(`axi: debug: ${line}${at}\n`);
}

/** `AXI_DATA_DEBUG=1`: time the steps of data copies (see timed). */
export function dataDebug(): boolean {
  return Boolean(process.env.AXI_DATA_DEBUG) && process.env.AXI_DATA_DEBUG !== '0';
}

/**
 * `AXI_DATA_DEBUG=1`: how long each step of a data copy, snapshot or restore took, and when it ended since the
 * process started (`axi: data: snapshot 41 ms (at 512 ms)`), on stderr. Where the time of a copy goes.
 */
export async function timed<T>(step: string, fn: () => Promise<T>): Promise<T> {
  if (!dataDebug()) return fn();
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    const t1 = performance.now();
    process.stderr.write(`axi: data: ${step} ${(t1 - t0).toFixed(0)} ms (at ${t1.toFixed(0)} ms)\n`);
  }
}
