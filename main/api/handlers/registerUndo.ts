import { rm } from 'node:fs/promises';
import path from 'node:path';
import { AxiError } from '../../shared/errors';
import type { SetupResult } from '../../core/instances/serviceTypes';
import type { InstanceLifecycle } from '../../docker/lifecycle/lifecycle';

/**
 * A registration made for a copy that then failed, undone: what was asked ("this checkout with main's data") did
 * not happen, so nothing of it stays. A half result, registered but empty, would look done to an agent or a glance
 * at the window, and a retry would then keep the empty data ("already registered"). Its containers (if the copy
 * made them) go, the registration and the instance files this call created go; volumes always stay (a copy's
 * target held no data of its own, or a snapshot of it was kept). The window, MCP and `axi setup --data-from` all
 * undo it here; `refresh` lets a long-lived front end re-read the registry it holds.
 */
export async function undoRegistration(
  lifecycle: Pick<InstanceLifecycle, 'remove'>,
  r: SetupResult,
  err: unknown,
  refresh?: () => Promise<void>,
): Promise<never> {
  const why = err instanceof Error ? err.message : String(err);
  try {
    await lifecycle.remove(r.id, { down: true });
    const created = Object.entries(r.written).filter(([, outcome]) => outcome === 'created');
    await Promise.all(created.map(([file]) => rm(path.resolve(r.folder, file), { force: true })));
    await refresh?.();
  } catch (again) {
    throw new AxiError(
      'DOCKER',
      `${why}; ${r.name} stays registered without the data (undoing the registration failed: ${(again as Error).message}); copy into it with Copy data from… (axi clone-data main ${r.name}) once the cause is fixed`,
    );
  }
  const code = err instanceof AxiError ? err.code : 'DOCKER';
  throw new AxiError(
    code,
    `${why}; nothing was registered: fix that and register ${r.folder} again, or register it without data`,
  );
}
