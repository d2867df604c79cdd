import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { composeDown, exec, RUN } from '../docker/dockerHelpers';
import { GIT_IDENTITY, ROOT, runAxi, sandbox } from '../helpers';
import { openDashboard, type Dashboard } from './browserHelpers';
import { layoutProblems } from './layoutMeasure';

// Evaluated in the page, not in Node: the test project compiles without DOM types.
declare const getComputedStyle: any;
declare const document: any;

const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'layout');

/**
 * The window at 1280, 1024 and 760 px, in cards and in the compact table, with what makes lines long: a
 * main checkout, a long name, and an instance partly running (two of its services stopped). Measured in
 * Chromium against `axi serve`: nothing clipped, spilled or overlapping, every button reachable.
 */
describe('the window holds its layout at 1280, 1024 and 760 px (Chromium, axi serve)', () => {
  const sb = sandbox();
  const env = { ...sb.env, AXI_PREFIX: 'axitest', AXI_RECHECK_MS: '1000' };
  const run = `lay${RUN}`;
  const long = `feature-login-with-a-long-branch-name-${RUN}`;
  const dirs = {
    main: sb.folder('aegisx-starter'),
    run: sb.folder(`aegisx-starter-${run}`),
    long: sb.folder(`aegisx-starter-${long}`),
  };
  let dash: Dashboard;
  let page: Page;
  const status = (n: string) => page.getByRole('article', { name: `instance ${n}` }).getByTestId('status');
  /** The container of one of the instance's services. */
  const container = async (service: string) =>
    (
      await exec('docker', [
        'ps',
        '-q',
        '--filter',
        `label=com.docker.compose.project=axitest_${run}`,
        '--filter',
        `label=com.docker.compose.service=${service}`,
      ])
    ).stdout.trim();

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // One repository: the worktrees are on branches with a slash, one of them long ("feature/login").
    const git = async (...args: string[]) => {
      const r = await exec('git', ['-C', dirs.main, ...args], { ...process.env, ...GIT_IDENTITY });
      assert.equal(r.code, 0, r.stderr);
    };
    await git('init', '-q', '-b', 'main');
    await git('commit', '-q', '--allow-empty', '-m', 'start');
    await git('worktree', 'add', '-q', '-b', 'feature/login', dirs.run);
    await git('worktree', 'add', '-q', '-b', `feature/${long}`, dirs.long);
    for (const d of Object.values(dirs)) {
      const r = await runAxi(['setup', d, '--reassign'], { env });
      assert.equal(r.code, 0, r.stderr);
    }
    const up = await runAxi(['up', run, '--wait'], { env });
    assert.equal(up.code, 0, up.stderr);
    dash = await openDashboard(env);
    page = dash.page;
    await status(run)
      .filter({ hasText: /^Running/ })
      .waitFor({ timeout: 20_000 });
  });

  after(async () => {
    await dash?.close();
    await composeDown(`axitest_${run}`, `${dirs.run}/docker-compose.instance.yml`);
    sb.cleanup();
  });

  test('a service stopped by hand raises no alarm; one that dies on its own does, once', async () => {
    assert.equal((await exec('docker', ['stop', await container('redis')])).code, 0);
    await status(run)
      .filter({ hasText: /^Partly running/ })
      .waitFor({ timeout: 20_000 });
    await page.waitForTimeout(3000);
    assert.deepEqual(await page.locator('.toast').allInnerTexts(), [], 'no toast for a stop somebody asked for');
    // Postgres ends by itself (a signal from inside the container: the engine saw no stop asked).
    assert.equal((await exec('docker', ['exec', await container('postgres'), 'sh', '-c', 'kill -INT 1'])).code, 0);
    const failed = page.locator('.toast-failed');
    await failed.filter({ hasText: 'postgres stopped unexpectedly' }).waitFor({ timeout: 20_000 });
    await status(run)
      .filter({ hasText: /redis stopped/ })
      .waitFor();
    await page.waitForTimeout(1000);
    assert.equal(await failed.count(), 1, 'said once');
  });

  test('a toast floats: no card moves when it comes or goes, and it covers no banner button nor the header', async () => {
    // A banner with buttons above the list: the add field's answer for a folder that is not there.
    await page.locator('#add-path').fill('/definitely/not/here');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.locator('.results li.bad').waitFor();
    const cards = () =>
      page.locator('article[data-instance]').evaluateAll((all: any[]) =>
        all.map((a) => {
          const r = a.getBoundingClientRect();
          return `${a.dataset.instance} ${Math.round(r.left)},${Math.round(r.top)}`;
        }),
      );
    // The first test's "stopped unexpectedly" toast is still up (a toast lasts 8 s); else make one.
    const toast = page.locator('.toast').first();
    if (!(await toast.count())) {
      assert.equal((await exec('docker', ['start', await container('postgres')])).code, 0);
      await toast.waitFor({ timeout: 30_000 });
    }
    const withToast = await cards();
    const covered = await page.evaluate(() => {
      const out: string[] = [];
      const boxes = [...document.querySelectorAll('.toast')].map((t: any) => t.getBoundingClientRect());
      const controls = document.querySelectorAll(
        'header.top button, header.top input, .add-area button, .add-area input, .banner button',
      );
      for (const c of controls) {
        const r = c.getBoundingClientRect();
        for (const t of boxes)
          if (
            Math.min(r.right, t.right) - Math.max(r.left, t.left) > 0 &&
            Math.min(r.bottom, t.bottom) - Math.max(r.top, t.top) > 0
          )
            out.push(`a toast covers "${(c.textContent || c.id).trim()}"`);
      }
      return out;
    });
    assert.deepEqual(covered, []);
    await page.waitForFunction(() => !document.querySelector('.toast'), undefined, { timeout: 30_000 });
    await page.waitForTimeout(300);
    assert.deepEqual(await cards(), withToast, 'the cards stay where they were when the toasts went');
    await page.locator('.results li.bad').getByRole('button', { name: 'Dismiss' }).click();
  });

  test('cards and the compact table: nothing clipped, spilled or overlapping; buttons reachable', async () => {
    const found: string[] = [];
    for (const view of ['Cards', 'Compact']) {
      for (const width of [1280, 1024, 760]) {
        await page.setViewportSize({ width, height: 900 });
        const choice = page.getByRole('button', { name: view });
        if (await choice.count()) await choice.click();
        await page.waitForTimeout(300);
        await page.screenshot({ path: path.join(ARTIFACTS, `${view.toLowerCase()}-${width}.png`), fullPage: true });
        for (const p of await layoutProblems(page)) found.push(`${view} at ${width}px: ${p}`);
      }
    }
    assert.deepEqual(found, []);
  });

  test('a live port is a visible link: underlined, unlike a port that serves nothing', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Cards' }).click();
    const live = page
      .getByRole('article', { name: `instance ${run}` })
      .locator('a[data-port][href] b')
      .first();
    await live.waitFor({ timeout: 20_000 });
    const underline = await live.evaluate((a: any) => getComputedStyle(a).textDecorationLine);
    assert.match(underline, /underline/);
    // The main checkout is not started: its ports serve nothing, so they are plain numbers.
    const plain = page
      .locator('article', { has: page.locator('.badge', { hasText: 'main checkout' }) })
      .locator('span[data-port] b')
      .first();
    const plainLine = await plain.evaluate((b: any) => getComputedStyle(b).textDecorationLine);
    assert.doesNotMatch(plainLine, /underline/);
  });

  test('the compact table links a live HTTP port as the card does; a database or cache port stays text', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Cards' }).click();
    const card = page.getByRole('article', { name: `instance ${run}` });
    await card.locator('a[data-port][href]').first().waitFor({ timeout: 20_000 });
    const cardLinks = await card.locator('a[data-port][href]').evaluateAll((all: any[]) => all.map((a) => a.href));
    await page.getByRole('button', { name: 'Compact' }).click();
    const row = page.locator(`table.compact tr[data-instance]`, {
      has: page.getByRole('button', { name: run, exact: true }),
    });
    const cell = row.locator('.ports-cell');
    await cell.locator('a[href]').first().waitFor({ timeout: 10_000 });
    const rowLinks = await cell.locator('a[href]').evaluateAll((all: any[]) => all.map((a) => a.href));
    assert.deepEqual(rowLinks, cardLinks, 'the same live ports link to the same URLs');
    for (const plain of ['postgres', 'redis'])
      assert.equal(await cell.locator('a', { hasText: plain }).count(), 0, `${plain} is no link`);
    const line = await cell
      .locator('a[href]')
      .first()
      .evaluate((a: any) => getComputedStyle(a).textDecorationLine);
    assert.match(line, /underline/);
  });
});
