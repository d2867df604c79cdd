import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import { instanceEngineState, lostEngines, remoteEngineNotes } from '../../main/shared/display/engineStates';
import { notificationsFor } from '../../main/api/controller/notifications';
import type { EngineState, Overview } from '../../main/shared/api/table';
import { EngineStatusModels, type EngineFollower } from '../../main/docker/engine/engineStatus';
import type { ContainerStatus } from '../../main/docker/status/status';
import {
  buildTrayTemplate,
  remoteLostLabel,
  trayIconState,
  type TrayActions,
  type TraySettings,
} from '../../main/electron/trayMenu';
import { instanceView } from './views';

/** A status model behind the follower interface: its state and containers are set by the test. */
class FakeFollower extends EventEmitter implements EngineFollower {
  engine: EngineState = 'connecting';
  started = 0;
  stopped = 0;
  reconnected = 0;
  containers: ContainerStatus[] = [];
  project(project: string) {
    return this.engine === 'connected' ? this.containers.filter((c) => c.project === project) : undefined;
  }
  start() {
    this.started++;
    return Promise.resolve();
  }
  stop() {
    this.stopped++;
  }
  reconnect() {
    this.reconnected++;
    return Promise.resolve();
  }
  set(state: EngineState) {
    this.engine = state;
    this.emit('engine', state);
  }
}

function models() {
  const local = new FakeFollower();
  const remotes = new Map<string, FakeFollower>();
  const m = new EngineStatusModels({
    local,
    remote: (e) => {
      const f = new FakeFollower();
      remotes.set(e, f);
      return f;
    },
  });
  return { local, remotes, m };
}

const DEVBOX = 'ssh://alice@devbox.lan';

describe('EngineStatusModels: one follower per engine with instances', () => {
  test('follows the remote engines the registrations name, starts them once started, drops unnamed ones', async () => {
    const { local, remotes, m } = models();
    m.follow([null, DEVBOX, undefined, DEVBOX]);
    assert.deepEqual([...remotes.keys()], [DEVBOX]);
    await m.start();
    assert.equal(local.started, 1);
    assert.equal(remotes.get(DEVBOX)!.started, 1);
    m.follow([DEVBOX, 'tcp://10.0.0.9:2375']);
    assert.equal(remotes.get('tcp://10.0.0.9:2375')!.started, 1, 'a new engine after start starts at once');
    m.follow([null]);
    assert.deepEqual(m.engines(), []);
    assert.equal(remotes.get(DEVBOX)!.stopped, 1);
    m.stop();
    assert.equal(local.stopped, 1);
  });

  test('each engine has its own state; losing one leaves the others; reconnect is the local one only', async () => {
    const { local, remotes, m } = models();
    m.follow([DEVBOX]);
    const seen: [string, string | null][] = [];
    m.on('engine', (s: string, id: string | null) => void seen.push([s, id]));
    local.set('connected');
    remotes.get(DEVBOX)!.set('connected');
    remotes.get(DEVBOX)!.set('unknown');
    assert.equal(m.engine, 'connected');
    assert.equal(m.stateOf(null), 'connected');
    assert.equal(m.stateOf(DEVBOX), 'unknown');
    assert.equal(m.stateOf('tcp://elsewhere:2375'), 'connecting');
    assert.deepEqual(m.engines(), [{ id: DEVBOX, label: 'devbox.lan', state: 'unknown' }]);
    assert.equal(m.project('p', DEVBOX), undefined, 'a lost engine knows nothing of its projects');
    assert.deepEqual(m.project('p'), []);
    assert.deepEqual(seen, [
      ['connected', null],
      ['connected', DEVBOX],
      ['unknown', DEVBOX],
    ]);
    await m.reconnect();
    assert.deepEqual([local.reconnected, remotes.get(DEVBOX)!.reconnected], [1, 0]);
  });
});

const ov = (o: Partial<Overview>): Overview => ({
  engine: 'connected',
  engines: [],
  instances: [],
  conflicts: [],
  refreshError: null,
  ...o,
});
const here = instanceView('here', { status: 'running' });
const there = (state: EngineState, status: 'running' | 'unknown') =>
  instanceView('there', { status, engine: DEVBOX, engineState: state });
const devbox = (state: EngineState) => [{ id: DEVBOX, label: 'devbox.lan', state }];

describe('per-engine state in the overview, the notifications and the tray', () => {
  const up = ov({ engines: devbox('connected'), instances: [here, there('connected', 'running')] });
  const lost = ov({ engines: devbox('unknown'), instances: [here, there('unknown', 'unknown')] });

  test("an instance reads its own engine's state", () => {
    assert.equal(instanceEngineState(lost, here), 'connected');
    assert.equal(instanceEngineState(lost, lost.instances[1]!), 'unknown');
    assert.equal(instanceEngineState(ov({ engine: 'unknown' }), here), 'unknown');
    assert.deepEqual(lostEngines(lost), [{ id: DEVBOX, label: 'devbox.lan', count: 1 }]);
    assert.deepEqual(lostEngines(up), []);
  });

  test('engine-lost and engine-back name the remote engine; its instances do not "fail"', () => {
    assert.deepEqual(
      notificationsFor(up, lost).map((n) => [n.kind, n.title, n.body]),
      [
        [
          'engine-lost',
          'Docker engine devbox.lan lost',
          'Only its instance is unknown until devbox.lan answers again; local instances are not affected.',
        ],
      ],
    );
    assert.deepEqual(
      remoteEngineNotes(lost, up).map((n) => [n.kind, n.title]),
      [['engine-back', 'Docker engine devbox.lan is back']],
    );
    assert.deepEqual(notificationsFor(up, up), []);
  });

  test('the tray names the lost engine, disables only its instances, and alerts', () => {
    assert.equal(
      remoteLostLabel({ label: 'devbox.lan', count: 2 }),
      'Docker engine devbox.lan unreachable (2 instances)',
    );
    const actions = new Proxy({}, { get: () => () => undefined }) as TrayActions;
    const settings: TraySettings = { notifications: true, startAtLogin: false };
    const items = buildTrayTemplate(lost, actions, settings);
    assert.equal(items[0]!.label, 'Docker engine devbox.lan unreachable (1 instance)');
    const item = (name: string) => items.find((i) => String(i.label).startsWith(name))!;
    assert.equal(item('there @ devbox.lan').label, 'there @ devbox.lan (unknown)');
    const toggle = (name: string) => (item(name).submenu as { enabled?: boolean }[])[0]!.enabled;
    assert.deepEqual([toggle('here'), toggle('there')], [true, false]);
    assert.equal(trayIconState(lost), 'alert');
    // Start all / Stop all follow each instance's engine: the local one away, a running remote one can be stopped.
    const localAway = ov({
      engine: 'unknown',
      engines: devbox('connected'),
      instances: [there('connected', 'running')],
    });
    const bulk = buildTrayTemplate(localAway, actions, settings);
    const enabled = (label: string) => bulk.find((i) => i.label === label)!.enabled;
    assert.deepEqual([enabled('Start all'), enabled('Stop all')], [false, true]);
    const allLost = buildTrayTemplate(lost, actions, settings);
    assert.equal(allLost.find((i) => i.label === 'Start all')!.enabled, false, 'only the lost one is down');
    assert.equal(trayIconState(up), 'running');
  });
});
