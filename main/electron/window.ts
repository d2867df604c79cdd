import path from 'node:path';
import { BrowserWindow, session, shell } from 'electron';
import type { PreferenceStore } from './preferences';
import { externalUrlAllowed, windowOptions } from './windowPolicy';

export interface WindowManager {
  show(instance?: string | null): void;
  /** Shows the window with its Settings panel open (the tray's "Settings…"). */
  showSettings(): void;
  /** Shows the window asking about an instance's host access (the tray's "Start…" of one nobody accepted). */
  showTrust(instance: string): void;
  webContents(): Electron.WebContents | undefined;
  /** The window is shown and has the keyboard: what it shows in place needs no OS notification. */
  focused(): boolean;
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
  /** Asks an open page to show its Settings panel. */
  onSettings: () => void;
  /** Asks an open page to show an instance's host-access dialog. */
  onTrust: (instance: string) => void;
}): WindowManager {
  const page = path.join(opts.distDir, 'renderer', 'index.html');
  const pageUrl = `file://${page}`;
  let win: BrowserWindow | undefined;
  let quitting = false;
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  // A new page opens the panel from its URL (#settings): an event would arrive before it listens.
  const create = (hash?: string) => {
    win = new BrowserWindow(
      windowOptions(
        path.join(opts.distDir, 'preload', 'index.js'),
        opts.prefs.windowBounds(),
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
      opts.prefs.setWindowBounds(win!.getBounds());
      if (!quitting) {
        e.preventDefault();
        win!.hide();
      }
    });
    win.on('closed', () => (win = undefined));
    win.once('ready-to-show', () => win?.show());
    void win.loadFile(page, hash ? { hash } : undefined);
  };

  const reveal = (w: BrowserWindow) => {
    if (w.isMinimized()) w.restore();
    w.show();
    w.focus();
  };
  return {
    focused: () => Boolean(win && !win.isDestroyed() && win.isVisible() && win.isFocused()),
    show(instance) {
      if (!win) create();
      else reveal(win);
      if (instance) opts.onFocus(instance);
    },
    showSettings() {
      if (!win) return create('settings');
      reveal(win);
      opts.onSettings();
    },
    showTrust(instance) {
      if (!win) return create(`trust=${encodeURIComponent(instance)}`);
      reveal(win);
      opts.onTrust(instance);
    },
    webContents: () => win?.webContents,
    pageUrl: () => pageUrl,
    setQuitting: () => (quitting = true),
  };
}
