import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { instanceSubnet, remapNetworks } from '../../main/core/compose/composeNetworks';
import { movedAddresses, parseEnvFile, rewriteEnvironment } from '../../main/core/compose/composeEnvPorts';
import type { Doc } from '../../main/core/compose/doc';
import { transformCompose, type TransformOptions } from '../../main/core/compose/composeTransform';
import {
  connectionUrls,
  envFile,
  envValue,
  genericEnvFile,
  aegisxCompose,
} from '../../main/core/instances/setup/generator';
import { instanceNames } from '../../main/core/project/naming';
import { AEGISX_PRESET } from '../../main/core/project/preset';
import type { InstanceRecord } from '../../main/core/registry/record';
import { portEnvName, portEnvNames, prefixFromBase } from '../../main/core/compose/stackNames';
import { resolveStack } from '../../main/core/compose/stacks';
import { CONFIG, SHOP_COMPOSE } from '../compose/fixtures';
import { sandbox } from '../helpers';

// The compose transforms through their functions, on the cases the CLI suites run through `axi setup`
// (test/compose/fromCompose and wildCompose): the same inputs, the same outcomes, without a process or an engine.

const NOW = new Date('2026-01-02T03:04:05Z');

function options(over: Partial<TransformOptions> = {}): TransformOptions {
  return {
    instance: 'feature_x',
    main: false,
    project: 'shop_feature_x',
    ports: {},
    folder: '/src/shop-feature-x',
    sourceDir: '/src/shop-feature-x',
    env: {},
    namespace: 'aegisx',
    bind: '127.0.0.1',
    ...over,
  };
}

const doc = (yaml: string) => parse(yaml) as Doc;

describe('transformCompose: a project that is not AegisX (fromCompose’s shop)', () => {
  const shop = doc(SHOP_COMPOSE(18080, 15440));

  test('a worktree: its own ports on loopback, container names and volumes per instance, paths kept, labels', () => {
    const { doc: d, volumes } = transformCompose(shop, options({ ports: { web: 18084, db: 15444 } }));
    assert.deepEqual(d.services.web!.ports, ['127.0.0.1:18084:80']);
    assert.deepEqual(d.services.db!.ports, ['127.0.0.1:15444:5432']);
    assert.equal(d.services.web!.container_name, 'shop-web_feature_x');
    assert.equal(d.services.db!.container_name, 'shop-db_feature_x');
    assert.deepEqual(d.volumes, { site: { name: 'shop_feature_x_site' }, dbdata: { name: 'shop_feature_x_dbdata' } });
    assert.deepEqual(volumes, ['shop_feature_x_site', 'shop_feature_x_dbdata']);
    assert.ok((d.services.web!.volumes as string[]).includes('./static:/srv/static:ro'));
    const labels = d.services.web!.labels as Record<string, string>;
    assert.equal(labels['dev.aegisx-instances.instance'], 'feature_x');
    assert.equal(labels['dev.aegisx-instances.namespace'], 'aegisx');
    assert.deepEqual(
      d.services.web!.networks,
      { default: { aliases: ['shop-web'] } },
      'the old name stays an alias for the others',
    );
  });

  test('the main checkout keeps its container names and ports; the source document is not changed', () => {
    const before = JSON.stringify(shop);
    const { doc: d } = transformCompose(shop, options({ main: true, instance: 'shop', project: 'shop' }));
    assert.equal(d.services.web!.container_name, 'shop-web');
    assert.deepEqual(d.services.web!.ports, ['127.0.0.1:18080:80']);
    assert.equal(JSON.stringify(shop), before);
  });

  test('a file in a subfolder: env_file and mounts rebased to the checkout, an unpublished port stays so', () => {
    const sub = doc(
      'services:\n  app:\n    image: nginx:alpine\n    env_file: ./conf/app.env\n    ports: ["${APP_PORT:-18900}:80", "18943:443", "9000"]\n    volumes: ["./conf:/etc/conf"]\n',
    );
    const { doc: d } = transformCompose(
      sub,
      options({ folder: '/w/app', sourceDir: '/w/app/deploy', ports: { app: 18905, 'app:443': 18948 } }),
    );
    assert.equal(d.services.app!.env_file, './deploy/conf/app.env');
    assert.deepEqual(d.services.app!.volumes, ['./deploy/conf:/etc/conf']);
    assert.deepEqual(d.services.app!.ports, ['127.0.0.1:18905:80', '127.0.0.1:18948:443', '127.0.0.1::9000']);
  });

  test('the same host port for TCP and UDP, or on two addresses, is one host port (wildCompose’s dns)', () => {
    const dns = doc(
      'services:\n  dns: {image: busybox, ports: ["5353:53/tcp", "5353:53/udp", "127.0.0.1:8083:80", "[::1]:8083:80"]}\n',
    );
    const { doc: d } = transformCompose(dns, options({ ports: { dns: 20001, 'dns:80': 20002 } }));
    assert.deepEqual(d.services.dns!.ports, [
      '127.0.0.1:20001:53/tcp',
      '127.0.0.1:20001:53/udp',
      '127.0.0.1:20002:80',
      '[::1]:20002:80',
    ]);
  });

  test('a renamed container_name keeps the old name as an alias on each of its networks (supabase, kong)', () => {
    const src = doc(
      'services:\n  realtime: {image: busybox, container_name: realtime-dev.supabase-realtime}\n  kong: {image: busybox, container_name: kong, networks: [front, back]}\nnetworks: {front: {}, back: {}}\n',
    );
    const { doc: d } = transformCompose(src, options({ instance: 'aliaswt' }));
    assert.equal(d.services.realtime!.container_name, 'realtime-dev.supabase-realtime_aliaswt');
    assert.deepEqual(d.services.realtime!.networks, { default: { aliases: ['realtime-dev.supabase-realtime'] } });
    assert.deepEqual(d.services.kong!.networks, { front: { aliases: ['kong'] }, back: { aliases: ['kong'] } });
  });
});

describe('composeNetworks: fixed subnets made per instance (mailcow)', () => {
  const mailcow = () =>
    doc(
      [
        'services:',
        '  mta: {image: busybox, networks: {mc: {ipv4_address: 172.22.1.10}}}',
        'networks:',
        '  mc:',
        '    driver_opts: {com.docker.network.bridge.name: br-mailcow}',
        '    ipam: {config: [{subnet: 172.22.1.0/24, gateway: 172.22.1.1}]}',
        '',
      ].join('\n'),
    );

  test('the subnet moves into 10.128.0.0/10 with its gateway and static addresses; the bridge name is dropped', () => {
    const d = mailcow();
    const notes = remapNetworks(d, 'mailcow_wt');
    const net = d.networks!.mc as any;
    const [, a, b] = /^10\.(\d+)\.(\d+)\.0\/24$/.exec(net.ipam.config[0].subnet) ?? [];
    assert.ok(a && Number(a) >= 128 && Number(a) < 192, net.ipam.config[0].subnet);
    assert.equal(net.ipam.config[0].gateway, `10.${a}.${b}.1`);
    assert.deepEqual((d.services.mta!.networks as any).mc, { ipv4_address: `10.${a}.${b}.10` });
    assert.equal(net.driver_opts['com.docker.network.bridge.name'], undefined);
    assert.deepEqual(notes, [
      'network mc: bridge name br-mailcow dropped (each instance needs its own)',
      `network mc: subnet 172.22.1.0/24 → 10.${a}.${b}.0/24`,
    ]);
  });

  test('the same subnet every time for a project and network; other sizes and shapes are not moved', () => {
    assert.deepEqual(instanceSubnet('172.22.1.0/24', 'p/mc'), instanceSubnet('172.22.1.0/24', 'p/mc'));
    assert.equal(instanceSubnet('10.0.0.0/8', 'p/mc'), undefined);
    assert.equal(instanceSubnet('fd00::/64', 'p/mc'), undefined);
    const d = doc('services: {}\nnetworks:\n  big: {ipam: {config: [{subnet: 10.0.0.0/8}]}}\n');
    assert.deepEqual(remapNetworks(d, 'p'), [
      'network big: fixed subnet 10.0.0.0/8 dropped (Docker picks one per instance)',
    ]);
  });
});

describe('composeEnvPorts: localhost:PORT in environment values follows the instance (wildCompose’s kong)', () => {
  const moved = new Map([
    [8100, 8168],
    [8543, 8611],
  ]);

  test('values, ${VAR} from .env and env files are rewritten; other ports and the main are left alone', () => {
    const auth: Record<string, unknown> = {
      image: 'gotrue',
      environment: {
        API_EXTERNAL_URL: '${API_EXTERNAL_URL}',
        SITE_URL: 'http://localhost:8100/app',
        OTHER: 'http://localhost:9999',
      },
      env_file: ['auth.env'],
    };
    const envFiles = new Map([
      ['auth.env', parseEnvFile('GOTRUE_URL=http://127.0.0.1:8543/x\nKEEP=http://localhost:1234\n')],
    ]);
    const notes = rewriteEnvironment(auth, {
      moved,
      env: { API_EXTERNAL_URL: 'http://localhost:8100' },
      envFiles,
    });
    assert.deepEqual(auth.environment, {
      API_EXTERNAL_URL: 'http://localhost:8168',
      SITE_URL: 'http://localhost:8168/app',
      OTHER: 'http://localhost:9999',
      GOTRUE_URL: 'http://127.0.0.1:8611/x',
    });
    for (const n of [
      'API_EXTERNAL_URL localhost:8100 → localhost:8168',
      'SITE_URL localhost:8100 → localhost:8168',
      'GOTRUE_URL 127.0.0.1:8543 → 127.0.0.1:8611',
    ])
      assert.ok(notes.includes(n), `${n} not in ${notes.join(' | ')}`);
  });

  test('movedAddresses: localhost, 127.0.0.1 and [::1]; nothing moved is undefined', () => {
    assert.equal(movedAddresses('http://[::1]:8100 and localhost:8543', moved), 'http://[::1]:8168 and localhost:8611');
    assert.equal(movedAddresses('http://example.com:8100', moved), undefined);
  });

  test('parseEnvFile reads env files as Compose does: comments, export, quotes', () => {
    assert.deepEqual(parseEnvFile('# c\nexport A=1\nB = "two"\nC=\'3\'\nnot a line\n'), { A: '1', B: 'two', C: '3' });
  });
});

describe('stacks: a --from stack from the repository config', () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  const folder = sb.folder('shop-feature-x');
  mkdirSync(path.join(folder, 'static'));
  writeFileSync(path.join(folder, 'docker-compose.yml'), SHOP_COMPOSE(18080, 15440));
  writeFileSync(path.join(folder, '.aegisx-instances.yml'), CONFIG);

  test('port keys, projects and both files for a worktree, as axi setup writes them', async () => {
    const stack = await resolveStack({ folder, base: 'shop', env: {} }, AEGISX_PRESET);
    assert.equal(stack.kind, 'compose');
    assert.deepEqual(
      stack.preset.services.map((s) => [s.name, s.main, s.base]),
      [
        ['web', 18080, 18080],
        ['db', 15440, 15440],
      ],
    );
    assert.equal(stack.project('feature_x', false, 'shop-feature-x'), 'shop_feature_x');
    assert.equal(stack.project('shop', true, 'shop'), 'shop-feature-x', "the main's project is Compose's own default");
    const rec = {
      ...{ name: 'feature_x', folder, folderName: 'shop-feature-x', suffix: 'feature-x', main: false },
      ...{ project: 'shop_feature_x', preset: 'compose', slot: 4, ports: { web: 18084, db: 15444 }, template: null },
      ...{ source: 'compose' as const, from: ['docker-compose.yml'], prefix: 'shop', createdAt: '', updatedAt: '' },
    } satisfies InstanceRecord;
    const { files, services, volumes } = await stack.render(rec, NOW);
    assert.deepEqual(services, ['web', 'db']);
    assert.deepEqual(volumes, ['shop_feature_x_site', 'shop_feature_x_dbdata']);
    const [env, compose] = files;
    assert.match(env!.body, /^COMPOSE_PROJECT_NAME=shop_feature_x$/m);
    assert.match(env!.body, /^WEB_PORT=18084$/m);
    assert.match(env!.body, /^DB_PORT=15444$/m);
    const d = parse(compose!.body);
    assert.deepEqual(d.services.web.ports, ['127.0.0.1:18084:80']);
    assert.equal(d.services.db.container_name, 'shop-db_feature_x');
    assert.ok(compose!.header.some((h) => h.startsWith('axi-origin: {"source":"compose"')));
  });

  test(".env.local names: the project's own variable, <SERVICE>_PORT_<TARGET>, never a trailing _", () => {
    assert.equal(portEnvName('kong', { kong: 'KONG_HTTP_PORT' }), 'KONG_HTTP_PORT');
    assert.equal(portEnvName('app:443', undefined), 'APP_PORT_443');
    assert.equal(portEnvName('dns:53/udp', undefined), 'DNS_PORT_53_UDP');
    assert.deepEqual(portEnvNames(['web-1', 'web_1'], undefined), { 'web-1': 'WEB_1_PORT', web_1: 'WEB_1_PORT_2' });
    assert.equal(prefixFromBase('FOO-bar.baz'), 'foobarbaz');
    assert.equal(prefixFromBase('9lives'), 'x9lives');
  });
});

describe('generator: the AegisX stack’s two files (generator.test’s auth-fix)', () => {
  const ports = { postgres: 5528, redis: 6476, api: 3429, web: 4295, admin: 4296, pgadmin: 5146 };
  const rec = {
    ...{ name: 'auth_fix', folder: '/src/aegisx-starter-auth-fix', folderName: 'aegisx-starter-auth-fix' },
    ...{ suffix: 'auth-fix', main: false, project: 'aegisx_auth_fix', preset: 'aegisx', slot: 95, ports },
    ...{ template: null, createdAt: '', updatedAt: '' },
  } satisfies InstanceRecord;
  const names = instanceNames(AEGISX_PRESET, rec);

  test('.env.local: the seed’s variables, connection URLs from the ports', () => {
    const { body, path: file } = envFile(rec, names, NOW);
    assert.equal(file, '/src/aegisx-starter-auth-fix/.env.local');
    for (const line of [
      'COMPOSE_PROJECT_NAME=aegisx_auth_fix',
      'DATABASE_URL=postgresql://postgres:postgres@localhost:5528/aegisx_db',
      'REDIS_URL=redis://localhost:6476',
      'POSTGRES_CONTAINER=aegisx_auth_fix_postgres',
      'POSTGRES_VOLUME=auth_fix_postgres_data',
    ])
      assert.ok(body.split('\n').includes(line), line);
    assert.equal(connectionUrls({ web: 4295 }).WEB_URL, 'http://localhost:4295');
    assert.match(genericEnvFile(rec, { postgres: 'DB_PORT' }, NOW).body, /^DB_PORT=5528$/m);
  });

  test('the compose file: three services, their ports, container names and volumes', () => {
    const d = aegisxCompose(rec, names) as any;
    assert.deepEqual(Object.keys(d.services), ['postgres', 'redis', 'pgadmin']);
    assert.deepEqual(d.services.postgres.ports, ['5528:5432']);
    assert.equal(d.services.pgadmin.container_name, 'aegisx_auth_fix_pgadmin');
    assert.deepEqual(Object.keys(d.volumes), ['auth_fix_postgres_data', 'auth_fix_redis_data']);
    assert.equal(d.networks.default.name, 'aegisx_auth_fix_net');
  });

  test('envValue: bare when plain, quoted so that no $ or space is read by a shell', () => {
    assert.equal(envValue('aegisx_auth_fix'), 'aegisx_auth_fix');
    assert.equal(envValue('a b$c'), "'a b$c'");
    assert.equal(envValue("it's"), '"it\'s"');
  });
});
