import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RUN } from '../docker/dockerHelpers';
import { connects, holdRemotePort, startRemoteEngine, waitConnects, type RemoteOrSkip } from './remoteEngine';

/** The test harness itself: a second engine in a network namespace, reachable only at its own address. */
describe('the namespace engine (test harness for remote engines)', () => {
  let remote: RemoteOrSkip = { skip: 'not started' };
  before(async () => {
    remote = await startRemoteEngine(['postgres:15-alpine']);
  });
  after(async () => {
    await remote.engine?.stop();
  });

  test('answers over TCP at 10.231.0.2 with its own containers and the copied image', async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    const r = await remote.engine.docker(['image', 'inspect', '-f', '{{.Id}}', 'postgres:15-alpine']);
    assert.equal(r.code, 0, r.stderr);
    const info = await remote.engine.docker(['info', '--format', '{{.DockerRootDir}}']);
    assert.equal(info.stdout.trim(), '/var/lib/axiremote');
  });

  test('a port published there answers at 10.231.0.2:PORT and not at 127.0.0.1:PORT', async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    const port = 20000 + (parseInt(RUN, 36) % 5000);
    const name = `axiremote_probe_${RUN}`;
    const run = await remote.engine.docker([
      'run',
      '-d',
      '--rm',
      '--name',
      name,
      '-p',
      `${port}:5432`,
      '-e',
      'POSTGRES_PASSWORD=x',
      'postgres:15-alpine',
    ]);
    assert.equal(run.code, 0, run.stderr);
    try {
      assert.equal(await waitConnects(remote.engine.addr, port), true);
      assert.equal(await connects('127.0.0.1', port), false);
    } finally {
      await remote.engine.docker(['rm', '-f', name]);
    }
  });

  test('a plain listener in the namespace is on the remote host only', async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    const port = 25000 + (parseInt(RUN, 36) % 5000);
    const holder = await holdRemotePort(port);
    try {
      assert.equal(await connects(remote.engine.addr, port), true);
      assert.equal(await connects('127.0.0.1', port), false);
    } finally {
      await holder.stop();
    }
  });
});
