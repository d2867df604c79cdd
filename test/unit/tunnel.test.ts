import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AxiError } from '../../main/shared/errors';
import { sshDestination, sshTarget } from '../../main/core/util/sshTarget';
import { dialStdioArgs } from '../../main/docker/engine/sshDial';
import { tunnelArgs } from '../../main/docker/remote/sshTunnel';

test('sshTarget: host, user and port as written; -- ends ssh options before the host', () => {
  assert.deepEqual(sshTarget('ssh://me@devbox'), { host: 'devbox', user: 'me' });
  assert.deepEqual(sshTarget('ssh://deploy@10.0.0.5:2222'), { host: '10.0.0.5', user: 'deploy', port: 2222 });
  assert.deepEqual(sshTarget('ssh://devbox'), { host: 'devbox' });
  assert.deepEqual(sshDestination(sshTarget('ssh://me@devbox:2222')), ['-l', 'me', '-p', '2222', '--', 'devbox']);
});

test('sshTarget refuses what is not an ssh:// endpoint, naming it', () => {
  for (const bad of ['tcp://h:2375', 'ssh://', 'devbox', 'ssh://h/some/path', 'ssh://-oProxyCommand=x'])
    assert.throws(
      () => sshTarget(bad),
      (err: unknown) =>
        err instanceof AxiError && err.code === 'BAD_INPUT' && err.message.includes(JSON.stringify(bad)),
      bad,
    );
});

test('the Engine API goes through ssh … docker system dial-stdio, never prompting', () => {
  assert.deepEqual(dialStdioArgs({ host: 'devbox', user: 'me' }), [
    ...['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=15', '-T'],
    ...['-l', 'me', '--', 'devbox', 'docker', 'system', 'dial-stdio'],
  ]);
});

test('tunnel: one -L per published port to the same port on 127.0.0.1, fail-fast forwards, keepalives', () => {
  const args = tunnelArgs({
    kind: 'ssh',
    name: 'auth_fix',
    endpoint: 'ssh://me@devbox',
    target: { host: 'devbox', user: 'me' },
    remoteHost: '127.0.0.1',
    forwards: [
      { service: 'postgres', port: 5528 },
      { service: 'redis', port: 6476 },
    ],
  });
  assert.deepEqual(args.slice(-4), ['-l', 'me', '--', 'devbox']);
  assert.deepEqual(
    args.filter((_, i) => args[i - 1] === '-L'),
    ['127.0.0.1:5528:127.0.0.1:5528', '127.0.0.1:6476:127.0.0.1:6476'],
  );
  for (const o of ['ExitOnForwardFailure=yes', 'BatchMode=yes']) assert.ok(args.includes(o), o);
  assert.ok(args.includes('-N'));
  assert.ok(args.some((a) => a.startsWith('ServerAliveInterval=')));
});
