import type { WorktreeEvent } from '../../docker/lifecycle/worktreeFollower';
import type { NotificationView } from '../../shared/api/table';

/** Stops one repository's watcher. */
export type StopWatching = () => void;

/** The repository side the watchers need: given as an interface so the part is tested without git or Docker. */
export interface WorktreeWatcherDeps {
  /** The registered folders (every instance's checkout). */
  folders(): Promise<string[]>;
  /** The main worktree of the repository a folder belongs to; undefined outside git (or when git cannot tell). */
  repositoryOf(folder: string): Promise<string | undefined>;
  /** Starts following one repository (its policy applied on a first look and on every change); resolves `stop`. */
  watch(repository: string, emit: (e: WorktreeEvent) => void): Promise<StopWatching>;
  /** What following did: becomes a notification, and the overview follows. */
  report(e: WorktreeEvent, repository: string): void;
}

/** "started quick_fix: running" under the title "quick_fix started" says it twice: only its state is kept. */
function startedBody(message: string): string {
  const state = /: (\S+)$/.exec(message)?.[1];
  return state ? `Its services are ${state === 'running' ? 'up' : state}, as its worktree policy asks.` : message;
}

/**
 * Which notification a worktree event deserves. `offer`: a new worktree under `register: ask`, offered in
 * the window (it carries the path). `gone`: reported, never acted on. A pure function of the event.
 */
export function worktreeNotification(e: WorktreeEvent, repository: string): NotificationView {
  const repo = repository.split('/').pop() ?? repository;
  const instance = e.name ?? null;
  switch (e.action) {
    case 'offer':
      // The repository's own path: its policy awaits `axi trust`, said as news (no worktree to register).
      if (e.path === repository)
        return { kind: 'worktree', title: `Worktrees of ${repo}`, body: e.message, instance: null, path: e.path };
      return {
        kind: 'worktree-offer',
        title: `New worktree of ${repo}`,
        body: `${e.path} is not registered yet: register it here, or set worktrees.register: auto`,
        instance: null,
        path: e.path,
      };
    case 'register':
      return { kind: 'worktree', title: `Worktree registered: ${e.name}`, body: e.message, instance, path: e.path };
    case 'copied':
      return { kind: 'worktree', title: `Main's data copied into ${e.name}`, body: e.message, instance, path: e.path };
    case 'started':
      // The title says it started; the body only what it is now (never "started X" twice).
      return { kind: 'worktree', title: `${e.name} started`, body: startedBody(e.message), instance, path: e.path };
    case 'retire':
      // The body says what was removed and freed; the title only whose (the repository's own name).
      return {
        kind: 'worktree',
        title: `Worktrees of ${repo}`,
        body: e.message,
        instance: null,
        path: e.path,
      };
    case 'gone':
      return { kind: 'worktree', title: `Worktree gone: ${e.name}`, body: e.message, instance, path: e.path };
    case 'failed':
      return { kind: 'failed', title: `Following the worktrees of ${repo} failed`, body: e.message, instance: null };
  }
}

/** The repositories to follow: each registered folder's, once (one watcher per repository, not per instance). */
export async function repositoriesOf(
  folders: readonly string[],
  repositoryOf: (folder: string) => Promise<string | undefined>,
): Promise<Set<string>> {
  const repos = new Set<string>();
  for (const f of new Set(folders)) {
    const r = await repositoryOf(f).catch(() => undefined);
    if (r) repos.add(r);
  }
  return repos;
}

/**
 * The controller's worktree part: one watcher per registered repository, started and stopped as
 * registrations come and go (`sync` runs on every registry change), all stopped by `stop`.
 */
export class WorktreeWatchers {
  private readonly watching = new Map<string, Promise<StopWatching | undefined>>();
  private readonly repoOf = new Map<string, Promise<string | undefined>>();
  private syncing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: WorktreeWatcherDeps) {}

  /** The repositories followed now. */
  repositories(): string[] {
    return [...this.watching.keys()].sort();
  }

  /** Follows the repositories of the registered folders, and stops following those with none left. */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.syncOnce()).catch(() => undefined);
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    if (this.stopped) return;
    const folders = await this.deps.folders();
    // A folder's repository is asked once (one git call), not on every registry change.
    const cached = (f: string) => {
      let r = this.repoOf.get(f);
      if (!r) this.repoOf.set(f, (r = this.deps.repositoryOf(f).catch(() => undefined)));
      return r;
    };
    const repos = await repositoriesOf(folders, cached);
    for (const repo of repos) {
      if (this.watching.has(repo) || this.stopped) continue;
      const emit = (e: WorktreeEvent) => this.deps.report(e, repo);
      // Not awaited by the caller: the first look may register and start instances for minutes.
      this.watching.set(
        repo,
        this.deps.watch(repo, emit).catch((err: Error) => {
          emit({ action: 'failed', path: repo, message: err.message });
          this.watching.delete(repo);
          return undefined;
        }),
      );
    }
    for (const [repo, stop] of this.watching) {
      if (repos.has(repo)) continue;
      this.watching.delete(repo);
      void stop.then((s) => s?.());
    }
  }

  stop(): void {
    this.stopped = true;
    for (const stop of this.watching.values()) void stop.then((s) => s?.());
    this.watching.clear();
  }
}
