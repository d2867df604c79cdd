import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { composeDown, exec, psql, RUN } from '../docker/dockerHelpers';
import { AXI_BIN, holdPort, ROOT, sandbox } from '../helpers';

// Evaluated in the page, not in Node: the test project compiles without DOM types.
declare const document: any;
declare const window: any;
declare const DataTransfer: any;

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e');

/** `axi serve` as a user runs it, in its own process; resolves with the URL it prints. */
export function startServe(env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [AXI_BIN, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const url = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/.exec(out)?.[1];
      if (url) resolve({ url, child });
    });
    child.once('exit', (code) => reject(new Error(`axi serve exited ${code}: ${err}`)));
  });
}

describe('the dashboard in a real browser against axi serve and the real engine', () => {
  const sb = sandbox();
  const env = { ...sb.env, AXI_PREFIX: 'axitest', AXI_RECHECK_MS: '1000' };
  const dir = sb.folder(`aegisx-starter-e2e${RUN}`);
  const name = `e2e${RUN}`;
  let serve: ChildProcess;
  let browser: Browser;
  let page: Page;
  let ports: Record<string, number> = {};
  const shot = (file: string) => page.screenshot({ path: path.join(ARTIFACTS, file), fullPage: true });
  const card = () => page.getByRole('article', { name: `instance ${name}` });

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const s = await startServe(env);
    serve = s.child;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(s.url);
  });

  after(async () => {
    await browser?.close();
    serve?.kill('SIGTERM');
    await composeDown(`axitest_${name}`, path.join(dir, 'docker-compose.instance.yml'));
    sb.cleanup();
  });

  test('an empty registry shows how to start', async () => {
    await page.getByRole('heading', { name: 'No instances yet' }).waitFor();
    await page.getByText('Docker: connected').waitFor();
    await shot('01-empty.png');
  });

  test('dropping a folder registers it and shows its ports and files at once', async () => {
    const dt = await page.evaluateHandle((uri) => {
      const d = new DataTransfer();
      d.setData('text/uri-list', uri);
      return d;
    }, `file://${encodeURI(dir)}`);
    await page.dispatchEvent('.app', 'dragenter', { dataTransfer: dt });
    await page.getByText('Drop folders to register them').waitFor();
    await page.dispatchEvent('.app', 'drop', { dataTransfer: dt });
    await card().waitFor();
    const result = page.locator('.results li.ok');
    await result.waitFor();
    const text = await result.innerText();
    ports = Object.fromEntries([...text.matchAll(/(postgres|redis|api|web|admin|pgadmin) (\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
    assert.equal(Object.keys(ports).length, 6, text);
    assert.match(text, /\.env\.local created, docker-compose\.instance\.yml created/);
    assert.equal(await card().locator('[data-port="web"] b').innerText(), String(ports.web));
    assert.equal(await card().getByTestId('status').innerText(), 'not-created');
    await shot('02-registered.png');

    // A path that is not a folder says why, in place.
    const bad = await page.evaluateHandle(() => {
      const d = new DataTransfer();
      d.setData('text/uri-list', 'file:///definitely/not/here');
      return d;
    });
    await page.dispatchEvent('.app', 'drop', { dataTransfer: bad });
    await page.getByText('folder does not exist: /definitely/not/here').waitFor();
  });

  test('Start shows progress, then running and healthy', async () => {
    await card().getByRole('button', { name: 'Start' }).click();
    // Busy at once: the status says so and the actions wait.
    await page.waitForFunction((n) => document.querySelector(`#instance-${n} [data-testid=status]`)?.textContent === 'start…', name, { timeout: 5_000 });
    assert.ok(await card().getByRole('button', { name: 'Reset…' }).isDisabled());
    await card().locator('[data-service="postgres"]', { hasText: 'healthy' }).waitFor({ timeout: 90_000 });
    await card().locator('[data-service="redis"]', { hasText: 'healthy' }).waitFor({ timeout: 30_000 });
    await page.waitForFunction((n) => document.querySelector(`#instance-${n} [data-testid=status]`)?.textContent === 'running', name, { timeout: 30_000 });
    await page.locator('.toast', { hasText: `${name} is ready` }).waitFor({ timeout: 10_000 });
    await shot('03-running.png');
    assert.equal(await psql(ports.postgres!, 'select 1'), '1');
  });

  test('another program listening on a registered port: a conflict banner and a notification', async () => {
    const holder = await holdPort(ports.web!);
    try {
      const banner = page.getByRole('alert').filter({ hasText: `Port ${ports.web}` });
      await banner.waitFor({ timeout: 10_000 });
      assert.match(await banner.innerText(), new RegExp(`Port ${ports.web} \\(web\\) of ${name} is in use by node \\(pid ${holder.pid}\\)`));
      await page.locator('.toast', { hasText: 'Port conflict' }).waitFor({ timeout: 5_000 });
      assert.ok(await banner.getByRole('button', { name: `Reassign ports of ${name}` }).isEnabled());
      await shot('04-conflict.png');
    } finally {
      await holder.stop();
    }
    await page.getByRole('alert').filter({ hasText: `Port ${ports.web}` }).waitFor({ state: 'detached', timeout: 10_000 });
  });

  test('Reset asks first, naming what is lost and the snapshot; then the database is fresh', async () => {
    await psql(ports.postgres!, 'create table before_reset(x int)');
    await card().getByRole('button', { name: 'Reset…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const text = await dialog.innerText();
    assert.match(text, new RegExp(`axitest_${name}_postgres_data`));
    assert.match(text, /Keep a snapshot first/);
    await shot('05-reset-dialog.png');
    await dialog.getByRole('button', { name: `Reset ${name}` }).click();
    await dialog.waitFor({ state: 'detached', timeout: 120_000 });
    await card().locator('[data-service="postgres"]', { hasText: 'healthy' }).waitFor({ timeout: 90_000 });
    assert.equal(await psql(ports.postgres!, "select count(*) from pg_tables where tablename = 'before_reset'"), '0');
    const snaps = await exec(process.execPath, [AXI_BIN, 'snapshots', name, '--json'], env);
    assert.equal(JSON.parse(snaps.stdout).length, 1);
  });

  test('Stop → stopped; readable at a narrow width', async () => {
    await card().getByRole('button', { name: 'Stop' }).click();
    await page.waitForFunction((n) => document.querySelector(`#instance-${n} [data-testid=status]`)?.textContent === 'stopped', name, { timeout: 60_000 });
    await shot('06-stopped.png');
    await page.setViewportSize({ width: 400, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px at 400px`);
    await shot('07-narrow.png');
  });
});
