/**
 * Idle sleep, decided: who is in use, who has been idle past its time. Pure functions of what the one
 * timer gathers (router hits, established connections to published ports, our own operations, pins),
 * so the rules run in plain Node tests. Nothing sleeps without an `idle:` setting in the repository config.
 */
import type { ConnectionActivity } from '../ports/hostConnections';
import { isHttpKey } from '../routes/routes';
import { formatSpan } from '../../shared/schemas/idlePolicy';

/**
 * The connections to one instance's published ports that count as use. To a database or cache port, every
 * open one: a dev server's pool or a psql prompt breaks if the instance stops, and cannot wake it. To an
 * HTTP port, only one that moved bytes within the idle time: a browser's idle keep-alive is not use, and
 * a browser reconnects on its own. Without `activity` (no `ss`, not Linux), every connection counts.
 */
export function usedConnections(
  ports: Readonly<Record<string, number>>,
  established: ReadonlyMap<number, number> | undefined,
  activity: readonly ConnectionActivity[] | undefined,
  idleMs: number | null,
  fromPorts: ReadonlySet<number> = new Set(),
): number {
  let n = 0;
  for (const [key, port] of Object.entries(ports)) {
    const open = established?.get(port) ?? 0;
    if (!open || !activity || idleMs === null || !isHttpKey(key)) n += open;
    else n += activity.filter((c) => c.local === port && !fromPorts.has(c.peer) && c.quietMs < idleMs).length;
  }
  return n;
}

/** What the timer saw of one instance at one tick. */
export interface IdleInput {
  id: string;
  /** Running or partly running: only those can sleep. */
  running: boolean;
  /** From the policy; null: never sleeps. */
  idleMs: number | null;
  pinned: boolean;
  /** Requests the router passed to it so far (a counter: only its growth matters). */
  hits: number;
  /** Established TCP connections to its published host ports now. */
  connections: number;
  /** Our own operations on it now: a start, `logs -f`, a tunnel, a clone. */
  busy: string[];
}

/** Per instance: when it was last seen in use, and the router's counter then. */
export interface IdleMemory {
  lastUse: number;
  hits: number;
}

export interface IdleVerdict {
  /** The instances to put to sleep now, with why (for the card: "idle 30 min: no requests or connections"). */
  sleep: { id: string; why: string }[];
  memory: Map<string, IdleMemory>;
}

/** Why an instance counts as in use now, or undefined where nothing uses it. */
export function inUse(i: IdleInput, before: IdleMemory | undefined): string | undefined {
  if (i.pinned) return 'pinned';
  if (i.busy.length) return `${i.busy.join(', ')} running`;
  if (i.connections > 0) return `${i.connections} connection${i.connections === 1 ? '' : 's'} open`;
  if (before && i.hits > before.hits) return 'requests through the router';
  return undefined;
}

/**
 * One tick: an instance in use, stopped, or first seen counts as used now; one running with an idle
 * time, unused for that long, is to sleep. The memory carries over to the next tick.
 */
export function decideIdle(
  now: number,
  inputs: readonly IdleInput[],
  memory: ReadonlyMap<string, IdleMemory>,
): IdleVerdict {
  const next = new Map<string, IdleMemory>();
  const sleep: IdleVerdict['sleep'] = [];
  for (const i of inputs) {
    const before = memory.get(i.id);
    const used = !before || !i.running || i.idleMs === null || inUse(i, before) !== undefined;
    const lastUse = used ? now : before.lastUse;
    next.set(i.id, { lastUse, hits: i.hits });
    if (!used && i.idleMs !== null && now - lastUse >= i.idleMs)
      sleep.push({ id: i.id, why: `idle ${formatSpan(now - lastUse)}: no requests, connections or operations` });
  }
  return { sleep, memory: next };
}
