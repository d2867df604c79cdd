import { AxiError } from '../core/errors';
import { instanceId } from '../core/instanceRef';
import type { InstanceRecord } from '../core/registry';
import type { Backend } from '../docker/backend';
import { envWithName, urlsWithNames } from '../router/links';
import { assertConfirmed } from '../api/guards';
import type { Scope } from './scope';
import type { JsonObjectSchema, ToolSpec } from './tableTools';

/** The "this checkout" operations (`axi env`, `urls`, `status`, `logs`, `down`): the same JSON the CLI prints with --json. */
export interface CheckoutTool extends ToolSpec {
  run(backend: Backend, scope: Scope, input: Record<string, unknown>): Promise<unknown>;
}

const NAME = { type: 'string', description: "instance name (default in a checkout-scoped server: this checkout's)" };

function schema(extra: Record<string, object> = {}, nameRequired = false): JsonObjectSchema {
  return {
    type: 'object',
    properties: { name: NAME, ...extra },
    required: nameRequired ? ['name'] : [],
    additionalProperties: false,
  };
}

const readOnly = { readOnlyHint: true, destructiveHint: false, openWorldHint: false };

/** Refuses arguments a tool does not take, as the table's strict schemas do. */
function only(input: Record<string, unknown>, keys: string[]): void {
  const unknown = Object.keys(input).filter((k) => !keys.includes(k));
  if (unknown.length) throw new AxiError('BAD_INPUT', `unknown argument ${unknown.map((k) => `"${k}"`).join(', ')}`);
}

async function target(backend: Backend, scope: Scope, input: Record<string, unknown>, keys: string[] = []) {
  only(input, ['name', ...keys]);
  return scope.resolve(backend.service, input.name);
}

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

export function checkoutTools(): CheckoutTool[] {
  return [
    {
      name: 'env',
      description:
        "The instance's variables, as in its .env.local (ports, DATABASE_URL, REDIS_URL, …), plus APP_URL: its name on the local router.",
      inputSchema: schema(),
      annotations: readOnly,
      run: async (b, s, i) => envWithName(b, (await target(b, s, i)).rec),
    },
    {
      name: 'urls',
      description:
        "The instance's names on the local router (names: http://NAME.REPO.localhost), then its port URLs and connection strings (urls).",
      inputSchema: schema(),
      annotations: readOnly,
      run: async (b, s, i) => urlsWithNames(b, (await target(b, s, i)).rec),
    },
    {
      name: 'status',
      description: "The instance's status per service, with CPU %, memory and disk.",
      inputSchema: schema(),
      annotations: readOnly,
      run: async (b, s, i) => {
        const { statusReport } = require('../cli/commands/status') as typeof import('../cli/commands/status');
        return (await statusReport(b, instanceId((await target(b, s, i)).rec), () => undefined)).json;
      },
    },
    {
      name: 'logs',
      description: "The instance's recent log lines (all services, or one).",
      inputSchema: schema({
        service: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' },
        tail: { type: 'integer', minimum: 1, maximum: 5000, default: 100 },
      }),
      annotations: readOnly,
      run: async (b, s, i) => {
        const { rec } = await target(b, s, i, ['service', 'tail']);
        const tail = i.tail === undefined ? 100 : Number(i.tail);
        if (!Number.isInteger(tail) || tail < 1 || tail > 5000)
          throw new AxiError('BAD_INPUT', 'tail must be a whole number from 1 to 5000');
        if (i.service !== undefined && !(typeof i.service === 'string' && /^[A-Za-z0-9_.-]+$/.test(i.service)))
          throw new AxiError('BAD_INPUT', 'service must be a service name');
        const lines = await recentLogs(b, rec, tail, i.service);
        return { name: rec.name, id: instanceId(rec), lines };
      },
    },
    {
      name: 'down',
      description:
        "Remove the instance's containers and network. volumes: true also deletes its volumes (its data, no snapshot) and needs confirm equal to the instance's name.",
      inputSchema: schema({
        volumes: { type: 'boolean', default: false },
        confirm: { type: 'string', maxLength: 128 },
      }),
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
      run: async (b, s, i) => {
        const { rec, name } = await target(b, s, i, ['volumes', 'confirm']);
        if (i.volumes !== undefined && typeof i.volumes !== 'boolean')
          throw new AxiError('BAD_INPUT', 'volumes must be true or false');
        if (i.volumes) assertConfirmed(name, typeof i.confirm === 'string' ? i.confirm : '', 'down with volumes');
        const { statusJson } = require('../cli/format') as typeof import('../cli/format');
        return statusJson(await b.lifecycle.down(instanceId(rec), { volumes: Boolean(i.volumes) }));
      },
    },
  ];
}
