import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { exec, removeOwned, RUN } from '../docker/dockerHelpers';
import { holdPort, ROOT, runAxi, sandbox } from '../helpers';
import { dashboardHooks, openDashboard, type Dashboard, moreAction } from './browserHelpers';

// Evaluated in the page, not in Node: the test project compiles without DOM types.
declare const document: any;
declare const window: any;

const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'window');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical findings on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const found: { id: string; impact: string | null; nodes: { target: string[] }[] }[] = await page.evaluate(
    async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations,
  );
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The focused element: its text or label, and the instance it belongs to. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const a = document.activeElement;
    return {
      text: (a?.getAttribute('aria-label') || a?.textContent || '').trim().slice(0, 60),
      instance: a?.closest('[data-instance]')?.getAttribute('data-instance') ?? null,
    };
  });

/** The pointer away from every message, so nothing is held by hovering. */
const pointerAway = (page: Page) => page.mouse.move(2, 2);

describe('the window after a fresh-eyes trial: add field, messages, narrow widths, keys (Chromium, axi serve)', () => {
  const sb = sandbox();
  const env = { ...sb.env, HOME: path.join(sb.dir, 'home-user'), AXI_PREFIX: 'axitest', AXI_RECHECK_MS: '1000' };
  const a = `wfa${RUN}`;
  const b = `wfb${RUN}`;
  const dirA = sb.folder(`aegisx-starter-${a}`);
  let page: Page;
  const card = (n: string) => page.getByRole('article', { name: `instance ${n}` });
  const field = () => page.getByLabel('Add a repository folder');
  const add = async (text: string) => {
    await field().fill(text);
    await field().press('Enter');
  };

  const shot = (file: string) => page.screenshot({ path: path.join(ARTIFACTS, file) });

  before(() => mkdirSync(ARTIFACTS, { recursive: true }));
  dashboardHooks(sb, env, (d) => (page = d.page));

  test('a pasted file:// URL is its folder; ~ and / are refused in one line; one result per folder', async () => {
    await add(`file://${encodeURI(dirA)}`);
    await card(a).waitFor();
    await page
      .locator('.results li.ok')
      .filter({ hasText: `Registered ${a}:` })
      .waitFor();
    await add('~');
    const home = page.locator('.results li.bad').filter({ hasText: 'your home folder is not a repository' });
    await home.waitFor();
    assert.equal((await home.innerText()).split('\n').length, 1, 'one line');
    await add('/');
    await page.locator('.results li.bad').filter({ hasText: 'the root folder is not a repository' }).waitFor();
    // Typed another way, the same folder: its new result replaces the old one.
    await add(dirA);
    await page
      .locator('.results li')
      .filter({ hasText: `Already registered as ${a}` })
      .waitFor();
    assert.equal(await page.locator('.results li').filter({ hasText: a }).count(), 1, 'the latest result per folder');
    // Typed again, the same refusal replaces the last one rather than piling up.
    await add('~');
    await page.waitForTimeout(300);
    assert.equal(await page.locator('.results li').filter({ hasText: 'your home folder' }).count(), 1);
    const dismiss = page.locator('.results li').getByRole('button', { name: 'Dismiss' });
    while ((await dismiss.count()) > 0) await dismiss.first().click();
  });

  test('ports taken: the add result offers "Register with other ports"; the success fades unless hovered', async () => {
    // A folder named like the repository itself is its main checkout, which takes the base ports (web 4200).
    const mainDir = sb.folder('aegisx-starter');
    const holder = await holdPort(4200);
    try {
      await add(mainDir);
      const failed = page.locator('.results li.bad').filter({ hasText: 'port 4200 (web) of the main checkout' });
      await failed.waitFor();
      assert.match(await failed.innerText(), /stop it, or use Register with other ports/);
      assert.doesNotMatch(await failed.innerText(), /--reassign/);
      await shot('add-ports-taken.png');
      await failed.getByRole('button', { name: 'Register with other ports' }).click();
      const ok = page.locator('.results li.ok').filter({ hasText: /Registered \S+:/ });
      await ok.waitFor();
      assert.doesNotMatch(await ok.innerText(), /web 4200\b/);
      assert.equal(await failed.count(), 0, 'the failure is replaced by the success');
      await shot('add-other-ports.png');
      // Held while the pointer is on it, then gone ~10 s after.
      await ok.hover();
      await page.waitForTimeout(11_000);
      assert.equal(await ok.count(), 1, 'kept while hovered');
      await pointerAway(page);
      await ok.waitFor({ state: 'detached', timeout: 4000 });
    } finally {
      await holder.stop();
    }
  });

  test('a main checkout: moving it off its base ports is asked first; once moved, the card offers the way back', async () => {
    const main = page.locator('article', { has: page.locator('.badge', { hasText: 'main checkout' }) });
    const web = () => main.locator('[data-port=web] b').innerText();
    // Registered above with other ports (4200 was taken): it says so, and goes back once 4200 is free.
    const offBase = main.getByTestId('off-base');
    await offBase.waitFor();
    await offBase.getByRole('button', { name: 'Back to base ports' }).click();
    await main.getByText(/Back on its base ports: .*web \d+ → 4200/).waitFor({ timeout: 20_000 });
    await offBase.waitFor({ state: 'detached' });
    assert.equal(await web(), '4200');

    const holder = await holdPort(4200);
    try {
      const conflict = main.locator('.conflict');
      await conflict.filter({ hasText: 'This is the main checkout' }).waitFor({ timeout: 15_000 });
      const move = conflict.getByRole('button', { name: 'Move to other ports…' });
      await move.click();
      assert.match(await conflict.innerText(), /Move \S+ off its base ports\?/);
      assert.equal((await focused(page)).text, 'Keep base ports', 'focus on the safe choice');
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => document.activeElement?.textContent === 'Move to other ports…');
      assert.equal(await web(), '4200', 'Escape kept the base ports');
      await move.click();
      await conflict.getByRole('button', { name: 'Move ports' }).click();
      await main.getByText(/Ports reassigned: .*web 4200 → \d+/).waitFor({ timeout: 20_000 });
      await offBase.waitFor({ timeout: 15_000 });
      assert.notEqual(await web(), '4200');
    } finally {
      await holder.stop();
    }
  });

  test("a card says one thing at a time: the start's port error is replaced by Reassign's result, which fades", async () => {
    assert.equal((await runAxi(['setup', sb.folder(`aegisx-starter-${b}`)], { env })).code, 0);
    await card(b).waitFor();
    const pg = Number(await card(b).locator('[data-port=postgres] b').innerText());
    const holder = await holdPort(pg);
    try {
      await card(b)
        .getByRole('alert')
        .filter({ hasText: `Port ${pg} (postgres)` })
        .waitFor({ timeout: 10_000 });
      await card(b).getByRole('button', { name: 'Start' }).click();
      await page.locator(`article[data-instance$="/${b}"][aria-busy=true]`).waitFor({ timeout: 10_000 });
      await page.locator(`article[data-instance$="/${b}"]:not([aria-busy=true])`).waitFor({ timeout: 30_000 });
      // The refused start is about the port the conflict box names already: said once, with its button.
      // (While it was busy the box was held back; the re-check at its end brings it back.)
      await card(b)
        .getByRole('alert')
        .filter({ hasText: `Port ${pg} (postgres)` })
        .waitFor({ timeout: 15_000 });
      const error = card(b).locator('.card-message .error');
      await error.waitFor({ state: 'detached', timeout: 5000 }).catch(() => undefined);
      assert.equal(await error.count(), 0, 'the conflict said a second time under the buttons');
      const said = (await card(b).innerText()).match(new RegExp(`port ${pg} \\(postgres\\)`, 'gi')) ?? [];
      assert.equal(said.length, 1, `port ${pg} named ${said.length} times on the card`);
      // In the window, the fix is named by its button, not by a CLI flag.
      assert.doesNotMatch(await page.locator('body').innerText(), /--reassign|axi setup/);
      await card(b).getByRole('button', { name: 'Reassign ports' }).click();
      const note = card(b).getByRole('status').filter({ hasText: 'Ports reassigned:' });
      await note.waitFor({ timeout: 15_000 });
      assert.match(await note.innerText(), new RegExp(`postgres ${pg} → \\d+.*They apply when it starts\\.`));
      assert.equal(await error.count(), 0, 'the old error is gone');
      assert.notEqual(await page.evaluate(() => document.activeElement?.tagName), 'BODY', 'focus left with the button');
      await card(b).screenshot({ path: path.join(ARTIFACTS, 'card-reassigned.png') });
      await pointerAway(page);
      await note.waitFor({ state: 'detached', timeout: 14_000 });
    } finally {
      await holder.stop();
    }
  });

  test('the reset dialog names Snapshots…, not a CLI command', async () => {
    await card(b).getByRole('button', { name: 'Reset…' }).click();
    const dialog = page.getByRole('dialog', { name: `Reset ${b}?` });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /restore it later from Snapshots… on its card/);
    assert.doesNotMatch(await dialog.innerText(), /axi restore/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  test('the worktree policy dialog is a laid-out form: grouped fields with labels, buttons in a row, no axe findings', async () => {
    const g = `wfgit${RUN}`;
    const repo = sb.folder(`aegisx-starter-${g}`);
    for (const args of [
      ['init', '-q', '-b', 'main'],
      ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'first'],
    ])
      assert.equal((await exec('git', ['-C', repo, ...args], env)).code, 0);
    assert.equal((await runAxi(['setup', repo], { env })).code, 0);
    await moreAction(card(g), 'Worktree policy…');
    const dialog = page.getByRole('dialog', { name: /^Worktrees of / });
    await dialog.getByRole('group', { name: 'When a worktree is added' }).waitFor();
    await dialog.getByRole('group', { name: 'When a worktree is removed' }).waitFor();
    for (const label of ['A new worktree', 'Its data', 'A removed worktree'])
      assert.equal(await dialog.getByRole('combobox', { name: label }).count(), 1, label);
    const close = await dialog.getByRole('button', { name: 'Close' }).boundingBox();
    const save = await dialog.getByRole('button', { name: 'Save' }).boundingBox();
    assert.ok(close && save && Math.abs(close.y - save.y) < 2 && save.x > close.x, 'Close and Save side by side');
    assert.deepEqual(await seriousViolations(page), []);
    await shot('policy-dialog.png');
    // At 400 px the whole form fits: nothing clipped on the right, Save reachable.
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 400, height: 800 });
    const box = (await dialog.boundingBox())!;
    const saveNarrow = (await dialog.getByRole('button', { name: 'Save' }).boundingBox())!;
    assert.ok(box.x >= 0 && box.x + box.width <= 400, `dialog spans ${box.x}..${box.x + box.width} at 400 px`);
    assert.ok(saveNarrow.x + saveNarrow.width <= 400, `Save ends at ${saveNarrow.x + saveNarrow.width} at 400 px`);
    await shot('policy-dialog-400.png');
    await page.setViewportSize(size);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  test("the compact table: a row's name shows its card; at 400 px cards are shown whatever the setting", async () => {
    await page.getByRole('button', { name: 'Compact' }).click();
    const row = page.getByRole('row', { name: `instance ${b}` });
    await row.getByRole('button', { name: b }).click();
    await card(b).waitFor();
    await page.waitForFunction((n) => document.activeElement?.getAttribute('aria-label') === `instance ${n}`, b);
    assert.equal(await page.getByRole('button', { name: 'Cards' }).getAttribute('aria-pressed'), 'true');

    await page.getByRole('button', { name: 'Compact' }).click();
    await row.waitFor();
    await page.setViewportSize({ width: 400, height: 800 });
    await card(b).waitFor();
    assert.equal(await page.locator('table.compact').count(), 0, 'no table at 400 px');
    assert.equal(
      await page.getByRole('group', { name: 'view', exact: true }).count(),
      0,
      'no view choice it cannot honour',
    );
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px at 400px`);
    await shot('compact-at-400.png');
    await page.setViewportSize({ width: 1280, height: 800 });
    await row.waitFor(); // the setting was kept
    await page.getByRole('button', { name: 'Cards' }).click();
    await card(b).waitFor();
  });

  test('arrow keys follow the grid: Down to the card below, Right to the next; one column at 400 px', async () => {
    // Five cards outside git: two rows of the three columns at 1280 px.
    for (const n of [`wfc${RUN}`, `wfd${RUN}`])
      assert.equal((await runAxi(['setup', sb.folder(`aegisx-starter-${n}`)], { env })).code, 0);
    await card(`wfd${RUN}`).waitFor();
    const outside = page.locator('.list > section').last().locator('[data-instance]');
    assert.equal(await outside.count(), 5);
    await outside.first().focus();
    const box = async () => {
      const id: string = await page.evaluate(() => document.activeElement?.getAttribute('data-instance'));
      return (await page.locator(`[data-instance="${id}"]`).boundingBox())!;
    };
    const startId = (await focused(page)).instance;
    const start = await box();
    await page.keyboard.press('ArrowRight');
    const right = await box();
    assert.ok(Math.abs(right.y - start.y) < 2 && right.x > start.x, 'Right: the next card in the row');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowDown');
    const down = await box();
    assert.ok(
      down.y > start.y + 10 && Math.abs(down.x - start.x) < 2,
      `Down: the card below (${JSON.stringify(down)})`,
    );
    await page.keyboard.press('ArrowUp');
    assert.equal((await focused(page)).instance, startId, 'Up: back to the card above');
    await page.setViewportSize({ width: 400, height: 800 });
    await page.locator('[data-instance]').first().focus();
    const order = await page.locator('[data-instance]').evaluateAll((els) => els.map((e) => e.dataset.instance));
    await page.keyboard.press('ArrowDown');
    assert.equal((await focused(page)).instance, order[1], 'one column: Down is the next one');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

describe('Start all in the window: confirmed above three, two at a time, with per-instance progress', () => {
  const sb = sandbox();
  const env = { ...sb.env, AXI_PREFIX: 'axitest', AXI_RECHECK_MS: '1000' };
  const names = [0, 1, 2, 3].map((k) => `wfs${k}${RUN}`);
  let dash: Dashboard;
  let page: Page;

  before(async () => {
    for (const n of names) assert.equal((await runAxi(['setup', sb.folder(`aegisx-starter-${n}`)], { env })).code, 0);
    dash = await openDashboard(env);
    page = dash.page;
    await page.getByRole('article', { name: `instance ${names[3]}` }).waitFor();
  });

  after(async () => {
    await dash?.close();
    // `axi down` keeps volumes: everything the four made goes by label.
    await removeOwned(env);
    sb.cleanup();
  });

  test('four instances: asks first (focus on Cancel, Escape cancels), then starts two at a time and sums up', async () => {
    const startAll = page.getByRole('button', { name: 'Start all' });
    await startAll.click();
    const confirm = page.getByText('Start 4 instances, two at a time?');
    await confirm.waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'start-all-confirm.png') });
    assert.equal((await focused(page)).text, 'Cancel', 'focus on the safe choice');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    assert.equal((await focused(page)).text, 'Start all');
    await page.waitForTimeout(500);
    assert.equal(await page.locator('[data-testid=status][data-state=Starting]').count(), 0, 'nothing started');

    // Counts how many cards are busy at once, and what the header says, for as long as it runs.
    // Also what the cards' progress lines say, and how many "ready" toasts are on screen at once.
    await page.evaluate(() => {
      window.__most = 0;
      window.__said = [];
      window.__steps = [];
      window.__toasts = 0;
      window.__watch = setInterval(() => {
        const n = document.querySelectorAll('article[aria-busy=true]').length;
        window.__most = Math.max(window.__most, n);
        const text = document.querySelector('.bulk')?.textContent;
        if (text && !window.__said.includes(text)) window.__said.push(text);
        for (const p of document.querySelectorAll('article .progress [aria-live]'))
          if (!window.__steps.includes(p.textContent)) window.__steps.push(p.textContent);
        window.__toasts = Math.max(window.__toasts, document.querySelectorAll('.toast-healthy').length);
      }, 50);
    });
    await startAll.click();
    await page.getByRole('button', { name: 'Start 4' }).click();
    const bulk = page.locator('.bulk');
    await bulk.filter({ hasText: /^Starting \S.*… \(\d of 4 done\)$/ }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'start-all.png') });
    await bulk.filter({ hasText: 'Started 4' }).waitFor({ timeout: 180_000 });
    const readyToast = page.locator('.toast-healthy');
    await readyToast.waitFor({ timeout: 10_000 });
    const [most, said, steps, toasts]: [number, string[], string[], number] = await page.evaluate(
      () => (clearInterval(window.__watch), [window.__most, window.__said, window.__steps, window.__toasts]),
    );
    // Compose's lines in words: services by name, the health wait said as such; never its raw lines.
    assert.ok(
      steps.some((t) =>
        /^(creating|starting) (postgres|redis|api|web|admin|pgadmin)$|^waiting for .* to be healthy$/.test(t),
      ),
      `steps in words: ${JSON.stringify(steps)}`,
    );
    assert.ok(
      !steps.some((t) => /Container |\.\.\. done|axitest[-_]/.test(t)),
      `no raw Compose line: ${JSON.stringify(steps)}`,
    );
    // Instances that get ready together share one toast, which names them.
    assert.equal(toasts, 1, 'one "ready" toast at a time');
    assert.match(await readyToast.innerText(), /\bis ready|\band \S+ (more )?are ready/);
    assert.equal(most, 2, `two at a time, never more (saw ${most})`);
    assert.ok(
      said.some((t) => /^Starting .*\([123] of 4 done\)$/.test(t)),
      `progress counts the instances done: ${JSON.stringify(said)}`,
    );

    await page.getByRole('button', { name: 'Stop all' }).click();
    await bulk.filter({ hasText: /^Stopping .*\(\d of 4 done\)$/ }).waitFor({ timeout: 10_000 });
    await bulk.filter({ hasText: 'Stopped 4' }).waitFor({ timeout: 120_000 });

    // "Stopped · 3 s ago" counts up by itself while under a minute, with no status change to redraw it.
    const detail = page.locator('[data-testid=status][data-state=Stopped] .state-detail').first();
    await detail.filter({ hasText: /\d+ s ago$/ }).waitFor({ timeout: 10_000 });
    const first = await detail.textContent();
    await page.waitForTimeout(2500);
    const later = await detail.textContent();
    assert.notEqual(later, first, `still ${JSON.stringify(first)} 2.5 s later`);
    assert.match(later!, /\d+ s ago$/);
  });

  test('at 400 px the header takes three rows and the logs toolbar two; stopped cards show disk, not dashes', async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    /** How many rows a wrapping bar's visible children take. */
    const rows = (selector: string) =>
      page.evaluate((sel) => {
        const boxes = [...document.querySelector(sel)!.children]
          .filter((k: any) => k.offsetParent !== null)
          .map((k: any) => k.getBoundingClientRect())
          .sort((a: any, b: any) => a.top - b.top);
        // A new row starts below the bottom of everything in the row before.
        let n = 0;
        let bottom = -Infinity;
        for (const b of boxes) {
          if (b.top >= bottom - 2) n++;
          bottom = b.top >= bottom - 2 ? b.bottom : Math.max(bottom, b.bottom);
        }
        return n;
      }, selector);
    assert.ok((await rows('header.top')) <= 3, `header rows: ${await rows('header.top')}`);
    const c = page.getByRole('article', { name: `instance ${names[0]}` });
    // The test before ends with Stop all; where it failed before that, this one still runs: one failure, not two.
    if ((await c.getByTestId('status').getAttribute('data-state')) === 'Running') {
      assert.equal((await runAxi(['stop', names[0]!], { env })).code, 0);
      await c.locator('[data-testid=status][data-state=Stopped]').waitFor({ timeout: 20_000 });
    }
    await c
      .getByTestId('usage')
      .filter({ hasText: /^disk \S+/ })
      .waitFor({ timeout: 20_000 });
    assert.equal(
      await page
        .getByTestId('usage')
        .filter({ hasText: /CPU -|memory -/ })
        .count(),
      0,
    );
    await c.getByRole('button', { name: 'Logs' }).click();
    await page.getByRole('region', { name: `logs of ${names[0]}` }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'logs-at-400.png') });
    assert.ok((await rows('.logs header')) <= 2, `logs toolbar rows: ${await rows('.logs header')}`);
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
