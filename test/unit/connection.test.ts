import assert from 'node:assert/strict';
import { test } from 'node:test';
import { candidateEndpoints, dockerodeOptions } from '../../main/docker/connection';
import { AxiError } from '../../main/core/errors';

test('unix socket: its path', () => {
  assert.deepEqual(dockerodeOptions('unix:///var/run/docker.sock'), { socketPath: '/var/run/docker.sock' });
  assert.deepEqual(dockerodeOptions('unix:///home/me/.colima/default/docker.sock'), {
    socketPath: '/home/me/.colima/default/docker.sock',
  });
});

test('Windows named pipe: the pipe path with backslashes', () => {
  assert.deepEqual(dockerodeOptions('npipe:////./pipe/docker_engine'), { socketPath: '\\\\.\\pipe\\docker_engine' });
});

test('tcp and http: plain HTTP, port 2375 unless given', () => {
  assert.deepEqual(dockerodeOptions('tcp://10.0.0.5'), { host: '10.0.0.5', port: 2375, protocol: 'http' });
  assert.deepEqual(dockerodeOptions('tcp://10.0.0.5:2380'), { host: '10.0.0.5', port: 2380, protocol: 'http' });
  assert.deepEqual(dockerodeOptions('http://docker.local'), { host: 'docker.local', port: 2375, protocol: 'http' });
  assert.deepEqual(dockerodeOptions('http://docker.local:80'), { host: 'docker.local', port: 80, protocol: 'http' }); // http's own port, written out
});

test('https: TLS, port 2376 unless given', () => {
  assert.deepEqual(dockerodeOptions('https://docker.example.com'), {
    host: 'docker.example.com',
    port: 2376,
    protocol: 'https',
  });
  assert.deepEqual(dockerodeOptions('https://docker.example.com:443'), {
    host: 'docker.example.com',
    port: 443,
    protocol: 'https',
  });
});

test('ssh: host, port 22 unless given, the user when there is one', () => {
  assert.deepEqual(dockerodeOptions('ssh://deploy@build-box:2222'), {
    host: 'build-box',
    port: 2222,
    username: 'deploy',
    protocol: 'ssh',
  });
  assert.deepEqual(dockerodeOptions('ssh://build-box'), {
    host: 'build-box',
    port: 22,
    username: undefined,
    protocol: 'ssh',
  });
});

test('any other scheme is bad input naming the endpoint; a non-URL does not pass either', () => {
  assert.throws(
    () => dockerodeOptions('fd://3'),
    (e: unknown) =>
      e instanceof AxiError && e.code === 'BAD_INPUT' && e.message === 'unsupported Docker endpoint fd://3',
  );
  assert.throws(() => dockerodeOptions('/var/run/docker.sock'));
});

test('DOCKER_HOST is the only candidate when set; else the usual sockets under this home', () => {
  assert.deepEqual(candidateEndpoints({ DOCKER_HOST: 'tcp://h:1' }, '/home/me'), [
    { host: 'tcp://h:1', source: 'DOCKER_HOST' },
  ]);
  const hosts = candidateEndpoints({ DOCKER_CONFIG: '/nonexistent' }, '/home/me').map((e) => e.host);
  assert.equal(hosts[0], 'unix:///var/run/docker.sock');
  assert.ok(hosts.includes('unix:///home/me/.docker/run/docker.sock'));
  assert.ok(hosts.includes('unix:///home/me/.colima/default/docker.sock'));
});
