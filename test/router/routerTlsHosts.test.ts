import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { removeHostsBlock, writeHostsBlock } from '../../main/router/hosts';
import type { RunningRouter } from '../../main/router/server';
import { caFiles, ensureCa } from '../../main/router/tls';
import { runAxi, sandbox } from '../helpers';
import { tlsRouterToOne } from './routerHelpers';

function curl(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) =>
    execFile('curl', ['-sS', '--max-time', '10', ...args], (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    ),
  );
}

describe('HTTPS with the local CA (real TLS, real curl)', () => {
  const sb = sandbox();
  const home = sb.env.AXI_HOME!;
  let up: http.Server;
  let router: RunningRouter;
  before(async () => {
    const made = await tlsRouterToOne(sb.env, (req) => `hello ${String(req.headers['x-forwarded-proto'])}`);
    ({ up, router } = made);
    assert.match(made.on.stdout, new RegExp(`Made the router's CA: ${caFiles(home).cert}`));
  });
  after(async () => {
    await router.close();
    up.close();
    sb.cleanup();
  });

  test('the CA is made once, its key 0600; tls on turns the setting on', async () => {
    assert.equal(statSync(caFiles(home).key).mode & 0o777, 0o600);
    const again = await runAxi(['router', 'tls', 'on'], { env: sb.env });
    assert.match(again.stdout, /^Kept the router's CA/);
    const settings = JSON.parse(readFileSync(path.join(home, 'settings.json'), 'utf8')) as { routerTls: boolean };
    assert.equal(settings.routerTls, true);
  });

  test('curl with --cacert on the CA succeeds; without it, it fails; plain HTTP answers on the same port', async () => {
    const url = `https://a.shop.localhost:${router.port}/`;
    const resolve = ['--resolve', `a.shop.localhost:${router.port}:127.0.0.1`];
    const good = await curl([...resolve, '--cacert', caFiles(home).cert, url]);
    assert.equal(good.code, 0, good.out);
    assert.equal(good.out, 'hello https');
    const bad = await curl([...resolve, url]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.out, /certificate/i);
    const plain = await curl([...resolve, `http://a.shop.localhost:${router.port}/`]);
    assert.equal(plain.out, 'hello http');
  });

  test('with a second HTTPS port (443 beside 80): https answers there, both schemes still on the first', async () => {
    const two = await tlsRouterToOne(sb.env, (req) => `hello ${String(req.headers['x-forwarded-proto'])}`, 0);
    try {
      const { port, httpsPort } = two.router;
      assert.ok(httpsPort && httpsPort !== port, `a second port: ${httpsPort}`);
      const at = (p: number) => ['--resolve', `a.shop.localhost:${p}:127.0.0.1`, '--cacert', caFiles(home).cert];
      assert.deepEqual(await curl([...at(httpsPort), `https://a.shop.localhost:${httpsPort}/`]), {
        code: 0,
        out: 'hello https',
      });
      assert.equal((await curl([...at(port), `https://a.shop.localhost:${port}/`])).out, 'hello https');
      assert.equal((await curl([...at(port), `http://a.shop.localhost:${port}/`])).out, 'hello http');
    } finally {
      await two.router.close();
      two.up.close();
    }
  });

  test('a second CA is never made over the first', async () => {
    const before = readFileSync(caFiles(home).key, 'utf8');
    assert.equal((await ensureCa(home)).created, false);
    assert.equal(readFileSync(caFiles(home).key, 'utf8'), before);
  });
});

describe('axi router hosts: a marked block, removed byte for byte', () => {
  const sb = sandbox();
  after(() => sb.cleanup());

  test('written on request, replaced not doubled, removed leaving the rest of the file identical', async () => {
    for (const original of ['127.0.0.1 localhost\n# keep me\n::1 ip6-localhost\n', '10.0.0.1 db # no newline at end']) {
      const file = path.join(sb.dir, 'hosts');
      writeFileSync(file, original);
      await writeHostsBlock(['a.shop.localhost', 'api.a.shop.localhost'], file);
      const written = readFileSync(file, 'utf8');
      assert.ok(written.startsWith(original.endsWith('\n') ? original : `${original}\n`));
      assert.match(written, /^127\.0\.0\.1 a\.shop\.localhost api\.a\.shop\.localhost$/m);
      assert.match(written, /^::1 a\.shop\.localhost api\.a\.shop\.localhost$/m);
      await writeHostsBlock(['b.shop.localhost'], file);
      const again = readFileSync(file, 'utf8');
      assert.equal(again.match(/# >>> aegisx-instances router/g)?.length, 1, 'one block');
      assert.doesNotMatch(again, /a\.shop\.localhost/);
      assert.equal(await removeHostsBlock(file), true);
      assert.equal(readFileSync(file, 'utf8'), original, 'byte-identical');
      assert.equal(await removeHostsBlock(file), false);
    }
  });

  test('a machine without ::1 gets 127.0.0.1 lines only (the router listens on the loopbacks it has)', async () => {
    const file = path.join(sb.dir, 'hosts-v4');
    writeFileSync(file, '127.0.0.1 localhost\n');
    await writeHostsBlock(['a.shop.localhost'], file, false);
    assert.match(readFileSync(file, 'utf8'), /^127\.0\.0\.1 a\.shop\.localhost$/m);
    assert.doesNotMatch(readFileSync(file, 'utf8'), /^::1 /m);
    assert.equal(await removeHostsBlock(file), true);
    assert.equal(readFileSync(file, 'utf8'), '127.0.0.1 localhost\n');
  });

  test('through the CLI with --file; an unwritable file is one line naming it', async () => {
    const file = path.join(sb.dir, 'hosts2');
    writeFileSync(file, '127.0.0.1 localhost\n');
    const w = await runAxi(['router', 'hosts', '--file', file], { env: sb.env });
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stdout, /^Wrote 0 names to /);
    const r = await runAxi(['router', 'hosts', '--remove', '--file', file], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(file, 'utf8'), '127.0.0.1 localhost\n');
    const missing = await runAxi(['router', 'hosts', '--file', path.join(sb.dir, 'nope', 'hosts')], { env: sb.env });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /nope\/hosts cannot be read/);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
  });
});
