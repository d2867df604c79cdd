import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { sandbox } from '../helpers';
import { openDashboard, type Dashboard } from './browserHelpers';

/** A local dev server that records every request's headers: what another program on this machine would see. */
function sniffer(): Promise<{ port: number; seen: http.IncomingHttpHeaders[]; urls: string[]; close(): void }> {
  const seen: http.IncomingHttpHeaders[] = [];
  const urls: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    urls.push(req.url ?? '');
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<html><body><img src="/pixel.png"><script src="/app.js"></script>a dev server</body></html>');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        seen,
        urls,
        close: () => void server.close(),
      }),
    ),
  );
}

/**
 * The dashboard's key stays with the dashboard: after it was opened (and used) in Chromium, a server on
 * another port of 127.0.0.1 and one reached as localhost, visited in the same browser, receive no credential.
 */
describe('axi serve’s key, in the browser', () => {
  const sb = sandbox();
  let dash: Dashboard;
  before(async () => {
    dash = await openDashboard({ ...sb.env, AXI_PREFIX: 'axitest' });
  });
  after(async () => {
    await dash?.close();
    sb.cleanup();
  });

  test('two other local servers visited after the dashboard get no cookie, no token, no header of it', async () => {
    const { page } = dash;
    await page.getByRole('heading', { level: 1 }).waitFor({ timeout: 15_000 });
    // The page works: its overview and event stream answered (the engine's state is shown).
    assert.equal(await page.getByText('open the URL that axi serve printed').count(), 0);
    const token = new URL(dash.url).searchParams.get('token')!;
    assert.equal(new URL(page.url()).searchParams.get('token'), null, 'the token left the address bar');
    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.deepEqual(await page.context().cookies(), [], 'no cookie at all');

    const a = await sniffer();
    const b = await sniffer();
    try {
      // In the dashboard's own tab (the same browser profile): what a user does next.
      for (const url of [`http://127.0.0.1:${a.port}/`, `http://localhost:${b.port}/`]) {
        await page.goto(url);
        await page.waitForLoadState('networkidle');
      }
      for (const s of [a, b]) {
        assert.ok(s.seen.length >= 2, `the sniffer was visited: ${s.urls.join(', ')}`);
        const all = JSON.stringify(s.seen) + s.urls.join(' ');
        assert.equal(all.includes(token), false, `the token reached ${s.port}: ${all}`);
        assert.equal(s.seen.filter((h) => h.cookie || h.authorization).length, 0, all);
      }
    } finally {
      a.close();
      b.close();
    }
  });

  test('a tab without the printed link says it needs it and how to get it, not "connecting…"', async () => {
    const origin = new URL(dash.url).origin;
    const refused: string[] = [];
    // A new tab (its own session storage), and a tab whose key is from an earlier run of axi serve.
    for (const [where, setup] of [
      ['a new tab', async () => undefined],
      [
        'a stale key',
        async (p: import('playwright-core').Page) => {
          await p.goto(`${origin}/`);
          await p.evaluate(() => (globalThis as any).sessionStorage.setItem('axi-serve-token', 'an-earlier-key'));
        },
      ],
    ] as const) {
      const tab = await dash.browser.newPage();
      tab.on('response', (r) => r.status() === 401 && refused.push(`${where}: ${r.url()}`));
      try {
        await setup(tab);
        await tab.goto(`${origin}/`);
        const alert = tab.getByRole('alert');
        await alert
          .getByRole('heading', { name: 'This page needs the link that axi serve printed' })
          .waitFor({ timeout: 10_000 });
        assert.match(await alert.innerText(), /terminal where axi serve runs/);
        assert.equal(await tab.getByText('connecting…').count(), 0, where);
        assert.equal(await tab.getByText('0 instances').count(), 0, where);
        // It does not keep knocking: at most one refused request per stream in 3 s.
        const before = refused.length;
        await tab.waitForTimeout(3000);
        assert.ok(refused.length - before <= 0, `${where} kept asking: ${refused.join(', ')}`);
      } finally {
        await tab.close();
      }
    }
    assert.ok(refused.length <= 2, `refused requests: ${refused.join(', ')}`);
  });
});
