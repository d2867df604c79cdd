import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { checkoutInstance, repositoryKey } from '../../core/instances/records/checkout';
import { AxiError } from '../../shared/errors';
import { gitCheckoutOf } from '../../core/project/identity';
import { labelOf } from '../../core/registry/instanceRef';
import type { InstanceRecord } from '../../core/registry/record';
import { verifiedRepository } from '../../core/project/repoIdentity';
import type { InstanceService } from '../../core/instances/service';
import { allScope, checkoutScope, type Scope } from './scope';

/**
 * Where a checkout-scoped `axi mcp` stands, read again on every call (a removal or a registration
 * made meanwhile is seen at once, never answered from the state at start-up):
 * - registered: the checkout's instance, with the scope of scope.ts;
 * - pending: a checkout of a repository whose main checkout is registered, not registered itself
 *   (setup_this_checkout registers it); `removed` names the instance it had;
 * - outside: no checkout of a registered repository: every tool answers `reason` and `command`.
 */
export type CheckoutState =
  | { kind: 'registered'; rec: InstanceRecord; name: string; scope: Scope }
  | { kind: 'pending'; top: string; main: InstanceRecord; removed?: string }
  | { kind: 'outside'; reason: string; command: string };

/** A Scope whose checkout is looked up per call; `ready` refuses every call outside a registered repository. */
export interface LiveScope extends Scope {
  ready(): Promise<void>;
  /** Absent under --all. */
  state?(): Promise<CheckoutState>;
  /** The folder the server started in (its checkout's top, in git). */
  readonly folder?: string;
}

export async function openScope(service: InstanceService, all: boolean, cwd = process.cwd()): Promise<LiveScope> {
  if (all) return { ...allScope(), ready: () => Promise.resolve() };
  const start = await realpath(cwd).catch(() => path.resolve(cwd));
  const git = await gitCheckoutOf(start);
  // Its repository as git's files on both sides agree (a checkout can rewrite its own .git to claim another's).
  const verified = git ? await verifiedRepository(git.top) : undefined;
  const believed = git && verified === `git:${await realpath(git.common).catch(() => git.common)}` ? git : undefined;
  let known: InstanceRecord | undefined;
  const state = async (): Promise<CheckoutState> => {
    const s = await checkoutState(service, start, believed, known?.name);
    if (s.kind === 'registered') known = s.rec;
    return s;
  };
  // A registry that cannot be read: the server starts all the same, and each call says why.
  const first = await state().catch((err: Error): CheckoutState => ({
    kind: 'outside',
    reason: err.message,
    command: 'then start axi mcp again',
  }));
  const home = first.kind === 'registered' ? first : undefined;
  const folder = git?.top ?? start;
  const refuse = (s: CheckoutState): never => {
    throw refusal(s);
  };
  return {
    all: false,
    home: home?.rec,
    homeName: home?.name ?? path.basename(folder),
    folder,
    state,
    ready: async () => {
      const s = await state();
      if (s.kind === 'outside') refuse(s);
    },
    resolve: async (svc, name) => {
      const s = await state();
      return s.kind === 'registered' ? s.scope.resolve(svc, name) : refuse(s);
    },
    lists: async (rec) => {
      const s = await state();
      if (s.kind === 'registered') return s.scope.lists(rec);
      return s.kind === 'pending' && git !== undefined && (await repositoryKey(rec)) === `git:${git.common}`;
    },
    holds: async (dir) => {
      const s = await state();
      if (s.kind === 'registered') return s.scope.holds(dir);
      return s.kind === 'pending' && git !== undefined && (await verifiedRepository(dir)) === `git:${git.common}`;
    },
    instructions: () => instructionsFor(first, folder),
  };
}

async function checkoutState(
  service: InstanceService,
  start: string,
  git: { top: string; common: string } | undefined,
  removed: string | undefined,
): Promise<CheckoutState> {
  const records = await service.records();
  const rec = await checkoutInstance({ records: () => Promise.resolve(records) }, start).catch(() => undefined);
  if (rec) {
    const name = labelOf(rec, records);
    return { kind: 'registered', rec, name, scope: checkoutScope(rec, name, await repositoryKey(rec)) };
  }
  const command = 'register its main checkout with: axi setup MAIN_FOLDER (or start axi mcp --all)';
  if (!git) return { kind: 'outside', reason: `${start} is not inside a git checkout`, command };
  // Its main checkout: the main worktree's folder (as clone_data's "main" finds it), else one marked main.
  const mainFolder = path.basename(git.common) === '.git' ? path.dirname(git.common) : undefined;
  const keys = await Promise.all(records.map((r) => repositoryKey(r)));
  const main =
    records.find((r) => r.folder === mainFolder) ?? records.find((r, i) => r.main && keys[i] === `git:${git.common}`);
  if (!main)
    return { kind: 'outside', reason: `the repository of ${git.top} has no registered main checkout`, command };
  return { kind: 'pending', top: git.top, main, ...(removed ? { removed } : {}) };
}

/** Why a tool cannot act: this checkout is not registered (yet, or any more), or no repository is. */
export function refusal(s: CheckoutState): AxiError {
  if (s.kind === 'outside')
    return new AxiError('NOT_FOUND', `${s.reason}; ${s.command}`, { reason: `${s.reason}; ${s.command}` });
  if (s.kind === 'pending') {
    const was = s.removed ? ` (its instance ${s.removed} was removed)` : '';
    const reason = `this checkout (${s.top}) is not registered${was}`;
    return new AxiError('NOT_FOUND', `${reason}; register it with: axi setup ${s.top}`, {
      reason,
      fix: { action: 'setup', target: s.top },
    });
  }
  return new AxiError('INTERNAL', 'this checkout is registered');
}

function instructionsFor(s: CheckoutState, folder: string): string {
  if (s.kind === 'registered') return s.scope.instructions();
  const intro = 'axi (AegisX Instances) runs many copies of a project side by side, one per git worktree. ';
  if (s.kind === 'outside') return `${intro}This server cannot act: ${s.reason}; ${s.command}.`;
  return (
    `${intro}Scope: this checkout, ${folder}, not registered yet. Call setup_this_checkout ` +
    `(dataFrom: "main" copies the main checkout's data) to register it, start it and get its URLs and env in one call.`
  );
}
