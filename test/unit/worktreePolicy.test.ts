import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WorktreePolicy } from '../../main/core/project/repoConfig';
import { worktreeActions } from '../../main/core/worktrees/worktreePolicy';
import { goneDecision } from '../../main/docker/cleanup/cleanupPolicy';
import type { WorktreeInfo } from '../../main/core/worktrees/worktrees';

const tree = (p: string, state: WorktreeInfo['state'], extra: Partial<WorktreeInfo> = {}): WorktreeInfo => ({
  path: p,
  branch: null,
  head: null,
  main: false,
  state,
  name: state === 'unregistered' ? null : p.slice(1),
  ports: {},
  ...extra,
});
const policy = (p: Partial<WorktreePolicy> = {}): WorktreePolicy => ({
  register: 'ask',
  start: false,
  dataFrom: 'none',
  onRemove: 'keep',
  ...p,
});

describe('what following worktrees does, by policy', () => {
  const trees = [
    tree('/main', 'registered', { main: true }),
    tree('/new', 'unregistered'),
    tree('/removed', 'gone', { removed: true }),
    tree('/unmounted', 'gone'),
  ];

  test('auto registers new worktrees with the start and data choices; the main is never registered by it', () => {
    const a = worktreeActions(
      [...trees, tree('/mainless', 'unregistered', { main: true })],
      policy({ register: 'auto', start: true, dataFrom: 'main' }),
    );
    assert.deepEqual(
      a.filter((x) => x.kind === 'register'),
      [{ kind: 'register', path: '/new', dataFromMain: true, start: true }],
    );
  });

  test('ask offers a new worktree once; off leaves it alone', () => {
    assert.deepEqual(
      worktreeActions(trees, policy()).filter((x) => x.kind === 'offer'),
      [{ kind: 'offer', path: '/new' }],
    );
    assert.deepEqual(
      worktreeActions(trees, policy(), new Set(['/new'])).filter((x) => x.kind === 'offer'),
      [],
    );
    assert.deepEqual(
      worktreeActions(trees, policy({ register: 'off' })).filter((x) => x.kind === 'offer' || x.kind === 'register'),
      [],
    );
  });

  test('a worktree removed with git is retired per onRemove; an unreachable one is only reported, whatever the policy', () => {
    for (const onRemove of ['snapshot-and-remove', 'remove'] as const) {
      const a = worktreeActions(trees, policy({ onRemove }));
      assert.deepEqual(
        a.filter((x) => x.kind === 'retire'),
        [{ kind: 'retire', path: '/removed', name: 'removed', snapshot: onRemove === 'snapshot-and-remove' }],
      );
      assert.deepEqual(
        a.filter((x) => x.kind === 'gone').map((x) => x.path),
        ['/unmounted'],
      );
    }
    const kept = worktreeActions(trees, policy({ onRemove: 'keep' }));
    assert.deepEqual(
      kept.filter((x) => x.kind === 'retire'),
      [],
    );
    assert.deepEqual(
      kept.filter((x) => x.kind === 'gone').map((x) => x.path),
      ['/removed', '/unmounted'],
    );
  });

  test('an unregistered worktree that cannot be set up (an error in discovery) is not acted on', () => {
    assert.deepEqual(
      worktreeActions([tree('/bad', 'unregistered', { error: 'no compose file' })], policy({ register: 'auto' })),
      [],
    );
  });
});

describe('what axi cleanup does with a gone registration, by its repository’s policy', () => {
  const declared = (onRemove: WorktreePolicy['onRemove']) => ({ onRemove, declared: true });

  test('without a policy written in the repository’s config, the registration is forgotten as before', () => {
    assert.deepEqual(goneDecision(undefined, false), { kind: 'forget' });
    assert.deepEqual(goneDecision({ onRemove: 'keep', declared: false }, false), { kind: 'forget' });
  });

  test('a worktree removed with git is retired per onRemove, or kept and reported', () => {
    assert.deepEqual(goneDecision(declared('snapshot-and-remove'), false), { kind: 'retire', snapshot: true });
    assert.deepEqual(goneDecision(declared('remove'), false), { kind: 'retire', snapshot: false });
    assert.deepEqual(goneDecision(declared('keep'), false), {
      kind: 'keep',
      why: 'worktree removed; kept (worktrees.onRemove: keep)',
    });
  });

  test('a folder git still lists (an unmounted disk) is only reported, whatever the policy', () => {
    for (const onRemove of ['keep', 'remove', 'snapshot-and-remove'] as const)
      assert.equal(goneDecision(declared(onRemove), true).kind, 'keep');
  });
});
