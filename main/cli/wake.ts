import { instanceId } from '../core/instanceRef';
import type { InstanceRecord } from '../core/registry';
import type { Backend } from '../docker/backend';
import { progress, type Io } from './command';

export const WAKE_OPTION = {
  flags: '--wake',
  description: 'if it is asleep (idle sleep), start it first and wait until healthy',
};

/**
 * `axi env --wake`, `axi urls --wake`: an asleep instance started as `axi up --wait` does. Without
 * `--wake` its variables are printed as they are, with a note that it sleeps.
 */
export async function wakeIfAsleep(b: Backend, rec: InstanceRecord, io: Io, wake: boolean | undefined): Promise<void> {
  const id = instanceId(rec);
  if ((await b.lifecycle.status(id)).status !== 'asleep') return;
  if (!wake)
    return io.err(`axi: note: ${rec.name} is asleep (idle sleep); --wake, axi up or its first request starts it`);
  await b.lifecycle.up(id, { wait: true, onOutput: progress(io) });
}
