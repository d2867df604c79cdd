import type { Browser } from 'playwright-core';
import type { MenuItemConstructorOptions, NotificationConstructorOptions, OpenDialogOptions } from 'electron';

/** A window the app opened: its options as given, and (once loaded) its page in Chromium. */
export interface RecordedWindow {
  id: number;
  options: Electron.BrowserWindowConstructorOptions;
  page?: import('playwright-core').Page;
  visible: boolean;
  focused: boolean;
  destroyed: boolean;
  /** Navigations the app's will-navigate listeners let through, or prevented. */
  navigations: { url: string; prevented: boolean }[];
  /** What `window.open` is answered with (the app's setWindowOpenHandler). */
  openHandler?: (details: Electron.HandlerDetails) => Electron.WindowOpenHandlerResponse;
  /** The user closes it (its title bar's close button). */
  close(): Promise<void>;
}

export interface RecordedNotification {
  options: NotificationConstructorOptions;
  /** Clicks it, as the OS notification daemon would report one. */
  click(): void;
}

/**
 * What the stand-in recorded and what a test can answer: shared through
 * globalThis, so the module loaded by require and by import is one Electron.
 */
export interface StandinState {
  userData: string;
  windows: RecordedWindow[];
  /** The tray's context menu templates, latest last. */
  trayMenus: MenuItemConstructorOptions[][];
  trayToolTips: string[];
  trayDestroyed: boolean;
  trayClick?: () => void;
  notifications: RecordedNotification[];
  /** Answers for dialog.showOpenDialog, taken in order; asked with none queued fails. */
  dialogAnswers: string[][];
  dialogs: OpenDialogOptions[];
  shown: { showItemInFolder: string[]; openExternal: string[]; clipboard: string[] };
  loginItem: Electron.Settings[];
  permissionHandlers: {
    request?: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void;
    check?: (wc: unknown, permission: string) => boolean;
  };
  secondInstances: string[][];
  quitting: boolean;
  quitDone: boolean;
  browser?: Promise<Browser>;
}

const KEY = Symbol.for('axi.electronStandin');

export function standin(): StandinState {
  const g = globalThis as unknown as Record<symbol, StandinState | undefined>;
  return (g[KEY] ??= {
    userData: process.env.AXI_STANDIN_USER_DATA ?? '',
    windows: [],
    trayMenus: [],
    trayToolTips: [],
    trayDestroyed: false,
    notifications: [],
    dialogAnswers: [],
    dialogs: [],
    shown: { showItemInFolder: [], openExternal: [], clipboard: [] },
    loginItem: [],
    permissionHandlers: {},
    secondInstances: [],
    quitting: false,
    quitDone: false,
  });
}
