/**
 * `AXI_DEBUG=1` (or `--verbose`): what axi spawns and asks the engine, one line each on stderr.
 * Off by default, so normal output stays clean for scripts.
 */
export function debugEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.AXI_DEBUG) && env.AXI_DEBUG !== '0';
}

export function debug(line: string): void {
  if (debugEnabled()) process.stderr.write(`axi: debug: ${line}\n`);
}
