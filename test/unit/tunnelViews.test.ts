import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sshEngines, tunnelViewOf, type TunnelSource } from '../../main/api/overview/tunnelViews';
import { instanceId } from '../../main/core/registry/instanceRef';
import type { InstanceRecord } from '../../main/core/registry/record';
import type { KeptTunnel } from '../../main/docker/remote/tunnelKeeper';

const rec = (engine: string | undefined) =>
  ({
    name: 'auth',
    folder: '/src/aegisx-auth',
    project: 'aegisx_alice_auth',
    ports: { postgres: 5466, redis: 6414 },
    ...(engine ? { engine } : {}),
  }) as unknown as InstanceRecord;

const source = (toggles: Record<string, boolean>, kept: KeptTunnel[]): TunnelSource => ({
  toggles: () => toggles,
  kept: () => kept,
  overSsh: (engine) => engine.startsWith('ssh://') || engine === 'devbox',
});

describe("a remote instance's tunnel on its card", () => {
  const ssh = rec('ssh://alice@devbox');
  test('only on SSH engines: none for a local instance or a tcp:// engine', () => {
    assert.equal(tunnelViewOf(rec(undefined), 'auth', source({}, [])), undefined);
    assert.equal(tunnelViewOf(rec('tcp://10.0.0.5:2375'), 'auth', source({}, [])), undefined);
    assert.equal(tunnelViewOf(rec('devbox'), 'auth', source({}, []))?.state, 'idle', 'a context over SSH');
  });

  test("the toggle (on by default) and the keeper's state, found by the instance's label", () => {
    assert.deepEqual(tunnelViewOf(ssh, 'auth', source({}, [])), { keep: true, state: 'idle', ports: [5466, 6414] });
    // The toggles are keyed by instance id: turned off, it says so; another instance's toggle changes nothing.
    assert.deepEqual(tunnelViewOf(ssh, 'auth', source({ [instanceId(ssh)]: false }, [])), {
      keep: false,
      state: 'off',
      ports: [5466, 6414],
    });
    assert.equal(tunnelViewOf(ssh, 'auth', source({ 'other/auth': false }, []))?.keep, true);
    const kept: KeptTunnel[] = [
      { name: 'auth', state: 'retrying', ports: [5466, 6414], error: 'ssh: connect refused' },
    ];
    assert.deepEqual(tunnelViewOf(ssh, 'auth', source({}, kept)), {
      keep: true,
      state: 'retrying',
      ports: [5466, 6414],
      error: 'ssh: connect refused',
    });
    assert.equal(tunnelViewOf(ssh, 'repo/auth', source({}, kept))?.state, 'idle', 'another label is another tunnel');
  });

  test('sshEngines asks for an endpoint once per engine; a context that is gone is no SSH engine', () => {
    const asked: string[] = [];
    const overSsh = sshEngines((e) => {
      asked.push(e);
      if (e === 'gone') throw new Error('no Docker context named "gone"');
      return e === 'devbox' ? 'ssh://alice@devbox' : e;
    });
    assert.deepEqual(
      [overSsh('devbox'), overSsh('devbox'), overSsh('tcp://h:2375'), overSsh('gone')],
      [true, true, false, false],
    );
    assert.deepEqual(asked, ['devbox', 'tcp://h:2375', 'gone']);
  });
});
