import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page, Route } from 'playwright-core';
import { runAxi, sandbox } from '../helpers';
import { openDashboard, type Dashboard } from './browserHelpers';

/**
 * The list view setting in two windows of `axi serve` (review of the settings-echo guard): a choice whose answer
 * comes late never hides another window's later change, and two quick choices end on the second, in the window,
 * in the other window and in settings.json.
 */
describe('the list view in two windows: the last writer wins', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: 'axitest' };
  let d: Dashboard;
  let other: Page;
  const stored = () => {
    const f = path.join(sb.env.AXI_HOME!, 'settings.json');
    return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as { listView?: string }).listView : undefined;
  };
  /** The view a page shows, by its pressed toolbar button. */
  const shown = async (page: Page) =>
    (await page.getByRole('button', { name: 'Compact' }).getAttribute('aria-pressed')) === 'true' ? 'table' : 'cards';
  /** Holds this page's settings writes' answers (the server has applied them) for `ms`, as a slow link would. */
  const slowAnswers = (page: Page, ms: number[]) =>
    page.route('**/api/call', async (route: Route) => {
      const body = route.request().postDataJSON() as { method?: string };
      if (body.method !== 'updateSettings') return route.continue();
      const response = await route.fetch();
      await new Promise((r) => setTimeout(r, ms.shift() ?? 0));
      await route.fulfill({ response });
    });
  const settle = () => new Promise((r) => setTimeout(r, 2500));

  before(async () => {
    const r = await runAxi(['setup', sb.folder(`aegisx-starter-lv${process.pid}`)], { env });
    assert.equal(r.code, 0, r.stderr);
    d = await openDashboard(env);
    other = await d.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await other.goto(d.url);
    for (const p of [d.page, other]) await p.getByRole('button', { name: 'Compact' }).waitFor();
  });

  after(async () => {
    await d?.close();
    sb.cleanup();
  });

  test("another window's change made while this window's choice awaits its answer is shown here", async () => {
    await slowAnswers(d.page, [1500]);
    await d.page.getByRole('button', { name: 'Compact' }).click(); // applied at once, answered 1.5 s later
    for (let k = 0; k < 50 && stored() !== 'table'; k++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(stored(), 'table');
    await other.getByRole('button', { name: 'Cards' }).click(); // the later writer
    await settle();
    assert.equal(stored(), 'cards');
    assert.equal(await shown(other), 'cards');
    assert.equal(await shown(d.page), 'cards', "this window shows the other window's later choice");
    await d.page.unroute('**/api/call');
  });

  test('two quick choices, the first answered last: both windows and settings.json end on the second', async () => {
    await slowAnswers(d.page, [1200, 0]);
    await d.page.getByRole('button', { name: 'Compact' }).click();
    await d.page.getByRole('button', { name: 'Cards' }).click();
    await settle();
    assert.equal(stored(), 'cards');
    assert.equal(await shown(d.page), 'cards');
    assert.equal(await shown(other), 'cards');
    await d.page.unroute('**/api/call');
  });
});
