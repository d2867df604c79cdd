import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exec } from '../docker/dockerHelpers';
import { startRemoteEngine, type RemoteOrSkip } from './remoteEngine';
import { startRemoteSsh, type RemoteSsh } from './remoteSsh';

/** The harness's SSH path to the namespace engine: Docker's CLI over ssh://, and dockerode's own `protocol: 'ssh'`. */
describe('SSH to the namespace engine (test harness)', () => {
  let remote: RemoteOrSkip = { skip: 'not started' };
  let ssh: RemoteSsh | undefined;
  let skip = 'not started';

  before(async () => {
    remote = await startRemoteEngine(['postgres:15-alpine']);
    if (!remote.engine) return void (skip = remote.skip);
    const s = await startRemoteSsh();
    if (s.ssh) ssh = s.ssh;
    else skip = s.skip;
  });
  after(async () => {
    await remote.engine?.stop();
  });

  test('docker -H ssh://root@10.231.0.2 reaches the namespace engine, not the host’s', async (t) => {
    if (!ssh) return t.skip(skip);
    const env = { ...ssh.env(process.env), DOCKER_CONTEXT: '' };
    const r = await exec('docker', ['-H', ssh.host, 'info', '--format', '{{.DockerRootDir}}'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), '/var/lib/axiremote');
  });

  test('a docker context over SSH (in a private DOCKER_CONFIG) reaches it too', async (t) => {
    if (!ssh) return t.skip(skip);
    const config = mkdtempSync(path.join(os.tmpdir(), 'axi-ctx-'));
    try {
      const env = { ...ssh.env(process.env), DOCKER_CONFIG: config, DOCKER_HOST: '', DOCKER_CONTEXT: '' };
      const made = await exec('docker', ['context', 'create', 'axiremote', '--docker', `host=${ssh.host}`], env);
      assert.equal(made.code, 0, made.stderr);
      const r = await exec('docker', ['--context', 'axiremote', 'info', '--format', '{{.DockerRootDir}}'], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), '/var/lib/axiremote');
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  });

  test("dockerode with protocol: 'ssh' and the throwaway key lists the namespace engine's images", async (t) => {
    if (!ssh) return t.skip(skip);
    const { default: Docker } = await import('dockerode');
    const docker = new Docker({
      protocol: 'ssh',
      host: '10.231.0.2',
      port: 22,
      username: 'root',
      sshOptions: { privateKey: ssh.privateKey },
    });
    const info = (await docker.info()) as { DockerRootDir: string };
    assert.equal(info.DockerRootDir, '/var/lib/axiremote');
  });
});
