import { spawn, type ChildProcess } from 'node:child_process';
import { after, before } from 'node:test';
import { chromium, type Browser, type JSHandle, type Locator, type Page } from 'playwright-core';
import { removeOwned } from '../docker/dockerHelpers';
import { AXI_BIN, stopChild, type Sandbox } from '../helpers';

// Evaluated in the page, not in Node: the test project compiles without DOM types.
declare const DataTransfer: any;

/** Debian's Chromium, headless, as the browser suites start it (as root: no sandbox). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** Debian's Chromium, headless, with the suites' flags. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** `axi serve` as a user runs it, in its own process; resolves with the URL it prints. */
export function startServe(env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [AXI_BIN, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const url = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/.exec(out)?.[1];
      if (url) resolve({ url, child });
    });
    child.once('exit', (code) => reject(new Error(`axi serve exited ${code}: ${err}`)));
  });
}

/** `axi serve` and Debian's Chromium with one page open on it: what every browser suite starts from. */
export interface Dashboard {
  serve: ChildProcess;
  browser: Browser;
  page: Page;
  url: string;
  close(): Promise<void>;
}

export async function openDashboard(env: NodeJS.ProcessEnv): Promise<Dashboard> {
  const s = await startServe(env);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(s.url);
  return {
    serve: s.child,
    browser,
    page,
    url: s.url,
    async close() {
      await browser.close();
      await stopChild(s.child);
    },
  };
}

/** Chooses one of an instance's less used actions: its More menu, then the item (as a user clicks them). */
export async function moreAction(item: Locator, name: string): Promise<void> {
  await item.getByRole('button', { name: 'More' }).click();
  await item.page().getByRole('menuitem', { name }).click();
}

/**
 * A suite's window on its sandbox's empty registry: opened in a before-hook (after the suite's own earlier ones),
 * handed to `opened`, shown empty; after the tests, closed, then what the sandbox made on the engine and the
 * sandbox itself removed.
 */
export function dashboardHooks(sb: Sandbox, env: NodeJS.ProcessEnv, opened: (d: Dashboard) => void): void {
  let dash: Dashboard | undefined;
  before(async () => {
    dash = await openDashboard(env);
    opened(dash);
    await dash.page.getByRole('heading', { name: 'No instances yet' }).waitFor();
  });
  after(async () => {
    await dash?.close();
    await removeOwned(env);
    sb.cleanup();
  });
}

/** What a file manager's drag of a folder carries (its file:// URI), to dispatch as a drag or a drop. */
export function folderTransfer(page: Page, dir: string): Promise<JSHandle> {
  return page.evaluateHandle(
    (uri) => {
      const d = new DataTransfer();
      d.setData('text/uri-list', uri);
      return d;
    },
    `file://${encodeURI(dir)}`,
  );
}
