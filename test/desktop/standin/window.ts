import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import type { BrowserWindowConstructorOptions, IpcMainInvokeEvent } from 'electron';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../app/browserHelpers';
import { beforeQuitEnds } from './app';
import { installPageBridge, runPreload, type LoadedPreload } from './preload';
import { strict, strictClass } from './strict';
import { standin, type RecordedWindow } from './state';

const live: StandinWindow[] = [];

function browser() {
  const s = standin();
  // Electron's file: scheme loads a page's module scripts (Vite's `type="module" crossorigin`); Chromium's needs this flag.
  const args = [...CHROMIUM_ARGS, '--allow-file-access-from-files'];
  return (s.browser ??= chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args }));
}

/** Only the window the app asks for is modelled: isolated, sandboxed, no Node; anything else fails at once. */
function checkSecure(o: BrowserWindowConstructorOptions): void {
  const w = o.webPreferences ?? {};
  if (w.contextIsolation === false || w.sandbox !== true || w.nodeIntegration === true)
    throw new Error('electron stand-in: only sandboxed, context-isolated windows without Node are implemented');
}

class StandinWebContents extends EventEmitter {
  constructor(private readonly win: StandinWindow) {
    super();
  }
  send(channel: string, ...args: unknown[]): void {
    this.win.toPreload(channel, args);
  }
  setWindowOpenHandler(handler: NonNullable<RecordedWindow['openHandler']>): void {
    this.win.rec.openHandler = handler;
  }
  getURL(): string {
    return this.win.rec.page?.url() ?? '';
  }
  isDestroyed(): boolean {
    return this.win.rec.destroyed;
  }
}

class StandinWindow extends EventEmitter {
  readonly rec: RecordedWindow;
  readonly webContents: StandinWebContents;
  private preload?: LoadedPreload;
  private loading?: string;
  private readonly page: Promise<Page>;

  static getAllWindows(): StandinWindow[] {
    return live.filter((w) => !w.rec.destroyed);
  }

  constructor(options: BrowserWindowConstructorOptions) {
    super();
    checkSecure(options);
    this.rec = {
      id: standin().windows.length + 1,
      options,
      visible: false,
      focused: false,
      destroyed: false,
      navigations: [],
      close: () => this.close(),
    };
    standin().windows.push(this.rec);
    this.webContents = strict('WebContents', new StandinWebContents(this));
    this.page = this.open();
    live.push(this);
  }

  private async open(): Promise<Page> {
    const { width = 800, height = 600 } = this.rec.options;
    const context = await (await browser()).newContext({ viewport: { width, height } });
    const page = await context.newPage();
    // What Electron's DevTools would show: page errors always, the console when asked.
    page.on('pageerror', (e) => console.error(`[window ${this.rec.id}] ${e.stack ?? e.message}`));
    if (process.env.AXI_STANDIN_DEBUG) page.on('console', (m) => console.error(`[window ${this.rec.id}] ${m.text()}`));
    // will-navigate: a navigation the page starts (a link, location.href) is offered to the app first.
    await page.route('**/*', (route) => {
      const req = route.request();
      if (!req.isNavigationRequest() || req.frame() !== page.mainFrame()) return route.continue();
      if (req.url() === this.loading) return route.continue(); // loadFile's own navigation
      let prevented = false;
      const event = { url: req.url(), preventDefault: () => (prevented = true) };
      this.webContents.emit('will-navigate', event, req.url());
      this.rec.navigations.push({ url: req.url(), prevented });
      return prevented ? route.abort('aborted') : route.continue();
    });
    this.rec.page = page;
    return page;
  }

  /** ipcMain handlers see this window's webContents and its main frame, as Electron gives them. */
  private invokeEvent = (): IpcMainInvokeEvent => {
    const url = this.webContents.getURL();
    const senderFrame = strict('WebFrameMain', { url, origin: new URL(url).origin, top: null });
    return strict('IpcMainInvokeEvent', {
      sender: this.webContents,
      senderFrame,
      processId: 1,
      frameId: 1,
      preventDefault() {},
    }) as unknown as IpcMainInvokeEvent;
  };

  async loadFile(file: string, options?: { hash?: string }): Promise<void> {
    const page = await this.page;
    const preloadFile = this.rec.options.webPreferences?.preload;
    if (preloadFile) {
      this.preload = runPreload(preloadFile, this.invokeEvent);
      await installPageBridge(page, this.preload.exposed);
    }
    this.loading = pathToFileURL(file).href;
    await page.goto(this.loading + (options?.hash ? `#${options.hash}` : ''));
    this.loading = undefined;
    this.webContents.emit('did-finish-load');
    this.emit('ready-to-show');
  }

  toPreload(channel: string, args: unknown[]): void {
    this.preload?.emit(channel, args);
  }

  show(): void {
    this.rec.visible = true;
    this.focus();
  }
  hide(): void {
    this.rec.visible = false;
    this.rec.focused = false;
  }
  focus(): void {
    this.rec.focused = true;
  }
  isMinimized = () => false;
  restore = () => undefined;
  isVisible = () => this.rec.visible;
  isFocused = () => this.rec.focused;
  isDestroyed = () => this.rec.destroyed;
  getBounds(): Electron.Rectangle {
    const { x = 0, y = 0, width = 800, height = 600 } = this.rec.options;
    return { x, y, width, height };
  }
  /** close: preventable (the app hides to the tray instead); else the page goes and `closed` follows. */
  async close(): Promise<void> {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.rec.destroyed = true;
    this.rec.visible = false;
    await (await this.page).context().close();
    this.emit('closed');
  }
}

export const BrowserWindow = strictClass('BrowserWindow', StandinWindow);

/** At quit: every window closed (the app let them), then Chromium. */
export async function closeAllWindows(): Promise<void> {
  for (const w of StandinWindow.getAllWindows()) await w.close();
  const b = standin().browser;
  standin().browser = undefined;
  if (b) await (await b).close();
}
beforeQuitEnds.push(closeAllWindows);
