import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { composeDown, RUN } from '../docker/dockerHelpers';
import { holdPort, ROOT, runAxi, sandbox } from '../helpers';
import { openDashboard, type Dashboard } from './browserHelpers';

// Evaluated in the page, not in Node: the test project compiles without DOM types.
declare const document: any;
declare const window: any;

const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'a11y');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core in the page (evaluated: the CSP forbids injected script tags); the serious and critical findings. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const found: AxeViolation[] = await page.evaluate(
    async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations,
  );
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The focused element, described: its role-ish tag, text or label, and the instance it belongs to. */
/** Focus lands on the control with this text once the page has rendered what the key opened (fails after 5 s). */
const focusOn = (page: Page, text: string) =>
  page.waitForFunction(
    (t) =>
      (document.activeElement?.getAttribute('aria-label') || document.activeElement?.textContent || '').trim() === t,
    text,
    { timeout: 5000 },
  );

const focused = (page: Page) =>
  page.evaluate(() => {
    const a = document.activeElement;
    const item = a?.closest('[data-instance]');
    return {
      tag: a?.tagName.toLowerCase() ?? '',
      text: (a?.getAttribute('aria-label') || a?.textContent || '').trim().slice(0, 60),
      instance: item?.getAttribute('data-instance') ?? null,
      inDialog: Boolean(a?.closest('[role=dialog]')),
      inLogs: Boolean(a?.closest('.logs')),
    };
  });

describe('the window: accessibility audit and keyboard use in Chromium against axi serve', () => {
  const sb = sandbox();
  const env = { ...sb.env, HOME: path.join(sb.dir, 'home-user'), AXI_PREFIX: 'axitest', AXI_RECHECK_MS: '1000' };
  const names = Array.from({ length: 9 }, (_, k) => `a11y${k}${RUN}`);
  const kb = `kb${RUN}`;
  const kbDir = path.join(env.HOME, 'src', `aegisx-starter-${kb}`);
  let dash: Dashboard;
  let page: Page;

  /** Audits the page as it is now, in light and in dark. */
  async function audit(label: string): Promise<void> {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: path.join(ARTIFACTS, `${label}-${scheme}.png`) });
      assert.deepEqual(await seriousViolations(page), [], `${label} in ${scheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    mkdirSync(kbDir, { recursive: true });
    dash = await openDashboard(env);
    page = dash.page;
  });

  after(async () => {
    await dash?.close();
    await composeDown(`axitest_${kb}`, path.join(kbDir, 'docker-compose.instance.yml'));
    sb.cleanup();
  });

  test('the empty state, 2 and 9 instances, and the settings view pass axe-core in light and dark', async () => {
    await page.getByRole('heading', { name: 'No instances yet' }).waitFor();
    await audit('empty');
    for (const [k, n] of names.entries()) {
      const r = await runAxi(['setup', sb.folder(`aegisx-starter-${n}`)], { env });
      assert.equal(r.code, 0, r.stderr);
      if (k === 1) {
        await page.getByRole('article', { name: `instance ${names[1]}` }).waitFor();
        await audit('two');
      }
    }
    await page.getByRole('article', { name: `instance ${names[8]}` }).waitFor();
    await audit('nine');
    await page.getByRole('button', { name: 'Compact' }).click();
    await page.getByRole('row', { name: `instance ${names[8]}` }).waitFor();
    await audit('nine-compact');
    // Every action is in the table too: the everyday ones in the row, the others behind More.
    const row = page.getByRole('row', { name: `instance ${names[8]}` });
    await row.getByRole('button', { name: 'More' }).click();
    const menu = page.getByRole('menu', { name: `more actions for ${names[8]}` });
    await menu.getByRole('menuitem').first().waitFor();
    assert.deepEqual((await menu.getByRole('menuitem').allInnerTexts()).slice(0, 3), [
      'Reset…',
      'Snapshots…',
      'Copy data from…',
    ]);
    assert.equal(await menu.getByRole('menuitem', { name: 'Remove…' }).count(), 1);
    await audit('nine-compact-menu');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-act')), 'more');
    // Remembered in the settings: a new page opens on the compact table.
    const stored = () => {
      const f = path.join(sb.env.AXI_HOME!, 'settings.json');
      return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : {};
    };
    for (let k = 0; k < 50 && stored().listView !== 'table'; k++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(stored().listView, 'table');
    await page.reload();
    await page.getByRole('row', { name: `instance ${names[8]}` }).waitFor();
    await page.getByRole('button', { name: 'Cards' }).click();
    await page.getByRole('article', { name: `instance ${names[8]}` }).waitFor();
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('dialog', { name: 'Settings' }).getByRole('checkbox').first().waitFor();
    await audit('settings');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.equal((await focused(page)).text, 'Settings', 'focus back on the button that opened it');
  });

  test('search, the filter and arrow keys find instances without the mouse', async () => {
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.getByText('Start or stop the focused instance').waitFor();
    await help.getByText('The first or the last instance').waitFor(); // Home and End are listed, as they work
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    await page.keyboard.press('/');
    assert.equal((await focused(page)).tag, 'input');
    await page.keyboard.type(names[4]!);
    await page.getByRole('status').filter({ hasText: '1 of 9 shown' }).waitFor();
    await page.keyboard.press('Escape'); // clears the search
    await page.getByRole('status').filter({ hasText: '9 instances' }).waitFor();
    await page.getByRole('button', { name: 'Running', exact: true }).click();
    await page.getByText('No instance matches.').waitFor();
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.locator(`[data-instance$="/${names[0]}"]`).focus();
    await page.keyboard.press('ArrowRight');
    assert.match((await focused(page)).instance ?? '', new RegExp(`/${names[1]}$`));
    // Down: the card below in the grid (three columns at 1280 px), not the next in reading order.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowDown');
    assert.match((await focused(page)).instance ?? '', new RegExp(`/${names[3]}$`));
    await page.keyboard.press('End');
    assert.match((await focused(page)).instance ?? '', new RegExp(`/${names[8]}$`));
    // The order is the names', grouped by repository: stable whatever the state.
    const order = await page
      .locator('[data-instance]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    assert.deepEqual(
      order,
      [...names].sort().map((n) => `instance ${n}`),
    );
  });

  test('the add field: ~ is the home folder, a relative path is refused and kept, a repeat says so', async () => {
    const field = page.getByLabel('Add a repository folder');
    await field.fill('src/nowhere');
    await field.press('Enter');
    await page.getByText('"src/nowhere" is a relative path: type the full path').waitFor();
    assert.equal(await field.inputValue(), 'src/nowhere', 'the typed text is kept');
    await field.fill(sb.folder(`aegisx-starter-${names[0]}`));
    await field.press('Enter');
    const said = page.locator('.results li').filter({ hasText: `Already registered as ${names[0]}` });
    await said.waitFor();
    // The repeat stays with its message (in view, focus kept in the field) and offers the card.
    const box = (await said.boundingBox())!;
    assert.ok(box.y >= 0 && box.y + box.height <= page.viewportSize()!.height, 'the message is in view');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'add-path');
    await said.getByRole('button', { name: `Show ${names[0]}` }).click();
    await page.waitForFunction((n) => document.activeElement?.getAttribute('aria-label') === `instance ${n}`, names[0]);
  });

  test('a conflict is said once on its card; Reassign says which ports moved, old → new, and clears it', async () => {
    const card = page.getByRole('article', { name: `instance ${names[3]}` });
    const web = Number(await card.locator('[data-port=web] b').innerText());
    assert.equal(await card.locator('a[data-port=web]').count(), 0, 'nothing listens: a plain number, no link');
    const holder = await holdPort(web);
    try {
      const conflict = card.getByRole('alert').filter({ hasText: `Port ${web} (web) is in use by node` });
      await conflict.waitFor({ timeout: 10_000 });
      // Something listens now, but not this instance: no link that would open the other program.
      assert.equal(await card.locator('a[data-port=web]').count(), 0, 'a link to the port another program holds');
      assert.equal(await card.locator('[data-port=web]').getAttribute('title'), `another program holds ${web}`);
      assert.equal(await page.getByText(`Port ${web}`).count(), 1, 'said once');
      await audit('conflict');
      await conflict.getByRole('button', { name: 'Reassign ports' }).click();
      const note = card.getByRole('status').filter({ hasText: 'Ports reassigned:' });
      await note.waitFor({ timeout: 15_000 });
      // The chip follows with the overview that carries the new ports (published just after the call's answer).
      const chip = card.locator('[data-port=web] b');
      await chip.filter({ hasNotText: new RegExp(`^${web}$`) }).waitFor({ timeout: 10_000 });
      const moved = Number(await chip.innerText());
      assert.notEqual(moved, web);
      assert.match(await note.innerText(), new RegExp(`web ${web} → ${moved}`));
      await conflict.waitFor({ state: 'detached', timeout: 10_000 });
    } finally {
      await holder.stop();
    }
  });

  test('keyboard only: register, start, logs, reset with confirm, remove; focus is kept at each step', async () => {
    await page.reload(); // Tab then starts from the top of the page
    await page.getByRole('article', { name: `instance ${names[0]}` }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).text, 'Skip to instances');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    assert.equal((await focused(page)).tag, 'input', 'the skip link lands in the add field');
    await page.keyboard.type(`~/src/aegisx-starter-${kb}`);
    await page.keyboard.press('Enter');
    await page.getByText(`Registered ${kb}:`).waitFor();
    await page.waitForFunction((n) => document.activeElement?.getAttribute('aria-label') === `instance ${n}`, kb);

    const card = page.getByRole('article', { name: `instance ${kb}` });
    await page.keyboard.press('s');
    await page.waitForFunction(
      (n) => /Starting|Running/.test(document.querySelector(`#instance-${n} [data-testid=status]`)?.dataset.state),
      kb,
    );
    assert.equal((await focused(page)).instance?.endsWith(`/${kb}`), true, 'focus stays on the card');
    await page.waitForFunction(
      (n) => document.querySelector(`#instance-${n} [data-testid=status]`)?.dataset.state === 'Running',
      kb,
      { timeout: 120_000 },
    );

    await page.keyboard.press('l');
    const logs = page.getByRole('region', { name: `logs of ${kb}` });
    await logs.waitFor();
    assert.ok((await focused(page)).inLogs, 'focus moves into the logs pane');
    await logs.getByTestId('log-lines').filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
    await audit('logs');
    await page.keyboard.press('Escape');
    await logs.waitFor({ state: 'detached' });
    assert.equal((await focused(page)).instance?.endsWith(`/${kb}`), true, 'Escape closes, focus back on the card');

    for (let k = 0; k < 30 && (await focused(page)).text !== 'Reset…'; k++) await page.keyboard.press('Tab');
    assert.equal((await focused(page)).text, 'Reset…');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Reset ${kb}?` });
    await dialog.waitFor();
    assert.deepEqual([(await focused(page)).text, (await focused(page)).inDialog], ['Cancel', true]);
    await audit('reset-dialog');
    for (let k = 0; k < 4; k++) await page.keyboard.press('Tab');
    assert.ok((await focused(page)).inDialog, 'Tab stays inside the dialog');
    assert.equal(await page.locator('.shell').getAttribute('inert'), '', 'the window behind is inert');
    await dialog.getByRole('button', { name: `Reset ${kb}` }).focus();
    await page.keyboard.press('Enter');
    await dialog
      .getByText(/was reset and started again\. The old data is in snapshot \S+ \(/)
      .waitFor({ timeout: 120_000 });
    assert.equal((await focused(page)).text, 'Close');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await focused(page)).text, 'Reset…', 'focus returns to the button that opened the dialog');

    // Remove is behind More: a menu opened with Enter, moved in with the arrows, its choice with Enter.
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).text, 'More ▾', 'Reset… is followed by More');
    await page.keyboard.press('Enter');
    assert.equal((await focused(page)).text, 'Snapshots…', 'the menu opens on its first item');
    await page.keyboard.press('End');
    assert.equal((await focused(page)).text, 'Remove…');
    await page.keyboard.press('Enter');
    await focusOn(page, 'Keep'); // the inline confirm starts on the safe choice
    await page.keyboard.press('Escape');
    await page
      .getByText(`Forget ${kb}?`)
      .or(page.getByText(`containers of ${kb}`))
      .waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-act') === 'more', null, {
      timeout: 2000,
    });
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowUp'); // wraps to the last item
    assert.equal((await focused(page)).text, 'Remove…');
    await page.keyboard.press('Enter');
    await focusOn(page, 'Keep');
    await page.keyboard.press('Shift+Tab');
    assert.equal((await focused(page)).text, 'Remove');
    await page.keyboard.press('Enter');
    await card.waitFor({ state: 'detached', timeout: 60_000 });
    await page.waitForFunction(() => document.activeElement?.id === 'instance-search');
  });
});
