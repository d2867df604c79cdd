import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { InstanceView } from '../../main/shared/api/table';
import { OverviewFeed } from '../../main/router/feed';
import { startRouter, type RunningRouter } from '../../main/router/server';

import { echoOn, WebSocket } from './wsLib';

/** An upstream like a dev server: echoes request headers, streams SSE, echoes WebSocket messages. */
function upstream(): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      let n = 0;
      const t = setInterval(() => {
        res.write(`data: tick ${++n}\n\n`);
        if (n === 3) {
          clearInterval(t);
          res.end();
        }
      }, 150);
      return;
    }
    if (req.url === '/cut') {
      // A server that dies mid-answer (a tunnel closed, a dev server killed): headers and a part of the body.
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '1000' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 50);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ url: req.url, headers: req.headers }));
  });
  echoOn(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as net.AddressInfo).port })),
  );
}

const view = (id: string, status: string, web: number, host: string, port: number, webState?: string): InstanceView =>
  ({
    id,
    label: id.split('/')[1]!,
    name: id.split('/')[1]!,
    status,
    services: { web: { state: webState ?? (status === 'running' ? 'running' : 'exited'), health: 'none' } },
    ports: { web },
    bind: '127.0.0.1',
    routes: [{ key: 'web', url: `http://${host}:${port}`, web: true }],
  }) as unknown as InstanceView;

function get(port: number, host: string, path = '/'): Promise<{ status: number; body: string; at: number[] }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const at: number[] = [];
    http
      .get({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => {
          body += d.toString();
          at.push(Date.now() - started);
        });
        res.on('end', () => resolve({ status: res.statusCode!, body, at }));
      })
      .on('error', reject);
  });
}

describe('the router as a reverse proxy (real sockets, real http-proxy-3)', () => {
  let up: { server: http.Server; port: number };
  let router: RunningRouter;
  const feed = new OverviewFeed();
  before(async () => {
    up = await upstream();
    router = await startRouter({ feed, port: 0 });
    feed.update({
      instances: [
        view('shop/a', 'running', up.port, 'a.shop.localhost', router.port),
        view('shop/b', 'stopped', up.port + 1, 'b.shop.localhost', router.port),
      ],
    });
  });
  after(async () => {
    await router.close();
    up.server.closeAllConnections();
    up.server.close();
  });

  test('keeps Host and adds X-Forwarded-Host, -Proto and -For', async () => {
    const r = await get(router.port, `a.shop.localhost:${router.port}`, '/x?y=1');
    const { url, headers } = JSON.parse(r.body) as { url: string; headers: Record<string, string> };
    assert.equal(url, '/x?y=1');
    assert.equal(headers.host, `a.shop.localhost:${router.port}`);
    assert.equal(headers['x-forwarded-host'], `a.shop.localhost:${router.port}`);
    assert.equal(headers['x-forwarded-proto'], 'http');
    assert.equal(headers['x-forwarded-for'], '127.0.0.1');
  });

  test('server-sent events arrive as they are sent, not buffered to the end', async () => {
    const r = await get(router.port, 'a.shop.localhost', '/events');
    assert.equal(r.body, 'data: tick 1\n\ndata: tick 2\n\ndata: tick 3\n\n');
    assert.ok(r.at.length >= 3, `three chunks, not one: ${r.at.join(', ')}`);
    assert.ok(r.at[r.at.length - 1]! - r.at[0]! >= 200, `spread over time: ${r.at.join(', ')} ms`);
  });

  test('a WebSocket echoes through the router (hot reload)', async () => {
    const sock = new WebSocket(`ws://127.0.0.1:${router.port}/hmr`, { headers: { Host: 'a.shop.localhost' } });
    await new Promise((resolve, reject) => (sock.once('open', resolve), sock.once('error', reject)));
    const reply = new Promise<string>((resolve) => sock.once('message', (m: Buffer) => resolve(String(m))));
    sock.send('reload please');
    assert.equal(await reply, 'reload please');
    sock.close();
  });

  test('an unknown name: 404 listing the running instances, never another instance', async () => {
    const r = await get(router.port, 'zzz.shop.localhost');
    assert.equal(r.status, 404);
    assert.match(r.body, /No instance is named zzz\.shop\.localhost/);
    assert.match(r.body, new RegExp(`href="http://a\\.shop\\.localhost:${router.port}"`));
    assert.doesNotMatch(r.body, /"url"/, 'no upstream answer');
    assert.doesNotMatch(r.body, /b\.shop\.localhost/, 'only running instances are listed');
  });

  test('a stopped instance: a page saying so with its start command; a WebSocket to it is refused', async () => {
    const r = await get(router.port, 'b.shop.localhost');
    assert.equal(r.status, 503);
    assert.match(r.body, /b is not running/);
    assert.match(r.body, /<code>axi up b<\/code>/);
    const sock = new WebSocket(`ws://127.0.0.1:${router.port}/`, { headers: { Host: 'b.shop.localhost' } });
    const status = await new Promise<number>((resolve) =>
      sock.once('unexpected-response', (_req: unknown, res: http.IncomingMessage) => resolve(res.statusCode!)),
    );
    assert.equal(status, 503);
  });

  test('a partly running instance whose web is not running: a page saying so, never the program holding its port', async () => {
    // fix_login partial (web created, db running) while another program (here the echo server) holds web's port.
    feed.update({ instances: [view('shop/p', 'partial', up.port, 'p.shop.localhost', router.port, 'created')] });
    const r = await get(router.port, 'p.shop.localhost');
    assert.equal(r.status, 503);
    assert.match(r.body, /web of p is not running/);
    assert.match(r.body, /created but not started/);
    assert.match(r.body, /<code>axi up p<\/code>/);
    assert.doesNotMatch(r.body, /"url"/, "not the other program's answer");
    const sock = new WebSocket(`ws://127.0.0.1:${router.port}/hmr`, { headers: { Host: 'p.shop.localhost' } });
    const status = await new Promise<number>((resolve, reject) => {
      sock.once('unexpected-response', (_req: unknown, res: http.IncomingMessage) => resolve(res.statusCode!));
      sock.once('open', () => reject(new Error('the WebSocket reached the other program')));
    });
    assert.equal(status, 503);
    // After a reassign that left web created but not started, on a port nothing answers: the same page.
    feed.update({ instances: [view('shop/p', 'partial', 1, 'p.shop.localhost', router.port, 'created')] });
    const moved = await get(router.port, 'p.shop.localhost');
    assert.equal(moved.status, 503);
    assert.match(moved.body, /web of p is not running/);
    assert.doesNotMatch(moved.body, /did not answer|may still be starting/);
    feed.update({ instances: [view('shop/a', 'running', up.port, 'a.shop.localhost', router.port)] });
  });

  test('an instance that dies mid-answer: the client sees the answer cut, never a request left hanging', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const hung = setTimeout(() => resolve('still waiting after 5 s'), 5000);
      const done = (what: string) => (clearTimeout(hung), resolve(what));
      http
        .get({ host: '127.0.0.1', port: router.port, path: '/cut', headers: { Host: 'a.shop.localhost' } }, (res) => {
          res.resume();
          res.on('close', () => done(res.complete ? 'complete' : 'cut'));
        })
        .on('error', () => done('cut'));
    });
    assert.equal(outcome, 'cut');
    assert.equal((await get(router.port, 'a.shop.localhost')).status, 200, 'the router stays up');
  });

  test('a running instance whose port does not answer: 502 naming it, the router stays up', async () => {
    feed.update({ instances: [view('shop/a', 'running', 1, 'a.shop.localhost', router.port)] });
    const r = await get(router.port, 'a.shop.localhost');
    assert.equal(r.status, 502);
    assert.match(r.body, /a did not answer on 127\.0\.0\.1:1/);
    feed.update({ instances: [view('shop/a', 'running', up.port, 'a.shop.localhost', router.port)] });
    assert.equal((await get(router.port, 'a.shop.localhost')).status, 200, 'the new port, at once');
  });

  test('a remote instance whose tunnel just closed (the overview not told yet): the tunnel page, not "may still be starting"', async () => {
    const remote = { ...view('shop/r', 'running', 1, 'r.shop.localhost', router.port), engine: 'ssh://dev@box' };
    feed.update({ instances: [{ ...remote, tunnel: { state: 'open' } } as InstanceView] });
    const r = await get(router.port, 'r.shop.localhost');
    assert.equal(r.status, 502);
    assert.match(r.body, /r runs on ssh:\/\/dev@box: its tunnel is not open/);
    assert.match(r.body, /<code>axi tunnel r<\/code>/);
    assert.doesNotMatch(r.body, /did not answer/);
    feed.update({ instances: [view('shop/a', 'running', up.port, 'a.shop.localhost', router.port)] });
  });
});
