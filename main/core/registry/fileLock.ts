import { AxiError } from '../../shared/errors';

export interface LockOptions {
  /** The folder the lock guards (it must exist). */
  dir: string;
  /** The lock's own path, named in the error. */
  lockPath: string;
  /** What is locked, for the error: "registry", "settings". */
  what: string;
  /** A holder that stopped updating the lock for this long has crashed: the lock is taken over. */
  staleMs?: number;
}

/**
 * A cross-process lock (proper-lockfile) for a read-modify-write of shared state
 * under `$AXI_HOME`; resolves with its release. Recovers from a crashed holder
 * after `staleMs`; still held after a few seconds of retries is LOCKED.
 */
export async function lockShared(o: LockOptions): Promise<() => Promise<void>> {
  const staleMs = o.staleMs ?? 10_000;
  const lockfile = await import('proper-lockfile'); // loaded by writers only: `list` stays fast
  try {
    return await lockfile.lock(o.dir, {
      lockfilePath: o.lockPath,
      realpath: false,
      stale: staleMs,
      update: Math.max(1000, staleMs / 2),
      retries: { retries: 400, factor: 1.1, minTimeout: 10, maxTimeout: 150, randomize: true },
      onCompromised: () => undefined,
    });
  } catch (err) {
    throw new AxiError(
      'LOCKED',
      `${o.what} lock ${o.lockPath} is held by another axi process (${(err as Error).message}); try again, or remove it if no axi is running`,
    );
  }
}
