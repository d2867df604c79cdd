import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import type { RunningRouter } from '../../main/router/server';
import { caFiles, MAX_CONTEXTS } from '../../main/router/tls';
import { sandbox } from '../helpers';
import { tlsRouterToOne } from './routerHelpers';

interface Handshake {
  authorized: boolean;
  serial: string;
  san: string;
  body: string;
}

/** A real TLS handshake for `name` (SNI), trusting the CA's file if given (else the system's), then one GET on it. */
function handshake(port: number, name: string, ca?: string): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const s = tls.connect(
      { host: '127.0.0.1', port, servername: name, ...(ca ? { ca } : {}), rejectUnauthorized: false },
      () => {
        const cert = s.getPeerCertificate();
        let raw = '';
        s.on('data', (d: Buffer) => (raw += d.toString()));
        s.on('end', () =>
          resolve({
            authorized: s.authorized,
            serial: cert.serialNumber,
            san: cert.subjectaltname ?? '',
            body: raw.split('\r\n\r\n').slice(1).join('\r\n\r\n'),
          }),
        );
        s.write(`GET / HTTP/1.1\r\nHost: ${name}:${port}\r\nConnection: close\r\n\r\n`);
      },
    );
    s.on('error', reject);
  });
}

/**
 * The router's certificates are capped (MAX_CONTEXTS names kept, oldest first out), so a client making up
 * names cannot grow its memory without bound. What a user notices at the cap: nothing breaks. A name pushed
 * out gets a new certificate from the same CA on its next handshake and still verifies; the newer ones are kept.
 */
describe('the certificate cap: the oldest name evicted, re-issued on its next handshake (real TLS, the CA on disk)', () => {
  const sb = sandbox();
  let up: http.Server;
  let router: RunningRouter;
  let ca: string;
  const name = (i: number) => `n${i}.shop.localhost`;
  const first: Record<string, string> = {};

  before(async () => {
    ({ up, router } = await tlsRouterToOne(
      sb.env,
      (req) => `instance a, proto ${String(req.headers['x-forwarded-proto'])}`,
    ));
    ca = readFileSync(caFiles(sb.env.AXI_HOME!).cert, 'utf8');
  });
  after(async () => {
    await router?.close();
    up?.close();
    sb.cleanup();
  });

  test('a name keeps its certificate while under the cap', async () => {
    const a = await handshake(router.port, 'a.shop.localhost', ca);
    assert.equal(a.authorized, true);
    assert.equal(a.san, 'DNS:a.shop.localhost');
    assert.equal(a.body, 'instance a, proto https');
    assert.equal((await handshake(router.port, 'a.shop.localhost', ca)).serial, a.serial, 'kept, not issued again');
    first.a = a.serial;
  });

  test(`${MAX_CONTEXTS} more names: the oldest (a) is pushed out and re-issued, still trusted and served`, async () => {
    for (let i = 0; i < MAX_CONTEXTS; i++) {
      const h = await handshake(router.port, name(i), ca);
      assert.equal(h.authorized, true, name(i));
      assert.equal(h.san, `DNS:${name(i)}`);
      first[name(i)] = h.serial;
    }
    // The newest is still kept; the oldest was evicted when the cap was passed.
    const last = MAX_CONTEXTS - 1;
    assert.equal((await handshake(router.port, name(last), ca)).serial, first[name(last)]);
    const a = await handshake(router.port, 'a.shop.localhost', ca);
    assert.notEqual(a.serial, first.a, 'a new certificate for the evicted name');
    assert.equal(a.authorized, true, 'from the same CA: the user sees no warning');
    assert.equal(a.san, 'DNS:a.shop.localhost');
    assert.equal(a.body, 'instance a, proto https');
    // Taking a back in pushed out the then-oldest (n0); n1 is still kept.
    assert.equal((await handshake(router.port, name(1), ca)).serial, first[name(1)]);
    assert.notEqual((await handshake(router.port, name(0), ca)).serial, first[name(0)]);
  });

  test('without the CA, the same handshake is not trusted (the checks above are real)', async () => {
    const h = await handshake(router.port, 'a.shop.localhost');
    assert.equal(h.authorized, false);
  });
});
