import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AxiError } from '../shared/errors';
import type { Backend } from '../docker/lifecycle/backend';
import { serveMcp } from './server';

/**
 * `axi mcp` and `axi mcp --all`, started by bin/axi.js without the rest of the CLI (its own bundle,
 * `dist/mcp.cjs`): an agent's client starts a server per session, so its start-up is a budget.
 * Any other spelling (`--help`, `--verbose`) goes through the full CLI, which runs the same server.
 */
export async function main(argv: string[]): Promise<number> {
  const all = argv.slice(1).includes('--all');
  try {
    const { createBackend } = require('../docker/lifecycle/backend') as typeof import('../docker/lifecycle/backend');
    const backend: Backend = createBackend();
    const problem = backend.settings.read().problem;
    if (problem) process.stderr.write(`axi: warning: ${problem}\n`);
    await serveMcp(backend, { all, version: version() });
    return 0;
  } catch (err) {
    const e = err instanceof AxiError ? err : undefined;
    process.stderr.write(`axi: ${e ? e.message : ((err as Error)?.stack ?? String(err))}\n`);
    return e?.exitCode ?? 1;
  }
}

function version(): string {
  try {
    return String(
      (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version?: string }).version,
    );
  } catch {
    return 'unknown';
  }
}
