import { createRequire } from 'node:module';

/**
 * `uuid`, loaded on first call: dockerode reads `require('uuid').v4` when it loads, for BuildKit
 * sessions only, and uuid loads node:crypto (~7 ms of every command's start-up).
 */
type Uuid = { v4: (...args: unknown[]) => string };
let real: Uuid | undefined;
const load = (): Uuid => (real ??= createRequire(__filename)('uuid') as Uuid);

export const v4 = (...args: unknown[]): string => load().v4(...args);
