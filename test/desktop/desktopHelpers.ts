import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { Page } from 'playwright-core';
import { ROOT, until } from '../helpers';
import { appImpl } from './standin/app';
import { clickMenuItem } from './standin/menus';
import { standin, type RecordedWindow } from './standin/state';

export { until }; // the desktop suites' poller, shared with the others

export const MAIN_JS = path.join(ROOT, 'dist', 'main', 'electron', 'main.js');
const REGISTER = path.join(__dirname, 'standin', 'register.js');

/** The app's main process, started in this process under the stand-in (main runs once per process). */
export function startApp(env: NodeJS.ProcessEnv): void {
  Object.assign(process.env, env);
  const load = createRequire(__filename);
  load(REGISTER);
  load(MAIN_JS);
}

/** The one window, once its page has loaded. */
export async function mainWindow(): Promise<{ rec: RecordedWindow; page: Page }> {
  const rec = await until('the window', () => standin().windows.find((w) => !w.destroyed && w.page && w.visible));
  return { rec, page: rec.page! };
}

/** The tray's latest menu. */
export function trayMenu(): MenuItemConstructorOptions[] {
  const menu = standin().trayMenus.at(-1);
  assert.ok(menu, 'the tray has a menu');
  return menu;
}

/** An item by its label (a RegExp matches), in the menu or a submenu under the labels before it. */
export function trayItem(...labels: (string | RegExp)[]): MenuItemConstructorOptions | undefined {
  let items: MenuItemConstructorOptions[] | undefined = trayMenu();
  let found: MenuItemConstructorOptions | undefined;
  for (const l of labels) {
    found = items?.find((i) => (typeof l === 'string' ? i.label === l : l.test(i.label ?? '')));
    items = Array.isArray(found?.submenu) ? found.submenu : undefined;
  }
  return found;
}

export function clickTray(...labels: (string | RegExp)[]): void {
  const item = trayItem(...labels);
  assert.ok(item, `tray item ${labels.join(' › ')} in ${JSON.stringify(trayMenu().map((i) => i.label))}`);
  clickMenuItem(item, () => appImpl.quit());
}

/** A second launch of the app (its own process, same user data): resolves with its exit code. */
export function secondInstance(env: NodeJS.ProcessEnv): Promise<number | null> {
  const child = spawn(process.execPath, ['--require', REGISTER, MAIN_JS, '--second'], {
    env: { ...env, AXI_STANDIN_EXIT_ON_QUIT: '1' },
    stdio: 'inherit',
  });
  const timer = setTimeout(() => child.kill(), 10_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    }),
  );
}
