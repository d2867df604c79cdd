import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDashboard, type Dashboard } from '../app/browserHelpers';
import { runAxiJson, sandbox } from '../helpers';
import { makeShop, PAGE, removeAll, upAll } from './shopProject';

/**
 * The window shows each instance's name on the router (issue 25, "the window and tray show the names"): the
 * card's name link, clicked in `axi serve`'s dashboard in Debian's Chromium, lands on that instance's own page
 * through the router, never on the other instance's.
 */
describe("the card's name link, clicked in the dashboard (axi serve, real engine, real Chromium)", () => {
  const sb = sandbox();
  const { main, worktree } = makeShop(path.join(sb.dir, 'work'));
  let dash: Dashboard;
  let routerPort: number;

  before(async () => {
    await upAll(sb.env, [main, worktree]);
    dash = await openDashboard(sb.env);
    // `axi serve` runs the router (AXI_ROUTER_PORT=0: any free port) and says where in router.json.
    const status = await runAxiJson(['router', 'status'], { env: sb.env });
    assert.ok(status.json.running, `axi serve runs the router: ${status.stdout}`);
    routerPort = status.json.running.port as number;
  });
  after(async () => {
    await dash?.close();
    await removeAll(sb.env, [worktree, main]);
    sb.cleanup();
  });

  for (const [label, host, own, other] of [
    ['feature_x', 'feature-x.shop.localhost', PAGE.worktree, PAGE.main],
    ['shop', 'shop.localhost', PAGE.main, PAGE.worktree],
  ] as const) {
    test(`${label}'s card links ${host} and the click lands on ${label}'s own page through the router`, async () => {
      const url = `http://${host}:${routerPort}`;
      const card = dash.page.getByRole('article', { name: `instance ${label}` });
      const link = card.getByRole('link', { name: `${host}:${routerPort}`, exact: true });
      await link.waitFor({ timeout: 30_000 });
      assert.equal(await link.getAttribute('href'), url);
      const [tab] = await Promise.all([dash.page.waitForEvent('popup'), link.click()]);
      await tab.waitForLoadState('domcontentloaded');
      assert.equal(tab.url(), `${url}/`);
      const html = await tab.content();
      assert.ok(html.includes(own), `${label}'s own page: ${html}`);
      assert.ok(!html.includes(other), "never the other instance's page");
      await tab.close();
    });
  }
});
