import path from 'node:path';
import { BrowserWindow, session, shell } from 'electron';
import type { PreferenceStore } from './preferences';
import { externalUrlAllowed, windowOptions } from './windowPolicy';

export interface WindowManager {
  show(instance?: string | null): void;
  webContents(): Electron.WebContents | undefined;
  pageUrl(): string;
  setQuitting(): void;
}

/**
 * One window, created on demand, hidden (not closed) to the tray; navigation
 * and new windows denied, http(s) links handed to the OS browser, every
 * permission request refused.
 */
export function setupWindow(opts: {
  prefs: PreferenceStore;
  distDir: string;
  iconsDir: string;
  onFocus: (instance: string) => void;
}): WindowManager {
  const page = path.join(opts.distDir, 'renderer', 'index.html');
  const pageUrl = `file://${page}`;
  let win: BrowserWindow | undefined;
  let quitting = false;
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  const create = () => {
    win = new BrowserWindow(
      windowOptions(
        path.join(opts.distDir, 'preload', 'index.js'),
        opts.prefs.get('windowBounds'),
        path.join(opts.iconsDir, 'app-256.png'),
      ),
    );
    win.webContents.setWindowOpenHandler(({ url }) => {
      if (externalUrlAllowed(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    win.webContents.on('will-navigate', (e) => e.preventDefault());
    win.webContents.on('will-attach-webview', (e) => e.preventDefault());
    win.on('close', (e) => {
      opts.prefs.set('windowBounds', win!.getBounds());
      if (!quitting) {
        e.preventDefault();
        win!.hide();
      }
    });
    win.on('closed', () => (win = undefined));
    win.once('ready-to-show', () => win?.show());
    void win.loadFile(page);
  };

  return {
    show(instance) {
      if (!win) create();
      else {
        if (win.isMinimized()) win.restore();
        win.show();
        win.focus();
      }
      if (instance) opts.onFocus(instance);
    },
    webContents: () => win?.webContents,
    pageUrl: () => pageUrl,
    setQuitting: () => (quitting = true),
  };
}
