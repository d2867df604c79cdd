import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setupController } from '../../main/api/controller/controller';
import { createBackend } from '../../main/docker/lifecycle/backend';
import { RENDERER_DIR as BUILT } from '../../main/serve/serveCommand';
import {
  BODY_LIMIT,
  MAX_EVENT_STREAMS,
  startServer,
  type RunningServer,
  type ServedController,
} from '../../main/serve/server';
import { sandbox } from '../helpers';

const RENDERER_DIR = BUILT!; // npm run build ran before the tests

function request(
  port: number,
  opts: { path: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: opts.path,
        method: opts.method ?? 'GET',
        headers: { Host: `127.0.0.1:${port}`, ...opts.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** Sends `chunks` but never ends the body: answers only come from a server that stops reading early. */
function partialPost(port: number, headers: Record<string, string>, chunks: Buffer[]): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/call',
        method: 'POST',
        agent: false,
        headers: { Host: `127.0.0.1:${port}`, 'Content-Type': 'application/json', ...headers },
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => {
          resolve({ status: res.statusCode!, headers: res.headers, body });
          req.destroy();
        });
      },
    );
    req.on('error', reject); // no-op once resolved: the server may reset the unread rest
    for (const c of chunks) req.write(c);
  });
}

interface Stream extends Reply {
  close(): void;
}

/** Opens /api/events on its own socket; resolves on the first frame, or on the whole body of a refusal. */
function openStream(port: number, token: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: '/api/events',
        agent: false,
        headers: { Host: `127.0.0.1:${port}`, Authorization: `Bearer ${token}` },
      },
      (res) => {
        const reply = (body: string) =>
          resolve({ status: res.statusCode!, headers: res.headers, body, close: () => req.destroy() });
        if (res.statusCode === 200) return void res.once('data', (d) => reply(String(d)));
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => reply(body));
      },
    );
    req.on('error', reject);
  });
}

async function eventually<T>(attempt: () => Promise<T>, done: (t: T) => boolean, tries = 50): Promise<T> {
  let last = await attempt();
  for (let i = 1; i < tries && !done(last); i++) {
    await new Promise((r) => setTimeout(r, 20));
    last = await attempt();
  }
  return last;
}

/** A one-line plain-text error: a single line ending in a newline. */
function assertOneLine(r: Reply, status: number, message: RegExp | string): void {
  assert.equal(r.status, status, r.body);
  assert.match(String(r.headers['content-type']), /^text\/plain/);
  assert.match(r.body, /^[^\n]+\n$/);
  if (typeof message === 'string') assert.equal(r.body, `${message}\n`);
  else assert.match(r.body, message);
}

describe('API table: every call validated in main', () => {
  const sb = sandbox();
  const backend = createBackend({ paths: sb.service().paths, env: { ...process.env, AXI_PREFIX: 'axitest' } });
  const controller = setupController({ backend });
  before(() => controller.start());
  after(() => {
    controller.stop();
    sb.cleanup();
  });

  test('unknown methods, bad types and paths that are not folders come back as { code, message }', async () => {
    assert.deepEqual(await controller.invoke('rmRf', []), {
      ok: false,
      error: { code: 'BAD_INPUT', message: 'unknown method "rmRf"' },
    });
    assert.deepEqual(await controller.invoke('__proto__', []), {
      ok: false,
      error: { code: 'BAD_INPUT', message: 'unknown method "__proto__"' },
    });
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
    assert.deepEqual(await controller.invoke('registerFolder', [{ dir: file }]), {
      ok: false,
      error: { code: 'BAD_INPUT', message: `not a folder: ${file}` },
    });
    const missing = path.join(sb.dir, 'nope');
    assert.deepEqual(await controller.invoke('registerFolder', [{ dir: missing }]), {
      ok: false,
      error: { code: 'BAD_INPUT', message: `folder does not exist: ${missing}` },
    });
    assert.deepEqual(await controller.invoke('startInstance', ['ghost']), {
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no registered instance named or in "ghost"; see axi list' },
    });
    assert.deepEqual(await controller.invoke('revealFolder', ['ghost']), {
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no registered instance named or in "ghost"; see axi list' },
    });
  });

  test('a valid registration returns the instance with its ports and files, and the overview follows', async () => {
    const dir = sb.folder('aegisx-starter-api-check');
    const seen = new Promise((resolve) =>
      controller.on('overview', (o) => o.instances.some((i) => i.name === 'api_check') && resolve(o)),
    );
    const r = await controller.invoke('registerFolder', [{ dir }]);
    assert.equal(r.ok, true);
    const v = (
      r as {
        value: {
          instance: { name: string; ports: Record<string, number>; status: string };
          written: Record<string, string>;
        };
      }
    ).value;
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

    test('bound to loopback; the API without the token as a bearer is 401; no cookie is ever set', async () => {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
      assert.equal((await request(server.port, { path: '/api/events' })).status, 401);
      assert.equal((await request(server.port, { path: '/api/overview' })).status, 401);
      const unauthorizedCall = await request(server.port, {
        path: '/api/call',
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"method":"getOverview","args":[]}',
      });
      assert.equal(unauthorizedCall.status, 401);
      assert.equal((await request(server.port, { path: '/?token=wrong' })).status, 401);
      // The token in a cookie is no credential: browsers would send it to every port of this host.
      const cookie = `axi_token=${server.token}`;
      assert.equal((await request(server.port, { path: '/api/overview', headers: { Cookie: cookie } })).status, 401);
      const page = await request(server.port, { path: `/?token=${server.token}` });
      assert.equal(page.status, 200);
      assert.equal(page.headers['set-cookie'], undefined);
      assert.match(page.body, /<div id="root">/);
      assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
      assert.equal(page.headers['referrer-policy'], 'no-referrer');
      const auth = { Authorization: `Bearer ${server.token}` };
      const overview = await request(server.port, { path: '/api/overview', headers: auth });
      assert.equal(JSON.parse(overview.body).value.instances.length >= 1, true);
      const call = await request(server.port, {
        path: '/api/call',
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: '{"method":"getOverview","args":[]}',
      });
      assert.equal(call.status, 200);
      assert.equal(JSON.parse(call.body).ok, true);
    });

    test('a Host or Origin that is not its own is refused (DNS rebinding, cross-site calls)', async () => {
      const auth = { Authorization: `Bearer ${server.token}` };
      const rebound = await request(server.port, {
        path: '/',
        headers: { ...auth, Host: `evil.example:${server.port}` },
      });
      assert.equal(rebound.status, 403);
      const crossSite = await request(server.port, {
        path: '/api/call',
        method: 'POST',
        headers: { ...auth, Origin: 'http://evil.example', 'Content-Type': 'application/json' },
        body: '{"method":"getOverview","args":[]}',
      });
      assert.equal(crossSite.status, 403);
      const sameOrigin = await request(server.port, {
        path: '/api/call',
        method: 'POST',
        headers: { ...auth, Origin: `http://127.0.0.1:${server.port}`, 'Content-Type': 'application/json' },
        body: '{"method":"getOverview","args":[]}',
      });
      assert.equal(sameOrigin.status, 200);
      const traversal = await request(server.port, { path: '/..%2f..%2fpackage.json', headers: auth });
      assert.equal(traversal.status, 404);
    });

    test(
      'a body over the limit is 413 as soon as it passes the limit, and the connection closes',
      { timeout: 15_000 },
      async () => {
        const auth = { Authorization: `Bearer ${server.token}` };
        const tooLarge = `request body too large (the limit is ${BODY_LIMIT} bytes)`;
        // Declared too large: refused before a byte of the body is read.
        const declared = await partialPost(server.port, { ...auth, 'Content-Length': String(BODY_LIMIT + 1) }, [
          Buffer.from('{'),
        ]);
        assertOneLine(declared, 413, tooLarge);
        assert.equal(declared.headers.connection, 'close');
        // Chunked: refused once the limit is passed, though the body never ends.
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const streamed = await partialPost(
          server.port,
          auth,
          Array.from({ length: BODY_LIMIT / chunk.length + 1 }, () => chunk),
        );
        assertOneLine(streamed, 413, tooLarge);
        assert.equal(streamed.headers.connection, 'close');
        // Exactly at the limit is still a call.
        const atLimit = await request(server.port, {
          path: '/api/call',
          method: 'POST',
          headers: { ...auth, 'Content-Type': 'application/json' },
          body: '{"method":"getOverview","args":[]}'.padEnd(BODY_LIMIT, ' '),
        });
        assert.equal(atLimit.status, 200);
        assert.equal(JSON.parse(atLimit.body).ok, true);
      },
    );

    test('a body that is not a JSON object, or a malformed %-escape in the path, is 400 with one line', async () => {
      const auth = { Authorization: `Bearer ${server.token}` };
      const post = (body: string) =>
        request(server.port, {
          path: '/api/call',
          method: 'POST',
          headers: { ...auth, 'Content-Type': 'application/json' },
          body,
        });
      for (const body of ['null', '[]', '42', '"getOverview"'])
        assertOneLine(await post(body), 400, 'body must be a JSON object like {"method": "...", "args": [...]}');
      for (const body of ['', '{"method":', 'nul'])
        assertOneLine(await post(body), 400, 'body is not JSON; send {"method": "...", "args": [...]}');
      assertOneLine(
        await request(server.port, { path: '/%E0%A4%A', headers: auth }),
        400,
        'malformed percent-encoding in path /%E0%A4%A',
      );
      assertOneLine(
        await request(server.port, { path: '/api/%ZZ', headers: auth }),
        400,
        'malformed percent-encoding in path /api/%ZZ',
      );
      assert.equal((await request(server.port, { path: '/api/%ZZ' })).status, 401, 'the token is still checked first');
      assertOneLine(await request(server.port, { path: '/nope.js', headers: auth }), 404, 'not found: /nope.js');
      assertOneLine(
        await request(server.port, { path: '/api/call', method: 'POST', headers: auth, body: '{}' }),
        415,
        'expected Content-Type: application/json',
      );
      const put = await request(server.port, { path: '/api/call', method: 'PUT', headers: auth });
      assertOneLine(put, 405, 'method PUT not allowed on /api/call');
      assert.equal(put.headers.allow, 'POST');
    });

    test('a request Node cannot parse gets a one-line 400 too', async () => {
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(server.port, '127.0.0.1', () => socket.end('NOT HTTP AT ALL\r\n\r\n'));
        let text = '';
        socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
      assert.match(raw, /\r\n\r\nmalformed HTTP request\n$/);
    });

    test(
      `at most ${MAX_EVENT_STREAMS} event streams at once: one more is 503; closing one frees its slot`,
      { timeout: 15_000 },
      async () => {
        assert.equal(MAX_EVENT_STREAMS, 32);
        const open = await Promise.all(
          Array.from({ length: MAX_EVENT_STREAMS }, () => openStream(server.port, server.token)),
        );
        try {
          assert.deepEqual(
            open.map((s) => s.status),
            Array(MAX_EVENT_STREAMS).fill(200),
          );
          assert.match(open[0]!.body, /^event: overview\ndata: \{/);
          const refused = await openStream(server.port, server.token);
          assertOneLine(
            refused,
            503,
            `too many open event streams (at most ${MAX_EVENT_STREAMS}); close another dashboard tab and reload`,
          );
          open.pop()!.close();
          const next = await eventually(
            () => openStream(server.port, server.token),
            (s) => s.status === 200,
          );
          open.push(next);
          assert.equal(next.status, 200, 'a closed stream gives its slot back');
          assertOneLine(await openStream(server.port, server.token), 503, /^too many open event streams/);
        } finally {
          for (const s of open) s.close();
        }
        const afterAll = await eventually(
          () => openStream(server.port, server.token),
          (s) => s.status === 200,
        );
        afterAll.close();
        assert.equal(afterAll.status, 200);
      },
    );
  });
});

/** Just what startServer uses of a controller, with `current` supplied by the test. */
function fakeController(current: () => Promise<unknown>): ServedController {
  return {
    onAny: () => () => undefined,
    current: current as ServedController['current'],
    invoke: async () => ({ ok: true, value: null }),
  };
}

describe('axi serve with a stand-in controller', () => {
  let broken: RunningServer;
  let slow: RunningServer;
  before(async () => {
    broken = await startServer({
      controller: fakeController(() => Promise.reject(new Error('engine gone\n    at somewhere (x.js:1)'))),
      staticDir: RENDERER_DIR,
      port: 0,
    });
    slow = await startServer({
      controller: fakeController(() => new Promise((r) => setTimeout(() => r({ instances: [] }), 100))),
      staticDir: RENDERER_DIR,
      port: 0,
    });
  });
  after(() => Promise.all([broken.close(), slow.close()]));

  test('a 500 is one line, and a stream that failed to open gives its slot back', async () => {
    const auth = { Authorization: `Bearer ${broken.token}` };
    assertOneLine(
      await request(broken.port, { path: '/api/overview', headers: auth }),
      500,
      'internal error: engine gone at somewhere (x.js:1)',
    );
    for (let i = 0; i <= MAX_EVENT_STREAMS; i++) {
      assertOneLine(
        await openStream(broken.port, broken.token),
        500,
        'internal error: engine gone at somewhere (x.js:1)',
      );
    }
  });

  test('a burst of opens while the first overview is still loading cannot pass the cap', async () => {
    const burst = await Promise.all(
      Array.from({ length: MAX_EVENT_STREAMS + 3 }, () => openStream(slow.port, slow.token)),
    );
    for (const s of burst) s.close();
    assert.equal(burst.filter((s) => s.status === 200).length, MAX_EVENT_STREAMS);
    assert.equal(burst.filter((s) => s.status === 503).length, 3);
  });
});
