import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { RUN } from '../docker/dockerHelpers';
import { gitRepo } from '../docker/gitRepo';
import { GIT_IDENTITY, sandbox } from '../helpers';
import { dashboardHooks } from './browserHelpers';

// Evaluated in the page, not in Node: the test project compiles without DOM types.
declare const document: any;

/**
 * New worktrees as a user meets them in the window (Chromium, `axi serve`, the default `register: ask`):
 * one offer per repository listing them all, never the one just added, no toast for it; it survives a
 * reload until it is registered or dismissed.
 */
describe('new worktrees are offered once per repository, and the offer survives a reload', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, ...GIT_IDENTITY, AXI_PREFIX: 'axitest', AXI_RECHECK_MS: '1000' };
  const main = sb.folder(`aegisx-starter-off${RUN}`);
  const wt = (s: string) => `${main}-${s}`;
  const base = path.basename(main);
  let page: Page;
  const { git } = gitRepo(main, env);
  const offers = () => page.getByRole('list', { name: 'new worktrees' }).getByRole('listitem');
  /** Every notification the window got, toasted or not: none may be about a worktree offer. */
  const toasts = () => page.locator('.toast').allInnerTexts();

  before(async () => {
    await git('init', '-q', '-b', 'main');
    await git('commit', '-q', '--allow-empty', '-m', 'first');
    await git('worktree', 'add', '-q', wt('login'));
    await git('worktree', 'add', '-q', wt('billing'));
  });
  dashboardHooks(sb, env, (d) => (page = d.page));

  test('adding the main checkout: one offer listing both worktrees, not itself, in one place', async () => {
    const field = page.getByLabel('Add a repository folder');
    await field.fill(main);
    await field.press('Enter');
    await page
      .getByRole('article', { name: /^instance / })
      .first()
      .waitFor();
    await offers().first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(2500); // the worktree follower's first look has offered them too by now
    assert.equal(await offers().count(), 1, 'one offer for the repository');
    const text = await offers().first().innerText();
    assert.match(
      text,
      new RegExp(`${base} has 2 new worktrees not registered yet: ${base}-(login|billing), ${base}-(login|billing)\\.`),
    );
    assert.equal(text.split(`${base}-`).length - 1, 2, 'each worktree named once; the main checkout not among them');
    assert.equal(
      await page
        .locator('.results li')
        .filter({ hasText: /more worktree/ })
        .count(),
      0,
      'the add result does not offer them a second time',
    );
    assert.deepEqual(await toasts(), [], 'no toast repeating the offer');
  });

  test('a worktree added later joins the same offer; the offer survives a reload', async () => {
    await git('worktree', 'add', '-q', wt('search'));
    await offers().filter({ hasText: '3 new worktrees' }).waitFor({ timeout: 15_000 });
    await page.reload();
    await offers().filter({ hasText: '3 new worktrees' }).waitFor({ timeout: 15_000 });
    assert.equal(await offers().count(), 1);
  });

  test('Register all: their cards come and the offer goes; a later one dismissed stays gone after a reload', async () => {
    await offers().first().getByRole('button', { name: 'Register all 3' }).click();
    for (const s of ['login', 'billing', 'search'])
      await page.getByRole('article', { name: `instance ${s}` }).waitFor({ timeout: 30_000 });
    await offers().first().waitFor({ state: 'detached', timeout: 15_000 });

    await git('worktree', 'add', '-q', wt('api'));
    const offer = offers().filter({ hasText: `1 new worktree not registered yet: ${base}-api.` });
    await offer.waitFor({ timeout: 15_000 });
    await offer.getByRole('button', { name: 'Dismiss' }).click();
    await offer.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'add-path', 'focus kept in the add area');
    await page.reload();
    await page.getByRole('article', { name: 'instance api' }).waitFor({ state: 'detached' });
    await page.getByRole('article', { name: 'instance login' }).waitFor();
    await page.waitForTimeout(1500);
    assert.equal(await offers().count(), 0, 'dismissed stays dismissed');
  });
});
