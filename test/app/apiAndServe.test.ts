import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AppController } from '../../main/api/controller';
import { createEngine } from '../../main/docker/engine';
import { RENDERER_DIR } from '../../main/serve/serveCommand';
import { startServer, type RunningServer } from '../../main/serve/server';
import { sandbox } from '../helpers';

function request(port: number, opts: { path: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: opts.path, method: opts.method ?? 'GET', headers: { Host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('API table: every call validated in main', () => {
  const sb = sandbox();
  const engine = createEngine({ paths: sb.service().paths, env: { ...process.env, AXI_PREFIX: 'axitest' } });
  const controller = new AppController({ engine });
  before(() => controller.start());
  after(() => {
    controller.stop();
    sb.cleanup();
  });

  test('unknown methods, bad types and paths that are not folders come back as { code, message }', async () => {
    assert.deepEqual(await controller.invoke('rmRf', []), { ok: false, error: { code: 'BAD_INPUT', message: 'unknown method "rmRf"' } });
    assert.deepEqual(await controller.invoke('__proto__', []), { ok: false, error: { code: 'BAD_INPUT', message: 'unknown method "__proto__"' } });
    const badType = await controller.invoke('startInstance', [42]);
    assert.equal(badType.ok, false);
    assert.match((badType as { error: { message: string } }).error.message, /^bad arguments for startInstance at 0: /);
    const badName = await controller.invoke('stopInstance', ['../../etc']);
    assert.match((badName as { error: { message: string } }).error.message, /not an instance name/);
    const extraKey = await controller.invoke('registerFolder', [{ dir: '/tmp', shell: 'rm -rf /' }]);
    assert.match((extraKey as { error: { message: string } }).error.message, /^bad arguments for registerFolder/);
    const notArray = await controller.invoke('getOverview', 'x');
    assert.equal(notArray.ok, false);

    const file = path.join(sb.dir, 'a-file');
    writeFileSync(file, 'x');
    assert.deepEqual(await controller.invoke('registerFolder', [{ dir: file }]), { ok: false, error: { code: 'BAD_INPUT', message: `not a folder: ${file}` } });
    const missing = path.join(sb.dir, 'nope');
    assert.deepEqual(await controller.invoke('registerFolder', [{ dir: missing }]), { ok: false, error: { code: 'BAD_INPUT', message: `folder does not exist: ${missing}` } });
    assert.deepEqual(await controller.invoke('startInstance', ['ghost']), { ok: false, error: { code: 'NOT_FOUND', message: 'no registered instance named or in "ghost"; see axi list' } });
    assert.deepEqual(await controller.invoke('revealFolder', ['ghost']), { ok: false, error: { code: 'NOT_FOUND', message: 'no registered instance named or in "ghost"; see axi list' } });
  });

  test('a valid registration returns the instance with its ports and files, and the overview follows', async () => {
    const dir = sb.folder('aegisx-starter-api-check');
    const seen = new Promise((resolve) => controller.on('overview', (o) => o.instances.some((i: { name: string }) => i.name === 'api_check') && resolve(o)));
    const r = await controller.invoke('registerFolder', [{ dir }]);
    assert.equal(r.ok, true);
    const v = (r as { value: { instance: { name: string; ports: Record<string, number>; status: string }; written: Record<string, string> } }).value;
    assert.equal(v.instance.name, 'api_check');
    assert.equal(Object.keys(v.instance.ports).length, 6);
    assert.equal(v.instance.status, 'not-created');
    assert.deepEqual(Object.values(v.written), ['created', 'created']);
    await seen;
  });

  describe('axi serve over HTTP', () => {
    let server: RunningServer;
    before(async () => {
      server = await startServer({ controller, staticDir: RENDERER_DIR, port: 0 });
    });
    after(() => server.close());

    test('bound to loopback; everything without the token is 401; the token becomes a cookie', async () => {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
      assert.equal((await request(server.port, { path: '/' })).status, 401);
      assert.equal((await request(server.port, { path: '/api/events' })).status, 401);
      assert.equal((await request(server.port, { path: '/api/overview' })).status, 401);
      assert.equal((await request(server.port, { path: '/api/call', method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"method":"getOverview","args":[]}' })).status, 401);
      assert.equal((await request(server.port, { path: '/?token=wrong' })).status, 401);
      const first = await request(server.port, { path: `/?token=${server.token}` });
      assert.equal(first.status, 303);
      assert.equal(first.headers.location, '/');
      const cookie = String(first.headers['set-cookie']).split(';')[0]!;
      assert.match(String(first.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
      const page = await request(server.port, { path: '/', headers: { Cookie: cookie } });
      assert.equal(page.status, 200);
      assert.match(page.body, /<div id="root">/);
      assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
      assert.match(page.body, /<link rel="preload" href="\/api\/overview" as="fetch" crossorigin="anonymous" \/>/);
      const overview = await request(server.port, { path: '/api/overview', headers: { Cookie: cookie } });
      assert.equal(JSON.parse(overview.body).value.instances.length >= 1, true);
      const call = await request(server.port, { path: '/api/call', method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body: '{"method":"getOverview","args":[]}' });
      assert.equal(call.status, 200);
      assert.equal(JSON.parse(call.body).ok, true);
    });

    test('a Host or Origin that is not its own is refused (DNS rebinding, cross-site calls)', async () => {
      const auth = { Authorization: `Bearer ${server.token}` };
      const rebound = await request(server.port, { path: '/', headers: { ...auth, Host: `evil.example:${server.port}` } });
      assert.equal(rebound.status, 403);
      const crossSite = await request(server.port, { path: '/api/call', method: 'POST', headers: { ...auth, Origin: 'http://evil.example', 'Content-Type': 'application/json' }, body: '{"method":"getOverview","args":[]}' });
      assert.equal(crossSite.status, 403);
      const sameOrigin = await request(server.port, { path: '/api/call', method: 'POST', headers: { ...auth, Origin: `http://127.0.0.1:${server.port}`, 'Content-Type': 'application/json' }, body: '{"method":"getOverview","args":[]}' });
      assert.equal(sameOrigin.status, 200);
      const traversal = await request(server.port, { path: '/..%2f..%2fpackage.json', headers: auth });
      assert.equal(traversal.status, 404);
    });
  });
});
