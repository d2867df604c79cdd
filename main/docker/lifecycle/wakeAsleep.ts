/** Waking an asleep instance for a caller that needs it up: the CLI's `--wake`, MCP's `wake: true`. */
import { instanceId } from '../../core/registry/instanceRef';
import type { InstanceRecord } from '../../core/registry/record';
import type { OutputSink } from '../compose/composeRunner';
import type { Backend } from './backend';

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
