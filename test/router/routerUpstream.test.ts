import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { InstanceView } from '../../main/shared/api/table';
import { OverviewFeed } from '../../main/router/feed';
import { hasIpv6Loopback } from '../../main/router/listen';
import { startRouter, type RunningRouter } from '../../main/router/server';
import { get } from './routerHelpers';

/**
 * A raw TCP server answering every request with `answer` and closing, as busybox httpd does for a CGI
 * script: its status line ends in CRLF, the script's headers (written with `echo`) in LF only.
 */
function rawServer(answer: string): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer((c) => {
    c.on('error', () => undefined);
    c.once('data', () => c.end(answer));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as net.AddressInfo).port })),
  );
}

const view = (name: string, web: number, routerPort: number): InstanceView =>
  ({
    id: `shop/${name}`,
    label: name,
    name,
    status: 'running',
    services: { web: { state: 'running', health: 'none' } },
    ports: { web },
    bind: '127.0.0.1',
    routes: [{ key: 'web', url: `http://${name}.shop.localhost:${routerPort}`, web: true }],
  }) as unknown as InstanceView;

/** Sends `raw` to the router as is; resolves with what it answers (up to its close). */
function rawRequest(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1', () => c.write(raw));
    let got = '';
    c.on('data', (d: Buffer) => (got += d.toString()));
    c.on('close', () => resolve(got));
    c.on('error', reject);
  });
}

describe('the router and what an instance answers (raw sockets)', () => {
  let cgi: { server: net.Server; port: number };
  let junk: { server: net.Server; port: number };
  let router: RunningRouter;
  const feed = new OverviewFeed();
  before(async () => {
    cgi = await rawServer(
      'HTTP/1.1 200 OK\r\nContent-Type: text/html\nSet-Cookie: session=abc; Path=/\n\n<p>logged in</p>\n',
    );
    junk = await rawServer('SPEAKS NO HTTP\r\n\r\n');
    router = await startRouter({ feed, port: 0 });
    feed.update({ instances: [view('cgi', cgi.port, router.port), view('junk', junk.port, router.port)] });
  });
  after(async () => {
    await router.close();
    cgi.server.close();
    junk.server.close();
  });

  test('headers ending in LF only (a busybox httpd CGI) pass through, as browsers and curl take them', async () => {
    const r = await get(router.port, 'cgi.shop.localhost');
    assert.equal(r.status, 200, r.body);
    assert.equal(r.body, '<p>logged in</p>\n');
  });

  test('an answer the router cannot read: a page saying so, not "it may still be starting"', async () => {
    const r = await get(router.port, 'junk.shop.localhost');
    assert.equal(r.status, 502);
    assert.match(r.body, /answered with a response the router could not read: Parse Error/);
    assert.doesNotMatch(r.body, /may still be starting|did not answer/);
  });

  test('it answers on both loopbacks a name resolves to (::1 too, as `axi router hosts` writes it; curl -6)', async () => {
    assert.ok(hasIpv6Loopback(), 'this machine has ::1 (the test needs it)');
    assert.deepEqual(router.addresses, ['127.0.0.1', '::1']);
    const r = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const headers = { Host: `cgi.shop.localhost:${router.port}` };
      http
        .get({ host: '::1', family: 6, port: router.port, headers, agent: false }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        })
        .on('error', reject);
    });
    assert.deepEqual(r, { status: 200, body: '<p>logged in</p>\n' });
  });

  test('a port another program holds on ::1 is a conflict, one line, and 127.0.0.1 is let go again', async () => {
    const other = net.createServer();
    await new Promise<void>((r) => other.listen(0, '::1', r));
    const port = (other.address() as net.AddressInfo).port;
    try {
      await assert.rejects(startRouter({ feed, port }), new RegExp(`router port ${port} is in use on \\[::1\\]`));
      const v4 = net.createServer();
      await new Promise<void>((r) => v4.listen(port, '127.0.0.1', r));
      await new Promise((r) => v4.close(r));
    } finally {
      await new Promise((r) => other.close(r));
    }
  });

  test("the router's own server stays strict with clients: a request with LF-only headers is refused", async () => {
    const answer = await rawRequest(router.port, 'GET / HTTP/1.1\nHost: cgi.shop.localhost\n\n');
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.doesNotMatch(answer, /logged in/);
  });
});
