import { instanceId } from '../core/instanceRef';
import type { InstanceRecord } from '../core/registry';
import type { Backend } from '../docker/backend';
import type { OutputSink } from '../docker/composeRunner';
import { progress, type Io } from './command';

export const WAKE_OPTION = {
  flags: '--wake',
  description: 'if it is asleep (idle sleep), start it first and wait until healthy',
};

/**
 * An asleep instance started as `axi up --wait` does, where the caller asked (`--wake`, MCP's `wake`).
 * Says what it found: `woken`, `asleep` (not asked to wake it), or `awake` (nothing to do).
 */
export async function wakeAsleep(
  b: Backend,
  rec: InstanceRecord,
  wake: boolean | undefined,
  onOutput?: OutputSink,
): Promise<'awake' | 'asleep' | 'woken'> {
  const id = instanceId(rec);
  if ((await b.lifecycle.status(id)).status !== 'asleep') return 'awake';
  if (!wake) return 'asleep';
  await b.lifecycle.up(id, { wait: true, ...(onOutput ? { onOutput } : {}) });
  return 'woken';
}

/** What a caller that did not ask to wake it is told. */
export const asleepNote = (name: string, how: string) =>
  `${name} is asleep (idle sleep); ${how}, axi up or its first request through the router starts it`;

/**
 * `axi env --wake`, `axi urls --wake`. Without `--wake` its variables are printed as they are, with a
 * note that it sleeps.
 */
export async function wakeIfAsleep(b: Backend, rec: InstanceRecord, io: Io, wake: boolean | undefined): Promise<void> {
  if ((await wakeAsleep(b, rec, wake, progress(io))) === 'asleep')
    io.err(`axi: note: ${asleepNote(rec.name, '--wake')}`);
}
