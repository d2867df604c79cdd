/**
 * Idle sleep's policy as the repository's `idle:` and the window's dialog give it, and how its spans read.
 * No Node imports: the API table (which the renderer compiles) uses it too. The decisions are in
 * core/instances/idle.ts.
 */
import * as v from 'valibot';

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

/** Whether the repository asked to be told each time one of its instances is put to sleep. */
export function idleNotifies(policy: IdlePolicy | undefined): boolean {
  return typeof policy === 'object' && policy.notify === true;
}

export function formatSpan(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.round(ms / 1000))} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 360_000) / 10} h`;
}

/** "Asleep · 42 min", as the list, the card, the tray and MCP say it. */
export function asleepLabel(since: number, now: number): string {
  return `Asleep · ${formatSpan(now - since)}`;
}
