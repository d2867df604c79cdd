import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { exec, RUN } from '../docker/dockerHelpers';
import { runAxi, sandbox } from '../helpers';
import { openDashboard, type Dashboard, moreAction } from './browserHelpers';

/** Idle sleep's policy in the window: the worktree policy dialog writes `idle:` into the repository's config. */
describe('the idle policy in the worktree policy dialog (Chromium, axi serve)', () => {
  const sb = sandbox();
  const env = { ...sb.env, AXI_PREFIX: 'axitest', AXI_RECHECK_MS: '1000' };
  const g = `idlepol${RUN}`;
  const repo = sb.folder(`aegisx-starter-${g}`);
  const file = path.join(repo, '.aegisx-instances.yml');
  let dash: Dashboard;
  let page: Page;

  before(async () => {
    for (const args of [
      ['init', '-q', '-b', 'main'],
      ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'first'],
    ])
      assert.equal((await exec('git', ['-C', repo, ...args], env)).code, 0);
    const setup = await runAxi(['setup', repo], { env });
    assert.equal(setup.code, 0, setup.stderr);
    writeFileSync(file, '# team settings\nslots: 100 # enough\n');
    dash = await openDashboard(env);
    page = dash.page;
  });

  after(async () => {
    await dash?.close();
    sb.cleanup();
  });

  const openDialog = async () => {
    await moreAction(page.getByRole('article', { name: `instance ${g}` }), 'Worktree policy…');
    const dialog = page.getByRole('dialog', { name: /^Worktrees of / });
    await dialog.getByRole('group', { name: 'When nobody uses an instance' }).waitFor();
    return dialog;
  };

  test('nothing sleeps until set; the times and notify are written, other keys and comments kept', async () => {
    const dialog = await openDialog();
    assert.equal(await dialog.getByLabel('A worktree sleeps after').inputValue(), 'off');
    assert.equal(await dialog.getByLabel('The main checkout sleeps after').inputValue(), 'off');
    await dialog.getByLabel('A worktree sleeps after').fill('45m');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Saved in' }).waitFor();
    assert.match(readFileSync(file, 'utf8'), /^# team settings\nslots: 100 # enough\n(?:[^]*\n)?idle: 45m\n/);
    await dialog.getByLabel('The main checkout sleeps after').fill('2h');
    await dialog.getByRole('checkbox', { name: 'notify when asleep' }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    const written = /\nidle:\n {2}main: 2h\n {2}worktrees: 45m\n {2}notify: true\n/;
    for (const end = Date.now() + 10_000; !written.test(readFileSync(file, 'utf8')) && Date.now() < end;)
      await page.waitForTimeout(100);
    assert.match(readFileSync(file, 'utf8'), written);
    await dialog.getByRole('status').filter({ hasText: 'Saved in' }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Read back as written when the dialog opens again.
    const again = await openDialog();
    assert.equal(await again.getByLabel('The main checkout sleeps after').inputValue(), '2h');
    assert.equal(await again.getByRole('checkbox', { name: 'notify when asleep' }).isChecked(), true);
    await page.keyboard.press('Escape');
    await again.waitFor({ state: 'detached' });
  });

  test('a time that is not one: one line naming it, the file untouched', async () => {
    const before = readFileSync(file, 'utf8');
    const dialog = await openDialog();
    await dialog.getByLabel('A worktree sleeps after').fill('soon');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('idle time "soon": use 30m, 2h, 45s or off').waitFor();
    assert.equal(readFileSync(file, 'utf8'), before);
    await page.keyboard.press('Escape');
  });
});
