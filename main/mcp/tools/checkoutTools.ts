import * as v from 'valibot';
import { assertConfirmed } from '../../api/controller/guards';
import { instanceId } from '../../core/registry/instanceRef';
import { envVariables, instanceEnv } from '../../core/instances/records/checkout';
import type { InstanceRecord } from '../../core/registry/record';
import type { Backend } from '../../docker/lifecycle/backend';
import { urlsWithNames } from '../../router/links';
import { DEFAULT_PROPS } from './methodInfo';
import { setupThisCheckout } from './setupTool';
import type { ToolContext } from './toolContext';
import {
  checkedTool,
  HINTS,
  SHARED,
  type AnySchema,
  type CheckedTool,
  type PropDoc,
  type ToolAnnotations,
} from './toolArgs';

/** The "this checkout" operations (`axi env`, `urls`, `status`, `logs`, `down`) and setup_this_checkout. */
export interface CheckoutTool extends CheckedTool {
  run(ctx: ToolContext, input: Record<string, unknown>): Promise<unknown>;
}

const name = v.optional(v.string());
const s = (x: unknown) => x as AnySchema;

function tool(
  toolName: string,
  description: string,
  entries: Record<string, unknown>,
  run: CheckoutTool['run'],
  props: Record<string, PropDoc> = {},
  annotations: ToolAnnotations = HINTS.read,
): CheckoutTool {
  const spec = checkedTool({
    name: toolName,
    description,
    entries: entries as Record<string, AnySchema>,
    props: { ...DEFAULT_PROPS, ...props },
    annotations,
  });
  return { ...spec, run };
}

const target = async (ctx: ToolContext, input: Record<string, unknown>) =>
  ctx.scope.resolve(ctx.backend.service, input.name);

/** Recent log lines, `service | line`, as `axi logs --tail N` prints them. */
export async function recentLogs(backend: Backend, rec: InstanceRecord, tail: number, service?: string) {
  const lines: string[] = [];
  await backend.lifecycle.logs(instanceId(rec), {
    service,
    tail,
    follow: false,
    onLine: (line, svc) => lines.push(service ? line : `${svc.padEnd(9)}| ${line}`),
  });
  return lines;
}

const wake = v.optional(v.boolean());
const WAKE_PROP = 'true: if asleep, start it first';

/**
 * A tool whose answer is only useful with the instance up (its variables, its URLs): woken first where the
 * agent asked (`wake: true`, as `axi env --wake`), else the answer says it is asleep.
 */
async function awakeFirst<T extends object>(
  c: ToolContext,
  i: Record<string, unknown>,
  answer: (rec: InstanceRecord) => Promise<T>,
): Promise<T & { asleep?: string; woken?: true }> {
  const { rec } = await target(c, i);
  const { wakeAsleep, asleepNote } =
    require('../../docker/lifecycle/wakeAsleep') as typeof import('../../docker/lifecycle/wakeAsleep');
  const state = await wakeAsleep(c.backend, rec, i.wake === true);
  const out = await answer(rec);
  if (state === 'asleep') return { ...out, asleep: asleepNote(rec.name, 'wake: true') };
  return state === 'woken' ? { ...out, woken: true } : out;
}

export function checkoutTools(): CheckoutTool[] {
  return [
    tool(
      'env',
      'Its variables as in its .env.local (ports, DATABASE_URL, REDIS_URL, …), URLs as urls gives them (APP_URL, …).',
      { name, wake },
      async (c, i) =>
        awakeFirst(c, i, async (rec) => {
          // The URLs the urls tool gives (router names first), over the file's variables, as `axi env`.
          const [env, u] = await Promise.all([instanceEnv(rec), urlsWithNames(c.backend, rec)]);
          return { ...env, variables: envVariables(env.variables, u) };
        }),
      { wake: WAKE_PROP },
    ),
    tool(
      'urls',
      'Its router names (http://NAME.REPO.localhost), then its port URLs and connection strings.',
      { name, wake },
      async (c, i) =>
        awakeFirst(c, i, async (rec) => {
          // Ports moved while it runs are marked pending, as `axi urls` and the window do.
          const { movedWhileRunning } =
            require('../../api/overview/movedPorts') as typeof import('../../api/overview/movedPorts');
          return urlsWithNames(c.backend, rec, await movedWhileRunning(c.backend, rec));
        }),
      { wake: WAKE_PROP },
    ),
    tool('status', 'Its status per service, with CPU %, memory and disk.', { name }, async (c, i) => {
      const { statusReport } =
        require('../../api/report/statusReport') as typeof import('../../api/report/statusReport');
      return (await statusReport(c.backend, instanceId((await target(c, i)).rec), () => undefined)).json;
    }),
    tool(
      'logs',
      'Its recent log lines (all services, or one).',
      {
        name,
        service: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]+$/, 'not a service name'))),
        tail: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5000))),
      },
      async (c, i) => {
        const { rec } = await target(c, i);
        const lines = await recentLogs(c.backend, rec, (i.tail as number | undefined) ?? 100, i.service as string);
        return { name: rec.name, lines };
      },
      {
        service: { type: 'string', description: 'one service (default: all)' },
        tail: 'lines per service (default 100)',
      },
    ),
    tool(
      'down',
      'Remove its containers and network. volumes: true deletes its data too (no snapshot) and needs confirm.',
      { name, volumes: v.optional(v.boolean()), confirm: v.optional(v.pipe(v.string(), v.maxLength(128))) },
      async (c, i) => {
        const { rec, name: who } = await target(c, i);
        if (i.volumes) assertConfirmed(who, typeof i.confirm === 'string' ? i.confirm : '', 'down with volumes');
        const { statusJson } = require('../../api/report/format') as typeof import('../../api/report/format');
        return statusJson(await c.backend.lifecycle.down(instanceId(rec), { volumes: Boolean(i.volumes) }));
      },
      { volumes: 'true: delete its volumes (its data) too' },
      HINTS.destructive,
    ),
  ];
}

/** Only in a checkout-scoped server: the one call from a fresh worktree to a running instance. */
export function setupTool(): CheckoutTool {
  return tool(
    'setup_this_checkout',
    'Register this checkout (if not), copy data into a new registration, start it, wait until healthy. Returns its URLs and env.',
    {
      dataFrom: s(v.optional(v.union([v.literal('main'), v.pipe(v.string(), v.minLength(1), v.maxLength(128))]))),
      start: s(v.optional(v.boolean())),
    },
    (c, i) => setupThisCheckout(c, i),
    {
      dataFrom: { type: 'string', description: `${SHARED.source.description} to copy data from (default: none)` },
      start: 'default true',
    },
    HINTS.write,
  );
}
