import type { InstanceRecord } from '../core/registry/record';
import type { Backend } from '../docker/lifecycle/backend';
import { asleepNote, wakeAsleep } from '../docker/lifecycle/wakeAsleep';
import { progress, type Io } from './command';

export const WAKE_OPTION = {
  flags: '--wake',
  description: 'if it is asleep (idle sleep), start it first and wait until healthy',
};

/**
 * `axi env --wake`, `axi urls --wake`. Without `--wake` its variables are printed as they are, with a
 * note that it sleeps.
 */
export async function wakeIfAsleep(b: Backend, rec: InstanceRecord, io: Io, wake: boolean | undefined): Promise<void> {
  if ((await wakeAsleep(b, rec, wake, progress(io))) === 'asleep')
    io.err(`axi: note: ${asleepNote(rec.name, '--wake')}`);
}
