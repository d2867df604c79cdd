import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exec, RUN } from '../docker/dockerHelpers';
import { runAxi, sandbox } from '../helpers';
import { moreAction, openDashboard, type Dashboard } from './browserHelpers';

/**
 * A worktree policy that acts on its own, saved in the window, is not in effect until a person accepts it:
 * the dialog says so at once (a new user took "Saved" for done), and its Review and accept… is that yes.
 */
describe('a saved worktree policy says when it waits for acceptance (Chromium, axi serve)', () => {
  const sb = sandbox();
  const env = { ...sb.env, AXI_PREFIX: 'axitest' };
  const g = `poltrust${RUN}`;
  const repo = sb.folder(`aegisx-starter-${g}`);
  const trustFile = path.join(sb.env.AXI_HOME!, 'trust.json');
  let dash: Dashboard;

  before(async () => {
    for (const args of [
      ['init', '-q', '-b', 'main'],
      ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'first'],
    ])
      assert.equal((await exec('git', ['-C', repo, ...args], env)).code, 0);
    assert.equal((await runAxi(['setup', repo], { env })).code, 0);
    dash = await openDashboard(env);
  });

  after(async () => {
    await dash?.close();
    sb.cleanup();
  });

  const openPolicy = async () => {
    await moreAction(dash.page.getByRole('article', { name: `instance ${g}` }), 'Worktree policy…');
    const dialog = dash.page.getByRole('dialog', { name: /^Worktrees of / });
    await dialog.getByRole('button', { name: 'Save' }).waitFor();
    return dialog;
  };

  test('register: auto is saved, said not in effect yet; Review and accept… then Always trust puts it in effect', async () => {
    const dialog = await openPolicy();
    assert.equal(await dialog.getByTestId('policy-pending').count(), 0, 'the default acts on nothing by itself');
    await dialog.getByRole('combobox', { name: 'A new worktree' }).selectOption('auto');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Saved in' }).waitFor();
    const pending = dialog.getByTestId('policy-pending');
    await pending.waitFor();
    assert.match(await pending.innerText(), /until you accept it, a new worktree is only offered/);
    assert.equal(existsSync(trustFile), false, 'saving accepted nothing');

    await pending.getByRole('button', { name: 'Review and accept…' }).click();
    const trust = dash.page.getByRole('dialog', { name: /act on its own\?$/ });
    await trust.getByText('register auto').waitFor({ timeout: 15_000 });
    await trust.getByRole('button', { name: 'Always trust' }).click();
    await trust.waitFor({ state: 'detached', timeout: 15_000 });
    const accepted = JSON.parse(readFileSync(trustFile, 'utf8')) as { policies: Record<string, string> };
    assert.ok(accepted.policies[repo], JSON.stringify(accepted));

    const again = await openPolicy();
    assert.equal(await again.getByRole('combobox', { name: 'A new worktree' }).inputValue(), 'auto');
    assert.equal(await again.getByTestId('policy-pending').count(), 0, 'accepted: in effect');
    assert.equal((await runAxi(['list'], { env })).code, 0);
  });
});
