import type { BrowserWindowConstructorOptions } from 'electron';

export interface Bounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

export const DEFAULT_BOUNDS: Bounds = { width: 1280, height: 800 };

/** The window's options: isolated, sandboxed, no Node in the page; hidden until ready. */
export function windowOptions(
  preload: string,
  bounds: Bounds | undefined,
  icon?: string,
): BrowserWindowConstructorOptions {
  const b = bounds && bounds.width >= 360 && bounds.height >= 300 ? bounds : DEFAULT_BOUNDS;
  return {
    ...b,
    minWidth: 360,
    minHeight: 300,
    show: false,
    title: 'AegisX Instances',
    icon,
    autoHideMenuBar: true,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** Only http(s) links leave the app, and only through the OS browser. */
export function externalUrlAllowed(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** An IPC call is ours only when it comes from our window's main frame showing our page. */
export function isTrustedSender(frameUrl: string | undefined, pageUrl: string): boolean {
  if (!frameUrl) return false;
  try {
    const a = new URL(frameUrl);
    const b = new URL(pageUrl);
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
}

/**
 * An OS notification only when the user is elsewhere: with the window in front, the same news is
 * already in place (a conflict on its card, the engine in the banner, the rest as a toast).
 */
export function wantsOsNotification(windowFocused: boolean): boolean {
  return !windowFocused;
}
