import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { hostReach, realPathNearest } from '../../main/core/project/hostReach';
import { effectivePolicy, policyHash } from '../../main/core/project/trust';

describe('what a compose file reaches on the host (pure)', () => {
  const folder = '/src/shop';
  const keys = (doc: unknown) => hostReach(doc, folder).map((r) => `${r.service}: ${r.key} ${r.value.split(' (')[0]}`);

  test('host mounts outside the checkout, the socket, privileged, host namespaces, capabilities, devices, env files', () => {
    const doc = {
      services: {
        evil: {
          image: 'x',
          volumes: [
            '/:/host',
            '/var/run/docker.sock:/var/run/docker.sock',
            { type: 'bind', source: '../secrets', target: '/s' },
            '${HOME}/.aws:/aws:ro',
          ],
          privileged: true,
          pid: 'host',
          network_mode: 'host',
          ipc: 'host',
          cap_add: ['SYS_ADMIN'],
          devices: ['/dev/kvm:/dev/kvm'],
          env_file: ['../../other/.env', './ok.env'],
        },
      },
    };
    assert.deepEqual(keys(doc), [
      'evil: volumes /',
      'evil: volumes /var/run/docker.sock',
      'evil: volumes /src/secrets',
      'evil: volumes ${HOME}/.aws',
      'evil: privileged true',
      'evil: pid host',
      'evil: network_mode host',
      'evil: ipc host',
      'evil: cap_add SYS_ADMIN',
      'evil: devices /dev/kvm:/dev/kvm',
      'evil: env_file /other/.env',
    ]);
  });

  test('what stays inside: named and anonymous volumes, mounts and env files in the checkout, default namespaces', () => {
    const doc = {
      services: {
        db: {
          image: 'postgres',
          volumes: ['data:/var/lib/postgresql/data', '/anon', './init:/docker-entrypoint-initdb.d:ro'],
        },
        web: {
          image: 'nginx',
          volumes: [{ type: 'volume', source: 'site', target: '/srv' }],
          env_file: '.env',
          network_mode: 'bridge',
        },
      },
    };
    assert.deepEqual(hostReach(doc, folder), []);
    assert.deepEqual(hostReach(undefined, folder), []);
  });

  test('a top-level volume bound to a host folder through driver_opts, wherever a service mounts it', () => {
    const doc = {
      services: { app: { image: 'x', volumes: ['root:/host', 'disk:/d', 'data:/data', 'here:/here'] } },
      volumes: {
        root: { driver_opts: { type: 'none', o: 'bind', device: '/' } },
        disk: { driver: 'local', driver_opts: { type: 'ext4', device: '/dev/sda1' } },
        rel: { driver_opts: { type: 'none', o: 'rbind', device: './x' } },
        data: { driver_opts: { type: 'tmpfs', device: 'tmpfs', o: 'size=100m' } },
        here: { driver_opts: { type: 'none', o: 'bind', device: '/src/shop/data' } },
        plain: {},
      },
    };
    assert.deepEqual(keys(doc), [
      'volume root: driver_opts device /',
      'volume disk: driver_opts device /dev/sda1',
      'volume rel: driver_opts device ./x',
    ]);
  });

  test('top-level secrets and configs read from files outside the checkout', () => {
    const doc = {
      services: { app: { image: 'x', secrets: ['key', 'ok'], configs: ['conf'] } },
      secrets: {
        key: { file: '/home/me/.ssh/id_rsa' },
        ok: { file: './secrets/db.txt' },
        env: { environment: 'DB_PASSWORD' },
        ext: { external: true },
      },
      configs: { conf: { file: '../../etc/passwd' }, home: { file: '~/.aws/credentials' } },
    };
    assert.deepEqual(keys(doc), [
      'secret key: file /home/me/.ssh/id_rsa',
      'config conf: file /etc/passwd',
      'config home: file ~/.aws/credentials',
    ]);
  });

  test('a committed symlink in the checkout that leads out of it is followed (real files)', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'axi-reach-'));
    try {
      const checkout = path.join(tmp, 'shop');
      mkdirSync(path.join(checkout, 'init'), { recursive: true });
      symlinkSync('/', path.join(checkout, 'hostroot'));
      symlinkSync('/etc', path.join(checkout, 'etc'));
      symlinkSync('init', path.join(checkout, 'seed')); // a link that stays inside
      symlinkSync(path.join(tmp, 'gone', 'sock'), path.join(checkout, 'dangling'));
      const doc = {
        services: {
          app: {
            image: 'x',
            volumes: ['./hostroot:/host', './seed:/seed', './hostroot/var/run/docker.sock:/s', './dangling:/d'],
            env_file: ['./etc/environment'],
          },
        },
        secrets: { s: { file: './etc/shadow' } },
        volumes: { v: { driver_opts: { type: 'none', o: 'bind', device: path.join(checkout, 'hostroot') } } },
      };
      const found = hostReach(doc, checkout, realPathNearest).map((r) => `${r.service}: ${r.key} ${r.value}`);
      assert.deepEqual(found, [
        `app: volumes ${checkout}/hostroot (a link to /, outside the checkout)`,
        `app: volumes ${checkout}/hostroot/var/run/docker.sock (the Docker socket: control of every container)`,
        `app: volumes ${checkout}/dangling (a link to ${tmp}/gone/sock, outside the checkout)`,
        `app: env_file ${checkout}/etc/environment (a link to /etc/environment, outside the checkout)`,
        `volume v: driver_opts device ${checkout}/hostroot (a link to /, outside the checkout)`,
        `secret s: file ${checkout}/etc/shadow (a link to /etc/shadow, outside the checkout)`,
      ]);
      // Without following links (as before), only the socket, by its name, was seen.
      assert.deepEqual(
        hostReach(doc, checkout).map((r) => r.service),
        ['app'],
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('a committed policy acts on its own only once accepted; its hash changes with what it asks', () => {
    const policy = { register: 'auto', start: true, dataFrom: 'main', onRemove: 'keep' } as const;
    assert.deepEqual(effectivePolicy(policy, false), {
      register: 'ask',
      start: false,
      dataFrom: 'none',
      onRemove: 'keep',
    });
    assert.deepEqual(effectivePolicy(policy, true), policy);
    assert.notEqual(policyHash(policy), policyHash({ ...policy, start: false }));
  });
});
