import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DeployedStacks } from '../../main/api/overview/deployedStacks';
import { stackShortfall, stackTasks } from '../../main/shared/display/stackText';
import type { Overview, StackView } from '../../main/shared/api/table';
import { buildTrayTemplate, type TrayActions, type TraySettings } from '../../main/electron/trayMenu';
import { instanceView } from './views';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const stack = (running: number): StackView => ({
  name: 'aegisx_alice_auth',
  running,
  desired: 3,
  services: [
    { name: 'aegisx_alice_auth_postgres', running: 1, desired: 1 },
    { name: 'aegisx_alice_auth_redis', running: 1, desired: 1 },
    { name: 'aegisx_alice_auth_pgadmin', running: running - 2, desired: 1 },
  ],
});

describe('deployed Swarm stacks in the window and the tray', () => {
  test("the words: tasks running, and the services still short of theirs (the stack's prefix left out)", () => {
    assert.equal(stackTasks(stack(2)), '2/3 tasks running');
    assert.equal(stackShortfall(stack(2), 'aegisx_alice_auth'), 'pgadmin 0/1');
    assert.equal(stackShortfall(stack(3), 'aegisx_alice_auth'), '');
  });

  test('a burst of engine events is one look at the engines; a change is published, the same answer is not', async () => {
    let reads = 0;
    let changes = 0;
    let answer = new Map([['aegisx/auth', stack(2)]]);
    const stacks = new DeployedStacks({
      read: async () => (reads++, await sleep(5), answer),
      changed: () => changes++,
      minGapMs: 50,
      convergingMs: 60_000, // not within this test
    });
    await stacks.refresh();
    assert.deepEqual([reads, changes, stacks.current().get('aegisx/auth')?.running], [1, 1, 2]);
    for (let i = 0; i < 20; i++) stacks.request(); // a task's containers starting, one event each
    await sleep(120);
    assert.deepEqual([reads, changes], [2, 1], 'one look after the gap; nothing new to publish');
    answer = new Map([['aegisx/auth', stack(3)]]);
    stacks.request();
    await sleep(120);
    assert.deepEqual([reads, changes, stacks.current().get('aegisx/auth')?.running], [3, 2, 3]);
    stacks.stop();
  });

  test('a stack short of its tasks is looked at again by itself until it is whole (its tasks are no Compose events)', async () => {
    let running = 0; // 2/3: pgadmin's task not placed yet
    let reads = 0;
    const stacks = new DeployedStacks({
      read: async () => (reads++, new Map([['aegisx/auth', stack(running + 2)]])),
      changed: () => undefined,
      minGapMs: 10,
      convergingMs: 30,
    });
    await stacks.refresh();
    await sleep(100);
    assert.ok(reads >= 3, `looked again while short: ${reads}`);
    running = 1; // whole: 3/3
    const whole = reads;
    stacks.request();
    await sleep(50);
    assert.equal(stacks.current().get('aegisx/auth')?.running, 3);
    const after = reads;
    await sleep(100);
    assert.equal(reads, after, `no more looks once whole (had ${whole} before)`);
    stacks.stop();
  });

  test('a look that fails keeps what was shown', async () => {
    let fail = false;
    const stacks = new DeployedStacks({
      read: async () => {
        if (fail) throw new Error('engine away');
        return new Map([['aegisx/auth', stack(3)]]);
      },
      changed: () => undefined,
    });
    await stacks.refresh();
    fail = true;
    await stacks.refresh();
    assert.equal(stacks.current().get('aegisx/auth')?.running, 3);
  });

  test('the tray names the stack and its tasks beside the Compose state', () => {
    const o: Overview = {
      engine: 'connected',
      engines: [],
      conflicts: [],
      refreshError: null,
      instances: [instanceView('auth', { status: 'stopped', stack: stack(2) })],
    };
    const actions = new Proxy({}, { get: () => () => undefined }) as TrayActions;
    const settings: TraySettings = { notifications: true, startAtLogin: false };
    const item = buildTrayTemplate(o, actions, settings).find((i) => String(i.label).startsWith('auth'))!;
    assert.equal(item.label, 'auth (stopped) · stack 2/3');
    const sub = item.submenu as { label?: string; enabled?: boolean }[];
    const line = sub.find((s) => s.label?.startsWith('Swarm stack'))!;
    assert.deepEqual([line.label, line.enabled], ['Swarm stack aegisx_alice_auth: 2/3 tasks running', false]);
  });
});
