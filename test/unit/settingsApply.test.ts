import assert from 'node:assert/strict';
import http from 'node:http';
import { PassThrough } from 'node:stream';
import { after, describe, test } from 'node:test';
import { OverviewPublisher } from '../../main/api/overview/overviewPublisher';
import { SettingsManager, supportedSettings, type SettingsHost } from '../../main/api/handlers/settings';
import type { ApiEvents, SettingsView } from '../../main/shared/api/table';
import { memorySettings } from '../../main/shared/schemas/settings';
import { createBackend } from '../../main/docker/lifecycle/backend';
import type { DockerConnection } from '../../main/docker/engine/connection';
import { StatusModel } from '../../main/docker/status/statusModel';
import { sandbox } from '../helpers';

function manager(host: SettingsHost, opts: { answers?: boolean } = {}) {
  const store = memorySettings();
  const calls: string[] = [];
  const views: SettingsView[] = [];
  const m = new SettingsManager({
    store,
    host,
    endpoint: {
      check: (e) => {
        calls.push(`check ${e}`);
        return opts.answers
          ? Promise.resolve()
          : Promise.reject(new Error(`dockerEndpoint ${JSON.stringify(e)}: no Docker engine answered a ping`));
      },
      use: (e) => Promise.resolve(void calls.push(`use ${e}`)),
      automatic: () => 'unix:///var/run/docker.sock',
    },
    changed: (v) => views.push(v),
  });
  return { m, store, calls, views };
}

describe('applying settings', () => {
  test('under axi serve start at login is shown unsupported, with the reason, and a change to it is refused', async () => {
    const { m, store } = manager({ kind: 'serve' });
    const view = m.view();
    assert.equal(view.supported.startAtLogin.ok, false);
    assert.match((view.supported.startAtLogin as { reason: string }).reason, /belongs to the desktop app/);
    assert.deepEqual(supportedSettings('app').startAtLogin, { ok: true });
    await assert.rejects(m.update({ startAtLogin: true, notifications: false }), {
      code: 'BAD_INPUT',
      message: /^startAtLogin: start at login belongs to the desktop app/,
    });
    assert.equal(store.read().settings.notifications, true, 'a refused change changes nothing');
  });

  test('in the app the login item follows the setting, at start and on each change', async () => {
    const logins: boolean[] = [];
    const { m, views } = manager({ kind: 'app', setStartAtLogin: (on) => void logins.push(on) });
    m.applyAtStart();
    await m.update({ startAtLogin: true });
    await m.update({ notifications: false }); // no change to the login item: not set again
    assert.deepEqual(logins, [false, true]);
    assert.deepEqual(
      views.map((v) => [v.values.startAtLogin, v.values.notifications]),
      [
        [true, true],
        [true, false],
      ],
    );
  });

  test('an endpoint that does not answer is refused, the old one kept and named; nothing is written or switched', async () => {
    const { m, store, calls, views } = manager({ kind: 'serve' }, { answers: false });
    await assert.rejects(m.update({ dockerEndpoint: 'tcp://127.0.0.1:1' }), {
      code: 'DOCKER_UNAVAILABLE',
      message:
        'dockerEndpoint "tcp://127.0.0.1:1": no Docker engine answered a ping; still using automatic (unix:///var/run/docker.sock)',
    });
    assert.equal(store.read().settings.dockerEndpoint, null);
    assert.deepEqual(calls, ['check tcp://127.0.0.1:1']);
    assert.deepEqual(views, []);
  });

  test('an endpoint that answers is stored, then every connection moves to it; the same one again is not pinged', async () => {
    const { m, store, calls, views } = manager({ kind: 'serve' }, { answers: true });
    const view = await m.update({ dockerEndpoint: ' tcp://10.1.2.3:2375 ' });
    assert.equal(view.values.dockerEndpoint, 'tcp://10.1.2.3:2375');
    assert.equal(store.read().settings.dockerEndpoint, 'tcp://10.1.2.3:2375');
    await m.update({ dockerEndpoint: 'tcp://10.1.2.3:2375' });
    assert.deepEqual(calls, ['check tcp://10.1.2.3:2375', 'use tcp://10.1.2.3:2375']);
    assert.equal(views.length, 2);
    assert.equal(views[0]!.automaticEndpoint, 'unix:///var/run/docker.sock');
  });

  test('a bad value is refused before anything is pinged', async () => {
    const { m, calls } = manager({ kind: 'serve' }, { answers: true });
    await assert.rejects(m.update({ dockerEndpoint: 'tcp://10.1.2.3:2375', defaultBind: 'lan' }), {
      message: 'defaultBind "lan" is not an IP address (e.g. 127.0.0.1, or 0.0.0.0 for the LAN)',
    });
    assert.deepEqual(calls, []);
  });
});

describe('the notifications setting gates what the publisher notifies, never the overview', () => {
  test('quiet: overviews published, notifications not', async () => {
    let quiet = true;
    const sent: string[] = [];
    const events = { emit: (e: keyof ApiEvents) => void sent.push(e) };
    const conflicts = [{ port: 5466, kind: 'host' as const, service: 'postgres', instances: ['auth'] }];
    let data = { engine: 'connected' as const, engines: [], instances: [], conflicts: [] as typeof conflicts };
    const p = new OverviewPublisher({ build: () => Promise.resolve(data), events, quiet: () => quiet });
    await p.publish();
    data = { ...data, conflicts };
    await p.publish();
    assert.deepEqual(sent, ['overview', 'overview']);
    quiet = false;
    data = { ...data, conflicts: [{ ...conflicts[0]!, port: 5467 }] };
    await p.publish();
    assert.deepEqual(sent.slice(2), ['overview', 'notification']);
  });
});

/** An engine that answers a ping and nothing else (as far as this test needs). */
function pingOnly(): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    res.writeHead(req.url?.startsWith('/_ping') ? 200 : 500, { 'Content-Type': 'text/plain' });
    res.end(req.url?.startsWith('/_ping') ? 'OK' : 'no');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `tcp://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => server.close() }),
    ),
  );
}

describe('the backend follows the endpoint setting', () => {
  const sb = sandbox();
  after(() => sb.cleanup());

  test('it starts from the stored endpoint, pings before a switch, and moves on a switch', async () => {
    const settings = memorySettings({ dockerEndpoint: 'unix:///nonexistent/docker.sock', defaultBind: '0.0.0.0' });
    // Both refusals are immediate (no socket, connection refused); the time bound only has to let the stand-in
    // engine answer on a loaded machine (the parallel unit run missed 300 ms).
    const backend = createBackend({ paths: sb.service().paths, settings, pingTimeoutMs: 5000 });
    assert.equal(backend.dockerEndpoint().configured, 'unix:///nonexistent/docker.sock');
    await assert.rejects(backend.checkDockerEndpoint('unix:///nonexistent/other.sock'), {
      code: 'DOCKER_UNAVAILABLE',
      message: 'dockerEndpoint "unix:///nonexistent/other.sock": there is no such socket',
    });
    await assert.rejects(backend.checkDockerEndpoint('tcp://127.0.0.1:1'), {
      message: 'dockerEndpoint "tcp://127.0.0.1:1": no Docker engine answered a ping',
    });
    const engine = await pingOnly();
    try {
      await backend.checkDockerEndpoint(engine.url);
    } finally {
      engine.close();
    }
    await backend.checkDockerEndpoint(null); // automatic is always accepted
    backend.setDockerEndpoint('tcp://10.9.9.9:2375');
    assert.equal(backend.dockerEndpoint().configured, 'tcp://10.9.9.9:2375');
  });

  test('a new registration publishes on the default bind setting, read at each setup; --bind still wins', async () => {
    const settings = memorySettings({ defaultBind: '0.0.0.0' });
    const backend = createBackend({ paths: sb.service().paths, settings });
    const lan = await backend.service.setup(sb.folder('aegisx-starter-lan'), { env: {} });
    assert.equal(lan.bind, '0.0.0.0');
    await settings.update({ defaultBind: '127.0.0.1' });
    const local = await backend.service.setup(sb.folder('aegisx-starter-local'), { env: {} });
    assert.equal(local.bind, '127.0.0.1');
    const told = await backend.service.setup(sb.folder('aegisx-starter-told'), { env: {}, bind: '0.0.0.0' });
    assert.equal(told.bind, '0.0.0.0');
    const again = await backend.service.setup(lan.folder, { env: {} });
    assert.equal(again.bind, '0.0.0.0', 'a registered instance keeps its address when set up again');
  });
});

describe('the status model reconnects when the endpoint changes', () => {
  test('the old event stream is dropped, the state is connecting, then follows the new engine', async () => {
    const streams: PassThrough[] = [];
    let target = 'old';
    const fake = (name: string) =>
      ({
        docker: {
          getEvents: () => {
            if (name === 'dead') return Promise.reject(new Error('connect ECONNREFUSED'));
            const s = new PassThrough();
            streams.push(s);
            return Promise.resolve(s);
          },
          listContainers: () => Promise.resolve([]),
        },
        endpoint: { host: name, source: 'test' },
      }) as unknown as DockerConnection;
    const model = new StatusModel({ connect: () => Promise.resolve(fake(target)), minBackoffMs: 5_000 });
    const states: string[] = [];
    model.on('engine', (s: string) => states.push(s));
    await model.start();
    assert.equal(model.engine, 'connected');
    target = 'dead';
    await model.reconnect();
    assert.equal(streams[0]!.destroyed, true, 'the old stream is closed');
    assert.equal(model.engine, 'unknown', 'an engine that stops answering after the ping shows as unreachable');
    target = 'new';
    await model.reconnect();
    assert.equal(model.engine, 'connected');
    assert.equal(streams.length, 2);
    assert.deepEqual(states, ['connected', 'connecting', 'unknown', 'connecting', 'connected']);
    model.stop();
  });
});
