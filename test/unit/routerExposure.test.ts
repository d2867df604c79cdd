import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import forge from 'node-forge';
import type { InstanceRecord } from '../../main/core/registry/record';
import { memorySettings } from '../../main/shared/schemas/settings';
import { urlsWithNames } from '../../main/router/links';
import { envVariables, instanceEnv } from '../../main/core/instances/records/checkout';
import { decisionPage, listsInstances } from '../../main/router/pages';
import { routerBase, writeRouterState } from '../../main/core/routes/routerState';
import { ensureCa, leafFor, leafHost } from '../../main/router/tls';

const dir = mkdtempSync(path.join(os.tmpdir(), 'axi-router-exposure-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the 404 page lists running instances only to a .localhost or loopback Host', () => {
  const running = [{ label: 'shop/feature-x', urls: ['http://feature-x.shop.localhost:7080'] }];
  test('which Hosts may see the listing', () => {
    for (const h of [
      'a.shop.localhost:7080',
      'localhost',
      'Shop.Localhost.',
      '127.0.0.1:80',
      '127.1.2.3',
      '[::1]:7080',
    ])
      assert.equal(listsInstances(h), true, h);
    for (const h of ['evil.com', 'localhost.evil.com', 'evillocalhost', '10.0.0.5:7080', '', undefined, '[fe80::1]'])
      assert.equal(listsInstances(h), false, String(h));
  });
  test('a rebound name (Host: evil.com) gets a bare 404: no instance, branch or repository name', () => {
    const bare = decisionPage({ kind: 'unknown', host: 'evil.com' }, listsInstances('evil.com') ? running : undefined);
    assert.equal(bare.status, 404);
    assert.doesNotMatch(bare.html, /feature-x|Running instances|No instance is running/);
    const listed = decisionPage({ kind: 'unknown', host: 'typo.shop.localhost' }, running);
    assert.match(listed.html, /Running instances.*feature-x\.shop\.localhost/);
    assert.doesNotMatch(listed.html, /Did you mean/, 'typo is no near miss of feature-x');
  });
  test('a near miss of a running name: "Did you mean" links the right one first; another Host gets none', () => {
    const two = [...running, { label: 'shop/fix-login', urls: ['http://fix-login.shop.localhost:7080'] }];
    const typo = decisionPage({ kind: 'unknown', host: 'fix-logn.shop.localhost' }, two);
    assert.match(
      typo.html,
      /<p>Did you mean <a href="http:\/\/fix-login\.shop\.localhost:7080">fix-login\.shop\.localhost<\/a>\?<\/p>/,
    );
    assert.doesNotMatch(typo.html, /Did you mean[^<]*<a[^>]*>feature-x/);
    const rebound = decisionPage({ kind: 'unknown', host: 'fix-logn.shop.localhost' }, undefined);
    assert.doesNotMatch(rebound.html, /Did you mean|fix-login/);
  });
});

describe('TLS: leaves only for localhost names, from a CA constrained to them', () => {
  test('an SNI name outside .localhost gets the localhost certificate', () => {
    assert.equal(leafHost('www.google.com'), 'localhost');
    assert.equal(leafHost('x.localhost.evil.com'), 'localhost');
    assert.equal(leafHost('evillocalhost'), 'localhost');
    assert.equal(leafHost('a..localhost'), 'localhost');
    assert.equal(leafHost('A.Shop.LOCALHOST.'), 'a.shop.localhost');
    assert.equal(leafHost('localhost'), 'localhost');
  });
  test('a new CA carries a critical nameConstraints (localhost, .localhost) that OpenSSL enforces', async () => {
    const home = path.join(dir, 'tls');
    const { files } = await ensureCa(home);
    const caPem = readFileSync(files.cert, 'utf8');
    const nc = forge.pki.certificateFromPem(caPem).getExtension('nameConstraints') as {
      critical: boolean;
      permittedSubtrees: { type: number; value: string }[];
    };
    assert.equal(nc.critical, true);
    assert.deepEqual(
      nc.permittedSubtrees.map((s) => [s.type, s.value]),
      [
        [2, 'localhost'],
        [2, '.localhost'],
      ],
    );
    // Even a leaf the CA did sign for another site fails verification: the constraint is in the CA.
    const ca = { cert: caPem, key: readFileSync(files.key, 'utf8') };
    const k = forge.pki.rsa.generateKeyPair(1024);
    const leaf = { pub: forge.pki.publicKeyToPem(k.publicKey), key: forge.pki.privateKeyToPem(k.privateKey) };
    const verify = (host: string) => {
      const file = path.join(dir, `${host}.pem`);
      writeFileSync(file, leafFor(forge, host, ca, leaf));
      try {
        return execFileSync('openssl', ['verify', '-CAfile', files.cert, file], { encoding: 'utf8', stdio: 'pipe' });
      } catch (err) {
        return String((err as { stdout?: string }).stdout) + String((err as { stderr?: string }).stderr);
      }
    };
    assert.match(verify('a.shop.localhost'), /: OK/);
    assert.match(verify('www.google.com'), /subtree violation/i);
  });
});

describe('names are shown only while a router runs', () => {
  const home = path.join(dir, 'home');
  const folder = path.join(dir, 'work', 'feature-x');
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, '.env.local'), 'WEB_URL=http://localhost:4200\n');
  const rec = {
    name: 'feature-x',
    folder,
    main: false,
    project: 'aegisx_feature-x',
    base: 'shop',
    ports: { postgres: 5433, redis: 6381, api: 3334, web: 4200, admin: 4201, pgadmin: 5051 },
  } as unknown as InstanceRecord;
  const sources = {
    service: { records: async () => [rec], paths: { home } },
    settings: memorySettings({ routerPort: 7080 }),
  };
  // `axi env`'s variables as the CLI and the MCP tool make them.
  const envOf = async () => envVariables((await instanceEnv(rec)).variables, await urlsWithNames(sources, rec));
  test('no router: no names, no APP_URL, routerRunning false', async () => {
    assert.equal(routerBase(home, sources.settings.read().settings).running, false);
    const u = await urlsWithNames(sources, rec);
    assert.equal(u.routerRunning, false);
    assert.deepEqual(u.names, {});
    assert.equal((await envOf()).APP_URL, undefined);
  });
  test('a running router (its router.json): names on its real port, APP_URL', async () => {
    await writeRouterState(home, { pid: process.pid, port: 41234, tls: false, why: 'test', startedAt: '' });
    const u = await urlsWithNames(sources, rec);
    assert.equal(u.routerRunning, true);
    assert.equal(u.names.APP_URL, 'http://feature-x.shop.localhost:41234');
    assert.equal((await envOf()).APP_URL, 'http://feature-x.shop.localhost:41234');
  });
});
