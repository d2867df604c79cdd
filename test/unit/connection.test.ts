import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { candidateEndpoints, dockerodeOptions } from '../../main/docker/engine/connection';
import { AxiError, engineFailure } from '../../main/shared/errors';

/** The options without the agent (checked on its own below). */
function plain(host: string): Record<string, unknown> {
  const { agent: _agent, ...rest } = dockerodeOptions(host) as Record<string, unknown>;
  return rest;
}

test('plain HTTP over sockets shares one keep-alive agent that works out no TLS server name; https keeps Node’s', () => {
  const agent = (dockerodeOptions('unix:///var/run/docker.sock') as { agent?: http.Agent }).agent!;
  assert.ok(agent instanceof http.Agent);
  assert.equal(
    (dockerodeOptions('unix:///run/user/1000/docker.sock') as { agent?: http.Agent }).agent,
    agent,
    'one agent',
  );
  assert.equal((agent as unknown as { keepAlive: boolean }).keepAlive, true);
  assert.equal((dockerodeOptions('https://docker.example.com') as { agent?: unknown }).agent, undefined);
});

test('a request through that agent reaches the server, with the server name already settled (no isIP work)', async () => {
  const agent = (dockerodeOptions('unix:///var/run/docker.sock') as { agent: http.Agent }).agent;
  const server = http.createServer((_, res) => res.end('OK'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const proto = http.Agent.prototype as unknown as {
    addRequest: (this: http.Agent, r: unknown, o: { servername?: string }) => void;
  };
  const original = proto.addRequest;
  let servername: string | undefined;
  proto.addRequest = function (this: http.Agent, r, o) {
    servername = o.servername;
    return original.call(this, r, o);
  };
  try {
    const { port } = server.address() as { port: number };
    const body = await new Promise<string>((resolve, reject) =>
      http
        .get({ host: '127.0.0.1', port, path: '/_ping', agent }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve(text));
        })
        .on('error', reject),
    );
    assert.equal(body, 'OK');
    assert.equal(servername, '', 'set before Node would have computed it');
  } finally {
    proto.addRequest = original;
    agent.destroy();
    server.close();
  }
});

test('unix socket: its path', () => {
  assert.deepEqual(plain('unix:///var/run/docker.sock'), { socketPath: '/var/run/docker.sock' });
  assert.deepEqual(plain('unix:///home/me/.colima/default/docker.sock'), {
    socketPath: '/home/me/.colima/default/docker.sock',
  });
});

test('Windows named pipe: the pipe path with backslashes', () => {
  assert.deepEqual(plain('npipe:////./pipe/docker_engine'), { socketPath: '\\\\.\\pipe\\docker_engine' });
});

test('tcp and http: plain HTTP, port 2375 unless given, dialled by its own agent (named as the socket)', () => {
  assert.deepEqual(plain('tcp://10.0.0.5'), { socketPath: '10.0.0.5:2375' });
  assert.deepEqual(plain('tcp://10.0.0.5:2380'), { socketPath: '10.0.0.5:2380' });
  assert.deepEqual(plain('http://docker.local'), { socketPath: 'docker.local:2375' });
  assert.deepEqual(plain('http://docker.local:80'), { socketPath: 'docker.local:80' }); // http's own port, written out
  assert.deepEqual(plain('tcp://[::1]:2375'), { socketPath: '[::1]:2375' });
});

test("a TCP engine's agent reaches that host and port whatever the request names, as dockerode's client sees it", async () => {
  const server = http.createServer((req, res) => res.end(`OK ${req.url}`));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  try {
    const { default: Docker } = await import('dockerode');
    const docker = new Docker(dockerodeOptions(`tcp://127.0.0.1:${port}`));
    const reply = (await docker.ping()) as Buffer | string;
    assert.equal(String(reply), 'OK /_ping');
    assert.notEqual(
      (dockerodeOptions(`tcp://127.0.0.1:${port}`) as { agent: http.Agent }).agent,
      (dockerodeOptions('unix:///var/run/docker.sock') as { agent: http.Agent }).agent,
    );
  } finally {
    server.close();
  }
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

test("an engine's failure mid-operation is one line saying so, with its exit status; anything else is not one", () => {
  const http500 = Object.assign(
    new Error('(HTTP code 500) server error - failed to update store: open : no such file'),
    {
      statusCode: 500,
      json: { message: 'failed to update store: open : no such file' },
    },
  );
  const refused = engineFailure(http500)!;
  assert.deepEqual(
    [refused.code, refused.exitCode, refused.message],
    ['DOCKER', 1, 'the Docker engine failed the request (HTTP 500): failed to update store: open : no such file'],
  );
  const noJson = Object.assign(new Error('(HTTP code 409) unexpected - conflict: volume in use'), { statusCode: 409 });
  assert.equal(
    engineFailure(noJson)!.message,
    'the Docker engine failed the request (HTTP 409): conflict: volume in use',
  );
  const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  assert.deepEqual([engineFailure(reset)!.code, engineFailure(reset)!.exitCode], ['DOCKER_UNAVAILABLE', 3]);
  assert.equal(engineFailure(new Error('socket hang up'))!.code, 'DOCKER_UNAVAILABLE');
  assert.equal(engineFailure(new TypeError('x is undefined')), undefined, 'a bug stays a bug');
});
