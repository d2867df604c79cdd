import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { endpointHint } from '../../main/docker/engine/connection';
import { RUN } from '../docker/dockerHelpers';
import { holdPort, ROOT, runAxiJson, sandbox, stopChild } from '../helpers';
import { CHROMIUM_ARGS, startServe } from './browserHelpers';

// Evaluated in the page, not in Node: the test project compiles without DOM types.
declare const document: {
  activeElement: { id: string; textContent: string | null } | null;
  querySelector(selector: string): { disabled?: boolean } | null;
};
declare const window: { conflictNotes: number };
declare const sessionStorage: { getItem(key: string): string | null };

const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e');

/** An "engine" that answers a ping and fails everything else: accepted as an endpoint, unusable for status. */
function pingOnlyEngine(): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    const ping = req.url?.startsWith('/_ping');
    res.writeHead(ping ? 200 : 500, { 'Content-Type': 'text/plain' });
    res.end(ping ? 'OK' : 'not an engine');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      const close = () => {
        server.closeAllConnections();
        server.close();
      };
      resolve({ url: `tcp://127.0.0.1:${port}`, close });
    }),
  );
}

describe('Settings in a real browser against axi serve: stored in settings.json, in effect at once', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: 'axitest', AXI_RECHECK_MS: '1000' };
  const settingsFile = path.join(env.AXI_HOME!, 'settings.json');
  const stored = () => (existsSync(settingsFile) ? JSON.parse(readFileSync(settingsFile, 'utf8')) : undefined);
  const dir = sb.folder(`aegisx-starter-set${RUN}`);
  const name = `set${RUN}`;
  const realEngine = endpointHint(env);
  let serve: ChildProcess;
  let browser: Browser;
  let page: Page;
  const dialog = () => page.getByRole('dialog', { name: 'Settings' });
  const open = async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await dialog().waitFor();
  };
  /** Types into a text setting and applies it with Enter. */
  const apply = async (label: string, value: string) => {
    const input = dialog().getByLabel(label, { exact: true });
    await input.fill(value);
    await input.press('Enter');
  };
  const engine = () => page.getByRole('status', { name: 'Docker engine' });

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    assert.ok(realEngine, 'a Docker engine to test against');
    const s = await startServe(env);
    serve = s.child;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(s.url);
    await page.getByText('Docker: connected').waitFor();
  });

  after(async () => {
    await browser?.close();
    await stopChild(serve);
    sb.cleanup();
  });

  test('the panel opens from the header, labelled, focus inside; start at login is disabled with the reason', async () => {
    await open();
    // The dialog holds focus until its fields have loaded, then gives it to the first one.
    await page.waitForFunction(() => document.activeElement?.id === 'set-notifications', undefined, { timeout: 5000 });
    assert.equal(await dialog().getByLabel('Notifications').isChecked(), true);
    const login = dialog().getByLabel('Start at login');
    assert.equal(await login.isDisabled(), true);
    assert.match(
      await dialog().locator('#set-login-hint').innerText(),
      /^Not here: start at login belongs to the desktop app/,
    );
    assert.equal(await dialog().getByLabel('Default bind address').inputValue(), '127.0.0.1');
    assert.match(
      await dialog()
        .getByText(/^Stored in /)
        .innerText(),
      new RegExp(`Stored in ${settingsFile}`),
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'settings-01-open.png') });
  });

  test('a bad default bind is refused inline and nothing is stored; a good one is saved and used by the next registration', async () => {
    await apply('Default bind address', 'my-laptop');
    const error = dialog().locator('#set-bind-error');
    await error.waitFor();
    assert.equal(
      await error.innerText(),
      'defaultBind "my-laptop" is not an IP address (e.g. 127.0.0.1, or 0.0.0.0 for the LAN)',
    );
    assert.equal(await dialog().getByLabel('Default bind address').getAttribute('aria-invalid'), 'true');
    assert.equal(stored(), undefined, 'nothing written');

    // Letters in the router's port are refused by name, not stored as "automatic".
    await apply('Router port', 'abc');
    const portError = dialog().locator('#set-router-port-error');
    await portError.waitFor();
    assert.match(await portError.innerText(), /^routerPort "abc" is not a port number/);
    assert.equal(stored(), undefined, 'nothing written for the port either');

    await apply('Default bind address', '0.0.0.0');
    await dialog().getByText('Saved').waitFor();
    assert.equal(await error.count(), 0, 'the error is gone');
    assert.deepEqual(stored(), { defaultBind: '0.0.0.0' });

    // Escape closes; focus is back on the button that opened it.
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Settings');

    await page.getByLabel('Add a repository folder').fill(dir);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const card = page.getByRole('article', { name: `instance ${name}` });
    await card.getByText('LAN (0.0.0.0)').waitFor();
    const file = readFileSync(path.join(dir, 'docker-compose.instance.yml'), 'utf8');
    assert.match(file, /- '0\.0\.0\.0:\d+:5432'/, 'the instance file publishes on the new default');
  });

  test('notifications off: a port conflict shows on its card but sends no notification; on again: it does', async () => {
    // The window shows conflicts on the card (never as a toast): count the notifications main sends instead.
    // The stream as the page reads it: fetch with the tab's bearer (the token is never a cookie).
    await page.evaluate(async () => {
      window.conflictNotes = 0;
      const token = sessionStorage.getItem('axi-serve-token');
      const res = await fetch('/api/events', { headers: { Authorization: `Bearer ${token}` } });
      const reader = res.body!.getReader();
      const text = new TextDecoder();
      void (async () => {
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buf += text.decode(value, { stream: true });
          let cut: number;
          while ((cut = buf.indexOf('\n\n')) >= 0) {
            const [head, data] = buf.slice(0, cut).split('\ndata: ');
            buf = buf.slice(cut + 2);
            if (head === 'event: notification' && JSON.parse(data!).kind === 'conflict') window.conflictNotes++;
          }
        }
      })();
    });
    await open();
    await dialog().getByLabel('Notifications').uncheck();
    await page.waitForFunction(() => !document.querySelector('#set-notifications')?.disabled);
    assert.equal(stored().notifications, false);
    await page.keyboard.press('Escape');

    const ports = JSON.parse(readFileSync(path.join(env.AXI_HOME!, 'instances.json'), 'utf8')).instances[0].ports;
    const quiet = await holdPort(ports.web);
    try {
      await page
        .getByRole('alert')
        .filter({ hasText: `Port ${ports.web}` })
        .waitFor({ timeout: 10_000 });
      await page.waitForTimeout(2_500); // two more re-checks: time for a notification to have been sent
      assert.equal(await page.evaluate(() => window.conflictNotes), 0);
    } finally {
      await quiet.stop();
    }
    await page
      .getByRole('alert')
      .filter({ hasText: `Port ${ports.web}` })
      .waitFor({ state: 'detached', timeout: 10_000 });

    await open();
    await dialog().getByLabel('Notifications').check();
    await page.waitForFunction(() => !document.querySelector('#set-notifications')?.disabled);
    assert.equal(stored().notifications, true);
    await page.keyboard.press('Escape');
    const loud = await holdPort(ports.api);
    try {
      await page.waitForFunction(() => window.conflictNotes > 0, null, { timeout: 10_000 });
    } finally {
      await loud.stop();
    }
  });

  test('the Docker endpoint: a bad one and a silent one are refused inline (the old kept); a new one is followed at once', async () => {
    await open();
    await apply('Docker endpoint', 'ftp://docker.example');
    const error = dialog().locator('#set-endpoint-error');
    await error.waitFor();
    assert.match(
      await error.innerText(),
      /^dockerEndpoint "ftp:\/\/docker\.example" is not a Docker endpoint: use unix:/,
    );

    await apply('Docker endpoint', 'tcp://127.0.0.1:1');
    await dialog()
      .getByText(/^dockerEndpoint "tcp:\/\/127\.0\.0\.1:1": no Docker engine answered a ping; still using automatic/)
      .waitFor({ timeout: 10_000 });
    assert.equal(await engine().innerText(), 'Docker: connected');
    assert.equal(stored().dockerEndpoint, undefined, 'nothing written');
    await page.screenshot({ path: path.join(ARTIFACTS, 'settings-02-endpoint-refused.png') });

    // An engine that answers the ping but nothing else: taken, and the status follows it to "unreachable".
    const fake = await pingOnlyEngine();
    try {
      await apply('Docker endpoint', fake.url);
      await dialog().getByText('Saved').waitFor();
      assert.equal(stored().dockerEndpoint, fake.url);
      await page.getByText('Docker: unreachable').waitFor({ timeout: 10_000 });
      // One banner for what spans instances; every instance Unknown; no conflict can be told meanwhile.
      await page.getByRole('alert', { name: 'engine unreachable' }).waitFor();
      const states = await page.locator('[data-testid=status]').evaluateAll((els) => els.map((e) => e.dataset.state));
      assert.ok(states.length > 0 && states.every((x) => x === 'Unknown'), states.join());
      assert.equal(await page.locator('.conflict').count(), 0);
    } finally {
      fake.close();
    }

    await apply('Docker endpoint', realEngine!);
    await page.getByText('Docker: connected').waitFor({ timeout: 10_000 });
    assert.deepEqual(stored(), { defaultBind: '0.0.0.0', notifications: true, dockerEndpoint: realEngine });
    await page.screenshot({ path: path.join(ARTIFACTS, 'settings-03-endpoint-back.png') });
  });

  test('the CLI reads the same file: `axi setup` publishes on the default bind the dashboard set', async () => {
    const other = sb.folder(`aegisx-starter-cli${RUN}`);
    const r = await runAxiJson(['setup', other], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'no warning: the file reads');
    assert.match(readFileSync(path.join(other, 'docker-compose.instance.yml'), 'utf8'), /'0\.0\.0\.0:\d+:5432'/);
  });
});
