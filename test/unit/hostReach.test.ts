import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hostReach } from '../../main/core/hostReach';
import { effectivePolicy, policyHash } from '../../main/core/trust';

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
