import { createRequire } from 'node:module';

/**
 * Stands in for `ssh2` in the CLI's dockerode bundle: docker-modem requires it when it loads, but
 * only an `ssh://` endpoint uses it, and its crypto costs ~70 ms on every command. The real module
 * loads on first use.
 */
type Ssh2 = { Client: new (...args: unknown[]) => object };
let real: Ssh2 | undefined;
const load = (): Ssh2 => (real ??= createRequire(__filename)('ssh2') as Ssh2);

export const Client = function LazyClient(...args: unknown[]) {
  return new (load().Client)(...args);
} as unknown as Ssh2['Client'];
