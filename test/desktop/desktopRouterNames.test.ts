import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runAxiJson, sandbox } from '../helpers';
import { get } from '../router/routerHelpers';
import { makeShop, PAGE, removeAll, upAll } from '../router/shopProject';
import { clickTray, mainWindow, startApp, trayItem, until } from './desktopHelpers';
import { appImpl } from './standin/app';
import { standin } from './standin/state';

/**
 * The tray shows each instance's name on the router (issue 25): the desktop app's main under the stand-in
 * Electron runs the router; its tray menu (built by buildTrayTemplate from the overview) offers "Open web
 * (NAME)" before the port one, and choosing it opens that name, which the router sends to that instance only.
 */
describe("the tray's Open web by name (desktop app under the stand-in Electron, real engine, real router)", () => {
  const sb = sandbox();
  const env = {
    ...sb.env,
    HOME: path.join(sb.dir, 'home-user'),
    XDG_CONFIG_HOME: path.join(sb.dir, 'home-user', '.config'),
    AXI_RECHECK_MS: '1000',
    AXI_STANDIN_USER_DATA: path.join(sb.dir, 'userData'),
  };
  const { main, worktree } = makeShop(path.join(sb.dir, 'work'));
  const savedEnv = { ...process.env };
  let ports: Record<string, number>;
  let routerPort: number;

  before(async () => {
    ports = await upAll(env, [main, worktree]);
    startApp(env);
    await mainWindow(); // shown once the router runs
    const s = await runAxiJson(['router', 'status'], { env });
    assert.ok(s.json.running, `the app runs the router: ${s.stdout}`);
    routerPort = s.json.running.port as number;
  });
  after(async () => {
    if (!standin().quitDone) {
      appImpl.quit();
      await until('quit', () => standin().quitDone, 10_000).catch(() => undefined);
    }
    await removeAll(env, [worktree, main]);
    process.env = savedEnv;
    sb.cleanup();
  });

  for (const [label, host, own, other] of [
    ['feature_x', 'feature-x.shop.localhost', PAGE.worktree, PAGE.main],
    ['shop', 'shop.localhost', PAGE.main, PAGE.worktree],
  ] as const) {
    test(`${label}: "Open web (${host})" first, the port second; choosing it opens the name, which is ${label}'s page`, async () => {
      const url = `http://${host}:${routerPort}`;
      const byName = `Open web (${host}:${routerPort})`;
      await until(`the tray's ${byName}`, () => trayItem(new RegExp(`^${label}\\b`), byName), 30_000);
      const items = (trayItem(new RegExp(`^${label}\\b`))!.submenu as { label?: string }[]).map((i) => i.label);
      const at = items.indexOf(byName);
      assert.equal(items[at + 1], `Open web by port (${ports[label]})`, `the port one next: ${items.join(' | ')}`);
      clickTray(new RegExp(`^${label}\\b`), byName);
      await until('openExternal of the name', () => standin().shown.openExternal.includes(url));
      const r = await get(routerPort, `${host}:${routerPort}`);
      assert.equal(r.status, 200);
      assert.ok(r.body.includes(own) && !r.body.includes(other), `${label}'s own page: ${r.body}`);
      clickTray(new RegExp(`^${label}\\b`), `Open web by port (${ports[label]})`);
      await until('openExternal of the port', () =>
        standin().shown.openExternal.includes(`http://localhost:${ports[label]}`),
      );
    });
  }
});
