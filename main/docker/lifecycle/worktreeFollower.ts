import { execFile } from 'node:child_process';
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { AxiError } from '../../shared/errors';
import { copiedFigures } from '../../shared/display/units';
import { retiredText } from '../../shared/display/retiredText';
import { CONFIG_FILE, loadRepoConfig, type WorktreePolicy } from '../../core/project/repoConfig';
import { effectivePolicy, needsAcceptance, TrustStore } from '../../core/project/trust';
import { worktreeActions, type WorktreeAction } from '../../core/worktrees/worktreePolicy';
import { discoverWorktrees } from '../../core/worktrees/worktrees';
import type { Backend } from './backend';
import { retireInstance } from './retire';

/** One thing following did, as `axi watch` prints it and the app notifies it. */
export interface WorktreeEvent {
  action: WorktreeAction['kind'] | 'copied' | 'started' | 'failed';
  path: string;
  name?: string;
  message: string;
}

export type WorktreeEventSink = (e: WorktreeEvent) => void;

async function register(
  backend: Backend,
  a: Extract<WorktreeAction, { kind: 'register' }>,
  emit: WorktreeEventSink,
): Promise<void> {
  const r = await backend.service.setup(a.path);
  emit({
    action: 'register',
    path: a.path,
    name: r.name,
    message: `registered ${r.name} (${a.path}): ports ${Object.values(r.ports).join(' ')}`,
  });
  if (a.dataFromMain) {
    // Volumes a previous registration left are kept in a snapshot first (the copy takes one when any existed).
    const c = await backend.lifecycle.cloneData('main', r.id);
    emit({
      action: 'copied',
      path: a.path,
      name: r.name,
      message: `copied main's data into ${r.name}, verified: ${c.copied.map((p) => `${p.key} (${copiedFigures(p)})`).join(', ')}${c.snapshot ? `; its previous volumes kept in snapshot ${c.snapshot.id}` : ''}`,
    });
  }
  if (a.start) {
    const s = await backend.lifecycle.up(r.id, { wait: true });
    emit({ action: 'started', path: a.path, name: r.name, message: `started ${r.name}: ${s.status}` });
  }
}

async function retire(
  backend: Backend,
  a: Extract<WorktreeAction, { kind: 'retire' }>,
  emit: WorktreeEventSink,
): Promise<void> {
  const rec = (await backend.service.records()).find((r) => r.folder === a.path);
  if (!rec) return;
  const { docker } = await backend.lifecycle.docker();
  const r = await retireInstance(docker, backend.service, rec, { snapshot: a.snapshot });
  emit({
    action: 'retire',
    path: a.path,
    name: rec.name,
    message: retiredText({
      name: rec.name,
      containers: r.containers.length,
      volumes: r.volumes.length,
      ...(r.snapshot ? { snapshot: r.snapshot.id } : {}),
      skipped: r.skipped,
    }),
  });
}

/**
 * The repository's committed `worktrees:` policy as it may act: `register: auto`, `start: true` and
 * `dataFrom: main` only once the user accepted this config (`axi trust`); until then it offers, and says once how to accept.
 */
async function committedPolicy(backend: Backend, repo: string, emit: WorktreeEventSink, seen: Set<string>) {
  const policy = (await loadRepoConfig(repo)).config.worktrees;
  const accepted = await new TrustStore(backend.service.paths.home).policyAccepted(repo, policy);
  if (!accepted && needsAcceptance(policy) && !seen.has(`trust:${repo}`)) {
    seen.add(`trust:${repo}`);
    emit({
      action: 'offer',
      path: repo,
      message: `${repo}'s ${CONFIG_FILE} asks to register, start or copy data into new worktrees on its own; it only offers them until you accept it once with: axi trust ${repo}`,
    });
  }
  return effectivePolicy(policy, accepted);
}

/**
 * One look at a repository's worktrees, acting on its policy (`worktrees:` in the main checkout's
 * `.aegisx-instances.yml`). A failing action is reported and the others still run.
 */
export async function followWorktrees(
  backend: Backend,
  dir: string,
  emit: WorktreeEventSink,
  seen = new Set<string>(),
  policy?: WorktreePolicy,
): Promise<void> {
  const trees = await discoverWorktrees(backend.service, dir);
  const main = trees.find((t) => t.main);
  const rules = policy ?? (await committedPolicy(backend, main?.path ?? dir, emit, seen));
  for (const a of worktreeActions(trees, rules, seen)) {
    try {
      if (a.kind === 'register') await register(backend, a, emit);
      else if (a.kind === 'retire') await retire(backend, a, emit);
      else if (a.kind === 'offer')
        emit({
          action: 'offer',
          path: a.path,
          message: `new worktree ${a.path}: register it with axi setup ${a.path}`,
        });
      else emit({ action: 'gone', path: a.path, name: a.name, message: `${a.name} (${a.path}): ${a.why}` });
      seen.add(a.path);
    } catch (err) {
      emit({ action: 'failed', path: a.path, message: `${a.kind} ${a.path} failed: ${(err as Error).message}` });
      seen.add(a.path); // reported once; the next change of the worktree list tries again
    }
  }
}

/** The repository's common git folder (shared by all its worktrees), where git keeps `worktrees/`. */
export function gitCommonDir(dir: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('git', ['-C', dir, 'rev-parse', '--path-format=absolute', '--git-common-dir'], (err, stdout) =>
      err ? reject(new AxiError('BAD_INPUT', `not a git repository: ${dir}`)) : resolve(stdout.trim()),
    ),
  );
}

/**
 * Follows repositories: one watcher per repository on its common git folder and its `worktrees/`,
 * which git writes when a worktree is added or removed; bursts of writes are debounced into one look.
 * Resolves a stop function.
 */
export async function watchWorktrees(
  backend: Backend,
  dirs: readonly string[],
  emit: WorktreeEventSink,
  debounceMs = 500,
): Promise<() => void> {
  const stops: (() => void)[] = [];
  for (const dir of dirs) {
    const common = await gitCommonDir(dir);
    const seen = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    let running = Promise.resolve();
    let inner: FSWatcher | undefined;
    const look = () =>
      (running = running
        .then(() => followWorktrees(backend, dir, emit, seen))
        .catch((err) => emit({ action: 'failed', path: dir, message: (err as Error).message })));
    const attach = () => {
      if (inner) return;
      try {
        inner = watch(path.join(common, 'worktrees'), schedule);
        inner.on('error', () => ((inner = undefined), schedule()));
      } catch {
        inner = undefined; // no worktree yet: the outer watcher sees `worktrees/` appear
      }
    };
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        attach();
        void look();
      }, debounceMs);
    };
    const outer = watch(common, (_e, file) => file === 'worktrees' && schedule());
    attach();
    await look();
    stops.push(() => (clearTimeout(timer), outer.close(), inner?.close()));
  }
  return () => stops.forEach((s) => s());
}
