import { realpath } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { WorktreeView } from '../../shared/api/table';
import { checkoutInstance } from '../../core/instances/records/checkout';
import { AxiError } from '../../shared/errors';
import type { InstanceRecord } from '../../core/registry/record';
import type { Backend } from '../../docker/lifecycle/backend';
import type { Scope } from './scope';

/**
 * A scoped server checks every argument that names an instance or a folder, not only `name`: clone_data's
 * and clone_data_plan's `source` (an instance, or `main` as the target's repository resolves it), and
 * discover_worktrees' `dir`. Each must be of this scope's repository, else OUT_OF_SCOPE.
 */
export async function checkArguments(
  scope: Scope,
  backend: Backend,
  method: string,
  input: Record<string, unknown>,
  target: InstanceRecord | undefined,
): Promise<void> {
  if (scope.all) return;
  if ((method === 'cloneData' || method === 'cloneDataPlan') && typeof input.source === 'string' && target) {
    const source = await backend.lifecycle.dataSource(input.source, target);
    if (!(await scope.lists(source))) throw outside(scope, `source ${input.source} (${source.folder})`);
  }
  if (method === 'discoverWorktrees' && typeof input.dir === 'string') {
    const dir = input.dir.startsWith('~/') ? path.join(os.homedir(), input.dir.slice(2)) : input.dir;
    const real = await realpath(path.resolve(dir)).catch(() => path.resolve(dir));
    const rec = await checkoutInstance(backend.service, real).catch(() => undefined);
    if (!rec || !(await scope.lists(rec))) throw outside(scope, `folder ${real}`);
  }
}

/**
 * Settings an agent may not change, even with --all: which engine every later command talks to (and sends the
 * instances' secrets to) and the address their ports are published on. A person changes them in the window.
 */
const HUMAN_SETTINGS = ['dockerEndpoint', 'defaultBind'];

export function checkAgentSettings(method: string, input: Record<string, unknown>): void {
  if (method !== 'updateSettings' || typeof input.settings !== 'object' || input.settings === null) return;
  const keys = HUMAN_SETTINGS.filter((k) => k in (input.settings as object));
  if (keys.length)
    throw new AxiError(
      'OUT_OF_SCOPE',
      `update_settings cannot change ${keys.join(' or ')} from an agent: it decides which engine later commands send the instances' secrets to, or where their ports listen; a person changes it in the window's Settings`,
    );
}

/** What a scoped server returns of a plan or a worktree list: only what belongs to its repository. */
export async function scopedValue(scope: Scope, method: string, value: unknown): Promise<unknown> {
  if (scope.all || method !== 'discoverWorktrees') return value;
  const trees = value as WorktreeView[];
  const kept = await Promise.all(trees.map((t) => scope.holds(t.path)));
  return trees.filter((_t, i) => kept[i]);
}

function outside(scope: Scope, what: string): AxiError {
  return new AxiError(
    'OUT_OF_SCOPE',
    `this server is scoped to ${scope.homeName} (${scope.home?.folder}); ${what} is of another repository; start axi mcp --all to act on every instance`,
  );
}
