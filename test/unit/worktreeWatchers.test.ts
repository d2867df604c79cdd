import assert from 'node:assert/strict';
import { retiredText } from '../../main/shared/display/retiredText';
import { describe, test } from 'node:test';
import type { NotificationView } from '../../main/shared/api/table';
import { repositoriesOf, worktreeNotification, WorktreeWatchers } from '../../main/api/overview/worktreeWatchers';
import type { WorktreeEvent } from '../../main/docker/lifecycle/worktreeFollower';

/** A repository side with no git: folders map to repositories by a table; watchers are recorded. */
function fakeRepos(repoOf: Record<string, string | undefined>) {
  const folders = { list: Object.keys(repoOf) };
  const started: string[] = [];
  const stopped: string[] = [];
  const asked: string[] = [];
  const emitters = new Map<string, (e: WorktreeEvent) => void>();
  const reports: { e: WorktreeEvent; repo: string }[] = [];
  const failing = new Set<string>();
  const watchers = new WorktreeWatchers({
    folders: () => Promise.resolve(folders.list),
    repositoryOf: (f) => (asked.push(f), Promise.resolve(repoOf[f])),
    watch: (repo, emit) => {
      if (failing.has(repo)) return Promise.reject(new Error(`not a git repository: ${repo}`));
      started.push(repo);
      emitters.set(repo, emit);
      return Promise.resolve(() => void stopped.push(repo));
    },
    report: (e, repo) => reports.push({ e, repo }),
  });
  return { watchers, folders, started, stopped, asked, emitters, reports, failing };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("the controller's worktree watchers", () => {
  test('one watcher per repository, not per instance; folders outside git are left alone', async () => {
    const f = fakeRepos({
      '/shop': '/shop',
      '/shop-a': '/shop',
      '/shop-b': '/shop',
      '/blog': '/blog',
      '/tmp/x': undefined,
    });
    await f.watchers.sync();
    await tick();
    assert.deepEqual(f.started.sort(), ['/blog', '/shop']);
    assert.deepEqual(f.watchers.repositories(), ['/blog', '/shop']);
    await f.watchers.sync();
    await tick();
    assert.equal(f.started.length, 2, 'a second look starts nothing new');
    assert.equal(f.asked.length, 5, "each folder's repository is asked once");
  });

  test('a repository with no registration left stops being followed; stop ends every watcher', async () => {
    const f = fakeRepos({ '/shop': '/shop', '/blog': '/blog' });
    await f.watchers.sync();
    f.folders.list = ['/shop'];
    await f.watchers.sync();
    await tick();
    assert.deepEqual(f.stopped, ['/blog']);
    f.watchers.stop();
    await tick();
    assert.deepEqual(f.stopped.sort(), ['/blog', '/shop']);
    f.folders.list = ['/shop', '/blog'];
    await f.watchers.sync();
    await tick();
    assert.equal(f.started.length, 2, 'nothing starts after stop');
  });

  test("a watcher's events are reported with their repository; one that cannot start is reported and tried again", async () => {
    const f = fakeRepos({ '/shop': '/shop', '/blog': '/blog' });
    f.failing.add('/blog');
    await f.watchers.sync();
    await tick();
    f.emitters.get('/shop')!({ action: 'register', path: '/shop-a', name: 'a', message: 'registered a' });
    assert.deepEqual(
      f.reports.map((r) => [r.repo, r.e.action]),
      [
        ['/blog', 'failed'],
        ['/shop', 'register'],
      ],
    );
    f.failing.delete('/blog');
    await f.watchers.sync();
    await tick();
    assert.deepEqual(f.watchers.repositories(), ['/blog', '/shop']);
  });

  test('repositoriesOf: a folder whose repository cannot be told counts for none', async () => {
    const repos = await repositoriesOf(['/a', '/b', '/a'], (f) =>
      f === '/b' ? Promise.reject(new Error('git failed')) : Promise.resolve('/repo'),
    );
    assert.deepEqual([...repos], ['/repo']);
  });
});

describe('which notification a worktree event deserves', () => {
  const ev = (action: WorktreeEvent['action'], extra: Partial<WorktreeEvent> = {}): WorktreeEvent => ({
    action,
    path: '/src/shop-feature',
    name: 'feature',
    message: `${action} message`,
    ...extra,
  });
  const note = (e: WorktreeEvent): NotificationView => worktreeNotification(e, '/src/shop');

  test('a new worktree under register: ask is an offer carrying its path', () => {
    assert.deepEqual(note(ev('offer', { name: undefined })), {
      kind: 'worktree-offer',
      title: 'New worktree of shop',
      body: '/src/shop-feature is not registered yet: register it here, or set worktrees.register: auto',
      instance: null,
      path: '/src/shop-feature',
    });
  });

  test('registered, copied and started name the instance; a retired one names what was freed and no instance', () => {
    assert.equal(note(ev('register')).title, 'Worktree registered: feature');
    assert.equal(note(ev('register')).instance, 'feature');
    assert.equal(note(ev('copied')).title, "Main's data copied into feature");
    assert.equal(note(ev('started')).title, 'feature started');
    const body = retiredText({ name: 'feature', containers: 3, volumes: 2, snapshot: 'feature-1', skipped: [] });
    const retired = note(ev('retire', { message: body }));
    assert.equal(retired.kind, 'worktree');
    assert.equal(retired.instance, null, 'the instance is gone: nothing to open');
    // Said once: the title is whose (the repository's own name), the body what happened.
    assert.equal(retired.title, 'Worktrees of shop');
    assert.equal(
      retired.body,
      'feature removed (its worktree is gone): 3 containers, 2 volumes; snapshot kept: feature-1',
    );
  });

  test('gone is only reported; a failure is a failed notification', () => {
    assert.equal(note(ev('gone')).title, 'Worktree gone: feature');
    assert.deepEqual(note(ev('failed', { name: undefined, message: 'register /x failed: boom' })), {
      kind: 'failed',
      title: 'Following the worktrees of shop failed',
      body: 'register /x failed: boom',
      instance: null,
    });
  });
});

describe("retiredText: the worktree policy's removal, said once", () => {
  test('counts in words, a snapshot by name, what was left alone', () => {
    assert.equal(
      retiredText({ name: 'hotfix_2', containers: 3, volumes: 2, snapshot: 'hotfix_2-20261206T1200', skipped: [] }),
      'hotfix_2 removed (its worktree is gone): 3 containers, 2 volumes; snapshot kept: hotfix_2-20261206T1200',
    );
    assert.equal(
      retiredText({ name: 'x', containers: 1, volumes: 0, skipped: ['pg_other'] }),
      'x removed (its worktree is gone): 1 container, 0 volumes; left alone, not its own: pg_other',
    );
  });
});
