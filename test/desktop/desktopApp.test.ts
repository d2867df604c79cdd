import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { IpcMainInvokeEvent } from 'electron';
import type { Page } from 'playwright-core';
import { API_METHODS, IPC } from '../../main/shared/api/table';
import { checkErrorCodes } from '../app/errorCodeChecks';
import { composeDown, RUN } from '../docker/dockerHelpers';
import { holdPort, runAxi, runAxiJson, sandbox } from '../helpers';
import { clickTray, mainWindow, secondInstance, startApp, trayItem, until } from './desktopHelpers';
import { appImpl, invokeMain } from './standin/app';
import { standin, type RecordedWindow } from './standin/state';
import { unimplementedReads } from './standin/strict';

// Evaluated in the page, not in Node: the test project compiles without DOM types.
declare const window: any;
declare const location: any;

/**
 * The desktop app end to end: Electron's main (dist/main/electron/main.js)
 * under the stand-in `electron` (test/desktop/standin), its window in
 * Chromium, the preload in a sandboxed vm, IPC with Electron's semantics, on
 * the real Docker engine, with `axi` checked alongside.
 */
describe('the desktop app under a stand-in Electron (main, preload, window, tray, notifications)', () => {
  const sb = sandbox();
  const userData = path.join(sb.dir, 'userData');
  const env = {
    ...sb.env,
    HOME: path.join(sb.dir, 'home-user'),
    XDG_CONFIG_HOME: path.join(sb.dir, 'home-user', '.config'),
    AXI_PREFIX: 'axitest',
    AXI_RECHECK_MS: '1000',
    AXI_STANDIN_USER_DATA: userData,
  };
  const name = `dsk${RUN}`;
  const dir = sb.folder(`aegisx-starter-${name}`);
  const prefsFile = path.join(userData, 'preferences.json');
  const settingsFile = path.join(sb.env.AXI_HOME!, 'settings.json');
  const json = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
  const savedEnv = { ...process.env };
  let page: Page;
  let win: RecordedWindow;
  const card = () => page.getByRole('article', { name: `instance ${name}` });
  const state = (s: string) =>
    page.waitForFunction(
      ([n, want]) => window.document.querySelector(`#instance-${n} [data-testid=status]`)?.dataset.state === want,
      [name, s] as const,
      { timeout: 40_000 },
    );
  const listed = async () => {
    const all = (await runAxiJson(['list'], { env })).json as {
      folder: string;
      status: string;
      ports: Record<string, number>;
    }[];
    const found = all.find((i) => i.folder === dir);
    assert.ok(found, `axi list shows ${dir}`);
    return found;
  };

  before(async () => {
    // An install from before one settings store: the endpoint was kept in electron-store.
    mkdirSync(userData, { recursive: true });
    writeFileSync(prefsFile, JSON.stringify({ dockerEndpoint: 'unix:///var/run/docker.sock', notifications: true }));
    startApp(env);
    ({ rec: win, page } = await mainWindow());
  });

  after(async () => {
    // A failed step may leave the app running: quit it, so Chromium and main's timers do not keep this process alive.
    if (!standin().quitDone) {
      appImpl.quit();
      await until('quit', () => standin().quitDone, 10_000).catch(() => undefined);
    }
    await composeDown(`axitest_${name}`, path.join(dir, 'docker-compose.instance.yml'));
    process.env = savedEnv;
    sb.cleanup();
  });

  test('start-up: isolated, sandboxed, no Node in the page; only the table on window.axi; the empty state', async () => {
    const prefs = win.options.webPreferences!;
    assert.deepEqual([prefs.contextIsolation, prefs.sandbox, prefs.nodeIntegration], [true, true, false]);
    assert.deepEqual(await page.evaluate(() => [typeof window.require, typeof window.process]), [
      'undefined',
      'undefined',
    ]);
    const keys = await page.evaluate(() => Object.keys(window.axi).sort());
    assert.deepEqual(keys, [...API_METHODS, 'on', 'pathForFile'].sort());
    await page.getByRole('heading', { name: 'No instances yet' }).waitFor();
    await page.getByText('Docker: connected').waitFor();
    assert.ok(trayItem('No instances yet'));
    let granted: boolean | undefined;
    standin().permissionHandlers.request!({}, 'notifications', (g) => (granted = g));
    assert.equal(granted, false, 'permission requests refused');
  });

  test('the folder picker registers a folder; axi list agrees', async () => {
    standin().dialogAnswers.push([dir]);
    await page.getByRole('button', { name: 'Browse…' }).click();
    await card().waitFor();
    const web = await card().locator('[data-port="web"] b').innerText();
    assert.equal(String((await listed()).ports.web), web);
    assert.ok(standin().dialogs[0]!.properties!.includes('openDirectory'));
  });

  test('error codes cross the IPC bridge: "Register with other ports" is offered and works', async () => {
    await checkErrorCodes(page, sb.folder('aegisx-starter'));
  });

  test('start and logs in the window, stop from the tray toggle; axi list agrees each time', async () => {
    await card().getByRole('button', { name: 'Start' }).click();
    await state('Running');
    assert.equal((await listed()).status, 'running');
    await card().getByRole('button', { name: 'Logs' }).click();
    const lines = page.getByRole('region', { name: `logs of ${name}` }).getByTestId('log-lines');
    await page.waitForFunction((n) => {
      const el = window.document.querySelector(`[aria-label="logs of ${n}"] [data-testid=log-lines]`);
      return (el?.textContent ?? '').trim().length > 0;
    }, name);
    assert.ok((await lines.innerText()).length > 0);
    clickTray(new RegExp(`^${name}`), 'Running — click to stop');
    await state('Stopped');
    assert.notEqual((await listed()).status, 'running');
  });

  test('tray items: open folder, copy, open web; notifications and start at login toggles', async () => {
    clickTray(new RegExp(`^${name}`), 'Open folder');
    await until('showItemInFolder', () => standin().shown.showItemInFolder.includes(dir));
    clickTray(new RegExp(`^${name}`), 'Copy DATABASE_URL');
    await until('the clipboard', () => standin().shown.clipboard.some((t) => t.startsWith('postgres')));
    clickTray(new RegExp(`^${name}`), /^Open web/);
    await until('openExternal', () => standin().shown.openExternal.some((u) => u.startsWith('http://')));
    clickTray('Notifications');
    await until('notifications off in electron-store', () => json(prefsFile).notifications === false);
    await until('the menu follows', () => trayItem('Notifications')?.checked === false);
    clickTray('Notifications');
    await until('notifications on', () => json(prefsFile).notifications === true);
    const entry = path.join(env.XDG_CONFIG_HOME, 'autostart', 'aegisx-instances.desktop');
    clickTray('Start at login');
    await until('an XDG autostart entry', () => existsSync(entry));
    assert.match(readFileSync(entry, 'utf8'), /^Exec=.+/m);
    clickTray('Start at login');
    await until('the entry removed', () => !existsSync(entry));
  });

  test('a conflict while the window is hidden: an OS notification; its click shows the window', async () => {
    await win.close();
    assert.equal(win.visible, false, 'closing hides to the tray');
    assert.equal(win.destroyed, false);
    const port = Number((await listed()).ports.web);
    const earlier = standin().notifications.length;
    const holder = await holdPort(port);
    try {
      const note = await until('a conflict notification', () =>
        standin()
          .notifications.slice(earlier)
          .find((n) => n.options.title === 'Port conflict' && n.options.body?.includes(String(port))),
      );
      note.click();
      await until('the window shown', () => win.visible && win.focused);
    } finally {
      await holder.stop();
    }
  });

  test('settings: the Docker endpoint set in the app is the one axi uses ($AXI_HOME/settings.json)', async () => {
    // The old store's endpoint moved to the shared file at start; electron-store keeps only the app's own.
    assert.equal(json(settingsFile).dockerEndpoint, 'unix:///var/run/docker.sock');
    assert.equal(json(prefsFile).dockerEndpoint, undefined);
    const sock = path.join(sb.dir, 'engine.sock');
    symlinkSync('/var/run/docker.sock', sock);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    assert.equal(await dialog.getByLabel('Start at login').isEnabled(), true, 'supported on Linux');
    const input = dialog.getByLabel('Docker endpoint', { exact: true });
    await input.fill(`unix://${sock}`);
    await input.press('Enter');
    await dialog.getByText('Saved').waitFor();
    assert.equal(json(settingsFile).dockerEndpoint, `unix://${sock}`);
    assert.equal(json(prefsFile).dockerEndpoint, undefined, 'not in electron-store');
    rmSync(sock);
    const r = await runAxi(['list'], { env });
    assert.match(r.stdout + r.stderr, new RegExp(sock.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await input.fill('');
    await input.press('Enter');
    await page.getByText('Docker: connected').waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');
  });

  test('sender checks: calls from another webContents or another page are refused', async () => {
    const event = (sender: unknown, url: string) => ({ sender, senderFrame: { url } }) as unknown as IpcMainInvokeEvent;
    const ours = `file://${path.join(__dirname, '..', '..', 'renderer', 'index.html')}`;
    for (const e of [event({}, ours), event(undefined, 'https://evil.example/')]) {
      const reply = (await invokeMain(IPC.invoke, e, ['getOverview', []])) as { ok: boolean; error?: { code: string } };
      assert.deepEqual([reply.ok, reply.error?.code], [false, 'FORBIDDEN']);
    }
  });

  test('navigation is blocked; window.open goes to the OS browser for http(s) only', async () => {
    const before = page.url();
    await page.evaluate(() => (location.href = 'https://example.com/'));
    await until('will-navigate', () => win.navigations.find((n) => n.url === 'https://example.com/'));
    assert.equal(win.navigations.at(-1)!.prevented, true);
    assert.equal(page.url(), before);
    assert.deepEqual(win.openHandler!({ url: 'file:///etc/passwd' } as never), { action: 'deny' });
    assert.ok(!standin().shown.openExternal.includes('file:///etc/passwd'));
    assert.deepEqual(win.openHandler!({ url: 'https://example.org/' } as never), { action: 'deny' });
    assert.ok(standin().shown.openExternal.includes('https://example.org/'));
  });

  test('a second launch exits and shows the first one’s window', async () => {
    await win.close();
    assert.equal(await secondInstance(env), 0);
    assert.equal(standin().secondInstances.length, 1);
    await until('the window shown', () => win.visible);
  });

  test('Quit: the window goes (its bounds kept), the tray goes; no Electron API was used unimplemented', async () => {
    clickTray('Quit AegisX Instances');
    await until('quit', () => standin().quitDone);
    assert.equal(win.destroyed, true);
    assert.equal(standin().trayDestroyed, true);
    assert.equal((json(prefsFile).windowBounds as { width: number }).width, 1280);
    assert.deepEqual(unimplementedReads(), []);
  });
});
