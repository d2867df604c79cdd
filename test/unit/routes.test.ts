import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideRoute, type RoutedInstance } from '../../main/core/routes/routeDecision';
import {
  dnsLabel,
  hostOf,
  isHttpKey,
  routeTable,
  routeUrl,
  webKey,
  type RouteRecord,
} from '../../main/core/routes/routes';

const AEGISX = { postgres: 5433, redis: 6381, api: 3334, web: 4200, admin: 4201, pgadmin: 5051 };
const rec = (name: string, o: Partial<RouteRecord> = {}): RouteRecord & { id: string } => {
  const r = { name, main: false, project: `aegisx_${name}`, base: 'shop', ports: AEGISX, ...o };
  return { ...r, id: `${r.source === 'compose' ? (r.prefix ?? 'x') : 'aegisx'}/${name}` };
};
const hosts = (t: ReturnType<typeof routeTable>, id: string) => t.byId.get(id)!.map((r) => `${r.host}→${r.key}`);

describe('router names', () => {
  test('an instance: its web service by its own name, each other HTTP port by service; databases get none', () => {
    const t = routeTable([rec('fix-login')]);
    assert.deepEqual(hosts(t, 'aegisx/fix-login'), [
      'fix-login.shop.localhost→web',
      'api.fix-login.shop.localhost→api',
      'web.fix-login.shop.localhost→web',
      'admin.fix-login.shop.localhost→admin',
      'pgadmin.fix-login.shop.localhost→pgadmin',
    ]);
  });

  test('the main checkout is <repo>.localhost', () => {
    const t = routeTable([rec('shop', { main: true })]);
    assert.equal(t.byHost.get('shop.localhost')?.key, 'web');
    assert.equal(t.byHost.get('api.shop.localhost')?.key, 'api');
  });

  test('valid DNS labels from any name; long ones cut with a stable tag', () => {
    assert.equal(dnsLabel('Feature_X'), 'feature-x');
    assert.equal(dnsLabel('--a..b--'), 'a-b');
    const long = dnsLabel('x'.repeat(80));
    assert.ok(long.length <= 63 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(long), long);
    assert.equal(long, dnsLabel('x'.repeat(80)), 'stable');
    assert.notEqual(long, dnsLabel('x'.repeat(81)), 'unique');
    assert.match(dnsLabel('___'), /^x[0-9a-f]{8}$/);
    const t = routeTable([rec('feature_x', { ports: { 'web:443': 8443, 'mail:1025': 1025, 'mail:8025': 8025 } })]);
    assert.deepEqual(
      t.byId.get('aegisx/feature_x')!.map((r) => r.host),
      ['feature-x.shop.localhost', 'web-443.feature-x.shop.localhost', 'mail-8025.feature-x.shop.localhost'],
    );
  });

  test('stable across a reassignment: names depend on names and keys, never on ports', () => {
    const before = routeTable([rec('a')]);
    const after = routeTable([rec('a', { ports: { ...AEGISX, web: 4290, api: 3390 } })]);
    assert.deepEqual([...before.byHost.keys()], [...after.byHost.keys()]);
  });

  test('a clash is reported and routed to neither instance', () => {
    const t = routeTable([
      rec('feature_x'),
      rec('feature-x'),
      rec('api', { ports: { web: 1 } }),
      rec('shop', { main: true, ports: { api: 2 } }),
    ]);
    assert.deepEqual(t.clashes.get('feature-x.shop.localhost'), ['aegisx/feature-x', 'aegisx/feature_x']);
    assert.equal(t.byHost.has('feature-x.shop.localhost'), false);
    assert.deepEqual(t.clashes.get('api.shop.localhost'), ['aegisx/api', 'aegisx/shop']);
    assert.equal(t.byHost.get('web.api.shop.localhost')?.id, 'aegisx/api', 'its other names still work');
  });

  test('one name per repository: the same instance name in two repositories is two names', () => {
    const t = routeTable([rec('a'), { ...rec('a', { base: 'blog' }), id: 'blog/a' }]);
    assert.equal(t.clashes.size, 0);
    assert.equal(t.byHost.get('a.blog.localhost')?.id, 'blog/a');
  });

  test('the web service: router.web of the repository, else `web`, else the first HTTP port', () => {
    assert.equal(webKey({ db: 1, backend: 2, frontend: 3 }, 'frontend'), 'frontend');
    assert.equal(webKey({ 'frontend:80': 3 }, 'frontend'), 'frontend:80');
    assert.equal(webKey({ db: 1, backend: 2, frontend: 3 }), 'backend');
    assert.equal(webKey({ postgres: 1 }), null);
    assert.equal(isHttpKey('redis'), false);
    assert.equal(isHttpKey('cache:6379'), false);
    assert.equal(isHttpKey('pgadmin'), true);
    const t = routeTable([rec('a', { ports: { db: 1, backend: 2, frontend: 3 } })], () => 'frontend');
    assert.equal(t.byHost.get('a.shop.localhost')?.key, 'frontend');
  });

  test('URLs leave out the scheme default port; Host headers are read without port, case or final dot', () => {
    assert.equal(routeUrl('a.shop.localhost', { port: 80, tls: false }), 'http://a.shop.localhost');
    assert.equal(routeUrl('a.shop.localhost', { port: 7080, tls: false }), 'http://a.shop.localhost:7080');
    assert.equal(routeUrl('a.shop.localhost', { port: 443, tls: true }), 'https://a.shop.localhost');
    // TLS on port 80: 443 beside it where the router listens there (no port), else :80, which speaks both.
    assert.equal(routeUrl('a.shop.localhost', { port: 80, tls: true, httpsPort: 443 }), 'https://a.shop.localhost');
    assert.equal(routeUrl('a.shop.localhost', { port: 80, tls: true }), 'https://a.shop.localhost:80');
    assert.equal(routeUrl('a.shop.localhost', { port: 80, tls: false, httpsPort: 443 }), 'http://a.shop.localhost');
    assert.equal(hostOf('A.Shop.Localhost.:7080'), 'a.shop.localhost');
  });
});

describe('what the router does with a request', () => {
  const t = routeTable([rec('a'), rec('b'), rec('r', { ports: { web: 4300 } })]);
  const up = (...names: string[]) => Object.fromEntries(names.map((n) => [n, { state: 'running' }]));
  const live = (o: Partial<RoutedInstance> & { id: string }): RoutedInstance => ({
    label: o.id.split('/')[1]!,
    status: 'running',
    services: up(...Object.keys(AEGISX)),
    ports: AEGISX,
    bind: '127.0.0.1',
    ...o,
  });
  const all = (...xs: RoutedInstance[]) => new Map(xs.map((x) => [x.id, x]));

  test('a running instance: its port on loopback', () => {
    const d = decideRoute('a.shop.localhost:7080', t, all(live({ id: 'aegisx/a' })));
    assert.equal(d.kind, 'proxy');
    assert.deepEqual(d.kind === 'proxy' && d.target, { host: '127.0.0.1', port: 4200 });
  });

  test('an unknown name never falls back to another instance', () => {
    assert.deepEqual(decideRoute('zzz.shop.localhost', t, all(live({ id: 'aegisx/a' }))), {
      kind: 'unknown',
      host: 'zzz.shop.localhost',
    });
    assert.equal(decideRoute(undefined, t, all()).kind, 'unknown');
  });

  test('a stopped instance: a page with its start command', () => {
    const d = decideRoute('api.b.shop.localhost', t, all(live({ id: 'aegisx/b', status: 'stopped' })));
    assert.equal(d.kind === 'stopped' && d.start, 'axi up b');
  });

  test('a partly running instance: a name goes on only when the service behind it runs, never to whatever holds its port', () => {
    // fix_login partial (web created, db running): web's port may be held by another program (a python http.server).
    const services = { ...up(...Object.keys(AEGISX)), web: { state: 'created' }, api: { state: 'exited' } };
    const i = all(live({ id: 'aegisx/a', status: 'partial', services }));
    const web = decideRoute('a.shop.localhost', t, i);
    assert.equal(web.kind, 'service-down');
    assert.deepEqual(web.kind === 'service-down' && [web.service, web.state, web.start], [
      'web',
      'created',
      'axi up a',
    ]);
    assert.equal(decideRoute('api.a.shop.localhost', t, i).kind, 'service-down');
    const admin = decideRoute('admin.a.shop.localhost', t, i);
    assert.deepEqual(admin.kind === 'proxy' && admin.target, { host: '127.0.0.1', port: 4201 });
    // A service with no container at all (never created) is not running either.
    const { web: _gone, ...noWeb } = services;
    assert.equal(
      decideRoute('a.shop.localhost', t, all(live({ id: 'aegisx/a', status: 'partial', services: noWeb }))).kind,
      'service-down',
    );
    // Paused by our own data copy: up, as the overview counts it.
    const paused = live({ id: 'aegisx/a', copyPause: 'paused', services: { ...services, web: { state: 'paused' } } });
    assert.equal(decideRoute('a.shop.localhost', t, all(paused)).kind, 'proxy');
  });

  test('a reassigned running instance: its name goes to the port its running web still publishes', () => {
    const d = decideRoute('a.shop.localhost', t, all(live({ id: 'aegisx/a', oldPorts: { web: 4290 } })));
    assert.deepEqual(d.kind === 'proxy' && d.target, { host: '127.0.0.1', port: 4290 });
  });

  test('a remote instance: through its open tunnel, else a page saying how to open it', () => {
    const ssh = { id: 'aegisx/r', engine: 'ssh://me@box', ports: { web: 4300 } };
    const open = decideRoute('r.shop.localhost', t, all(live({ ...ssh, tunnel: { state: 'open' } })));
    assert.deepEqual(open.kind === 'proxy' && open.target, { host: '127.0.0.1', port: 4300 });
    const shut = decideRoute('r.shop.localhost', t, all(live({ ...ssh, tunnel: { state: 'off' } })));
    assert.equal(shut.kind === 'tunnel' && shut.open, 'axi tunnel r');
    // `axi tunnel r` in a terminal (not the app's keeper): through it, but only for a port it forwards.
    const off = all(live({ ...ssh, tunnel: { state: 'off' } }));
    const cli = decideRoute('r.shop.localhost', t, off, (id, port) => id === 'aegisx/r' && port === 4300);
    assert.deepEqual(cli.kind === 'proxy' && cli.target, { host: '127.0.0.1', port: 4300 });
    assert.equal(decideRoute('r.shop.localhost', t, off, (_id, port) => port === 4301).kind, 'tunnel');
    const tcp = { ...ssh, engine: 'tcp://10.0.0.5:2375', bind: '0.0.0.0' };
    const direct = decideRoute('r.shop.localhost', t, all(live(tcp)));
    assert.deepEqual(direct.kind === 'proxy' && direct.target, { host: '10.0.0.5', port: 4300 });
  });
});
