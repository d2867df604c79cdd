/**
 * Idle sleep, decided: who is in use, who has been idle past its time. Pure functions of what the one
 * timer gathers (router hits, established connections to published ports, our own operations, pins),
 * so the rules run in plain Node tests. Nothing sleeps without an `idle:` setting in the repository config.
 */
import * as v from 'valibot';
import type { ConnectionActivity } from './hostConnections';
import { isHttpKey } from './routes';

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30m`, `2h`, `45s`, `500ms` → ms; `off` (or false) → null. Undefined where the text is neither. */
export function parseIdleTime(value: string | boolean): number | null | undefined {
  if (value === false || value === 'off') return null;
  if (typeof value !== 'string') return undefined;
  const m = DURATION.exec(value.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms > 0 ? ms : undefined;
}

const idleTime = v.pipe(
  v.union([v.string(), v.literal(false)]),
  v.check((x) => parseIdleTime(x) !== undefined, 'a time such as 30m, 2h, 45s, or off'),
);

/**
 * `idle: 30m` (worktrees sleep after 30 minutes, the main checkout never), `idle: off`, or
 * `idle: { main: 2h, worktrees: 30m, notify: true }`: the main checkout and the worktrees set apart, and a
 * notification each time one is put to sleep (none unless asked).
 */
export const IdlePolicySchema = v.union([
  idleTime,
  v.strictObject({ main: v.optional(idleTime), worktrees: v.optional(idleTime), notify: v.optional(v.boolean()) }),
]);
export type IdlePolicy = v.InferOutput<typeof IdlePolicySchema>;

const idleText = v.pipe(
  v.string(),
  v.trim(),
  v.check(
    (x) => parseIdleTime(x) !== undefined,
    (i) => `idle time ${JSON.stringify(i.input)}: use 30m, 2h, 45s or off`,
  ),
);

/** The window's form of the policy: both times spelt out (`off`: never sleeps), and whether to notify. */
export const IdleSettingSchema = v.strictObject({ main: idleText, worktrees: idleText, notify: v.boolean() });
export type IdleSetting = v.InferOutput<typeof IdleSettingSchema>;

const spelt = (t: string | false | undefined) => (t === undefined || t === false ? 'off' : t);

/** The repository's `idle:` as the window's form shows it. */
export function idleSettingOf(policy: IdlePolicy | undefined): IdleSetting {
  if (typeof policy !== 'object') return { main: 'off', worktrees: spelt(policy), notify: false };
  return { main: spelt(policy.main), worktrees: spelt(policy.worktrees), notify: policy.notify === true };
}

/** The form written back, as short as it reads: `idle: 30m` (worktrees only), `idle: off`, else the object. */
export function idlePolicyOf(s: IdleSetting): IdlePolicy {
  if (!s.notify && s.main === 'off') return s.worktrees;
  return {
    ...(s.main !== 'off' ? { main: s.main } : {}),
    ...(s.worktrees !== 'off' ? { worktrees: s.worktrees } : {}),
    ...(s.notify ? { notify: true } : {}),
  };
}

/** The idle time of one instance under its repository's policy: null (never sleeps) without one. */
export function idleTimeFor(policy: IdlePolicy | undefined, main: boolean): number | null {
  if (policy === undefined) return null;
  if (typeof policy !== 'object') return main ? null : (parseIdleTime(policy) ?? null);
  const own = main ? policy.main : policy.worktrees;
  return own === undefined ? null : (parseIdleTime(own) ?? null);
}

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

/** Whether the repository asked to be told each time one of its instances is put to sleep. */
export function idleNotifies(policy: IdlePolicy | undefined): boolean {
  return typeof policy === 'object' && policy.notify === true;
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

export function formatSpan(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.round(ms / 1000))} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 360_000) / 10} h`;
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

/** "Asleep · 42 min", as the list, the card, the tray and MCP say it. */
export function asleepLabel(since: number, now: number): string {
  return `Asleep · ${formatSpan(now - since)}`;
}
