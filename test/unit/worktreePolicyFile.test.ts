import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { loadRepoConfig } from '../../main/core/project/repoConfig';
import { writeWorktreePolicy } from '../../main/core/worktrees/worktreePolicyFile';
import { sandbox } from '../helpers';

const policy = { register: 'auto', start: true, dataFrom: 'main', onRemove: 'snapshot-and-remove' } as const;

describe("writing a repository's worktree policy", () => {
  const sb = sandbox();
  after(() => sb.cleanup());

  test('other keys and comments are kept; the policy reads back', async () => {
    const dir = sb.folder('keep-comments');
    const file = path.join(dir, '.aegisx-instances.yml');
    writeFileSync(file, '# shop settings\nprefix: shop # short\nworktrees:\n  register: ask # offer them\n');
    await writeWorktreePolicy(dir, policy);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^# shop settings\nprefix: shop # short\n/);
    assert.match(text, /register: auto # offer them/);
    const loaded = await loadRepoConfig(dir);
    assert.equal(loaded.config.prefix, 'shop');
    assert.deepEqual(loaded.config.worktrees, policy);
    assert.deepEqual(loaded.worktreeKeys, ['register', 'start', 'dataFrom', 'onRemove']);
  });

  test('a missing or comments-only file is made', async () => {
    const dir = sb.folder('fresh');
    await writeWorktreePolicy(dir, policy);
    assert.deepEqual((await loadRepoConfig(dir)).config.worktrees, policy);
    const commented = sb.folder('commented');
    writeFileSync(path.join(commented, '.aegisx-instances.yml'), '# nothing yet\n');
    await writeWorktreePolicy(commented, policy);
    const text = readFileSync(path.join(commented, '.aegisx-instances.yml'), 'utf8');
    assert.match(text, /^# nothing yet\n/);
    assert.deepEqual((await loadRepoConfig(commented)).config.worktrees, policy);
  });

  test('a file that does not parse, or would not validate, is never written', async () => {
    const dir = sb.folder('broken');
    const file = path.join(dir, '.aegisx-instances.yml');
    writeFileSync(file, 'prefix: [unclosed\n');
    await assert.rejects(writeWorktreePolicy(dir, policy), /not valid YAML; fix it by hand first/);
    assert.equal(readFileSync(file, 'utf8'), 'prefix: [unclosed\n');
    writeFileSync(file, 'slots: 0\n');
    await assert.rejects(writeWorktreePolicy(dir, policy), /key slots/);
    assert.equal(readFileSync(file, 'utf8'), 'slots: 0\n');
    writeFileSync(file, 'slots: 10\n');
    await assert.rejects(
      writeWorktreePolicy(dir, { ...policy, register: 'sometimes' } as never),
      /key worktrees\.register/,
    );
    assert.equal(readFileSync(file, 'utf8'), 'slots: 10\n');
  });
});
