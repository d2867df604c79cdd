import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { atomicWrite } from '../../core/registry/atomicWrite';
import { lockShared } from '../../core/registry/fileLock';
import { instanceId } from '../../core/registry/instanceRef';
import type { InstanceRecord } from '../../core/registry/record';
import type { InstanceLifecycle } from '../lifecycle/lifecycle';
import { stackTasks } from '../../shared/display/stackText';

/** The label `docker stack deploy` puts on a stack's services, networks and tasks: the stack's name. */
export const STACK_LABEL = 'com.docker.stack.namespace';

export interface StackServiceStatus {
  readonly name: string;
  readonly running: number;
  readonly desired: number;
}

/** A deployed stack from its service tasks, as `docker stack services` counts them. */
export interface StackStatus {
  readonly stack: string;
  readonly running: number;
  readonly desired: number;
  readonly services: StackServiceStatus[];
}

export { stackTasks };

/** `stack: 2/2 tasks running` */
export const stackSummary = (s: StackStatus): string => `stack: ${stackTasks(s)}`;

/**
 * Every stack on a swarm manager, by name, in one request (the services with their task counts, API 1.41).
 * Undefined when the engine is not a manager (503) or does not answer: there is no stack to show.
 */
export async function stackStatuses(docker: Dockerode): Promise<Map<string, StackStatus> | undefined> {
  let services: Dockerode.Service[];
  try {
    services = await docker.listServices({ status: true, filters: { label: [STACK_LABEL] } });
  } catch {
    return undefined;
  }
  const out = new Map<string, { stack: string; running: number; desired: number; services: StackServiceStatus[] }>();
  for (const s of services) {
    const stack = s.Spec?.Labels?.[STACK_LABEL];
    if (!stack) continue;
    const entry = out.get(stack) ?? { stack, running: 0, desired: 0, services: [] };
    const running = s.ServiceStatus?.RunningTasks ?? 0;
    const desired = s.ServiceStatus?.DesiredTasks ?? 0;
    entry.services.push({ name: s.Spec?.Name ?? s.ID, running, desired });
    entry.running += running;
    entry.desired += desired;
    out.set(stack, entry);
  }
  return out;
}

/**
 * Instances `axi stack --deploy` deployed ($AXI_HOME/stacks.json: instance id → stack name). `list` asks an engine
 * for stacks only when one of its instances is here: a local engine without stacks costs `list` nothing.
 */
const file = (home: string) => path.join(home, 'stacks.json');

export function readDeployedStacks(home: string): Record<string, string> {
  try {
    const raw = JSON.parse(readFileSync(file(home), 'utf8')) as unknown;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
    return Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {}; // absent or unreadable: no stack known
  }
}

export async function recordDeployedStack(home: string, id: string, stack: string): Promise<void> {
  mkdirSync(home, { recursive: true });
  const release = await lockShared({ dir: home, lockPath: `${file(home)}.lock`, what: 'deployed stacks' });
  try {
    const stacks = readDeployedStacks(home);
    stacks[id] = stack;
    await atomicWrite(file(home), JSON.stringify(stacks, null, 2) + '\n');
  } finally {
    await release();
  }
}

/** The stack status of each instance that has one deployed, by instance id; one request per engine that has any. */
export async function instanceStackStatuses(
  lifecycle: InstanceLifecycle,
  home: string,
  records: readonly InstanceRecord[],
): Promise<Map<string, StackStatus>> {
  const deployed = readDeployedStacks(home);
  const out = new Map<string, StackStatus>();
  const engines = new Map<string, InstanceRecord[]>();
  for (const r of records) {
    if (!deployed[instanceId(r)]) continue;
    const key = r.engine ?? '';
    engines.set(key, [...(engines.get(key) ?? []), r]);
  }
  await Promise.all(
    [...engines].map(async ([engine, group]) => {
      const stacks = await lifecycle
        .docker(engine || null)
        .then((c) => stackStatuses(c.docker))
        .catch(() => undefined);
      for (const r of group) {
        const s = stacks?.get(deployed[instanceId(r)]!);
        if (s) out.set(instanceId(r), s);
      }
    }),
  );
  return out;
}
