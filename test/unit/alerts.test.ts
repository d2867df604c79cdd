import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import type Dockerode from 'dockerode';
import { notificationsFor } from '../../main/api/controller/notifications';
import type { InstanceView, NotificationView, Overview } from '../../main/shared/api/table';
import { MAX_TOASTS, withToast, type ToastItem } from '../../main/shared/display/toasts';
import { offerNotification, pendingOffers, WorktreeOffers } from '../../main/api/overview/worktreeOffers';
import { worktreeNotification } from '../../main/api/overview/worktreeWatchers';
import { StatusModel, type EngineReader } from '../../main/docker/status/statusModel';
import { instanceView } from './views';

const ov = (instances: InstanceView[]): Overview => ({
  engine: 'connected',
  engines: [],
  instances,
  conflicts: [],
  refreshError: null,
});
const withServices = (services: InstanceView['services'], status: InstanceView['status']) =>
  ov([instanceView('quick_fix', { status, services })]);
const up = {
  postgres: { state: 'running', health: 'healthy' as const },
  redis: { state: 'running', health: 'none' as const },
};

describe('alerts only for what nobody asked for', () => {
  test('a service stopped on request (the engine saw a stop or kill) is no failure; one that died is', () => {
    const before = withServices(up, 'running');
    const asked = withServices({ ...up, redis: { state: 'exited', health: 'none', stopAsked: true } }, 'partial');
    assert.deepEqual(notificationsFor(before, asked), []);
    const removal = withServices(
      {
        postgres: { state: 'exited', health: 'none', stopAsked: true },
        redis: { state: 'exited', health: 'none', stopAsked: true },
      },
      'stopped',
    );
    assert.deepEqual(notificationsFor(before, removal), [], 'a policy removal stops everything: not a failure');
    const died = withServices({ ...up, redis: { state: 'exited', health: 'none' } }, 'partial');
    assert.deepEqual(
      notificationsFor(before, died).map((n) => [n.kind, n.body]),
      [['failed', 'redis stopped unexpectedly']],
    );
  });

  test('"ready" says "healthy" only where a health check said so', () => {
    const starting = (services: InstanceView['services']) =>
      withServices(
        Object.fromEntries(Object.entries(services).map(([k, v]) => [k, { ...v, state: 'created' }])),
        'partial',
      );
    const ready = (services: InstanceView['services']) =>
      notificationsFor(starting(services), withServices(services, 'running')).map((n) => [n.kind, n.body]);
    assert.deepEqual(ready({ postgres: { state: 'running', health: 'healthy' } }), [
      ['healthy', 'All services of quick_fix are running and healthy.'],
    ]);
    assert.deepEqual(ready({ web: { state: 'running', health: 'none' } }), [
      ['healthy', 'All services of quick_fix are running (none has a health check).'],
    ]);
    assert.deepEqual(ready(up), [
      ['healthy', 'All services of quick_fix are running; the 1 with a health check are healthy.'],
    ]);
  });

  test('the status model marks a container stopped after a kill event, not one that died by itself', async () => {
    const events = new PassThrough();
    const state = { c1: 'running', c2: 'running' };
    const entry = (id: 'c1' | 'c2'): Dockerode.ContainerInfo =>
      ({
        Id: id,
        Names: [`/shop_${id}`],
        Labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': id },
        State: state[id],
        Status: state[id] === 'running' ? 'Up 3 minutes' : 'Exited (0) 1 second ago',
        Image: 'x',
        Created: 0,
        Ports: [],
      }) as unknown as Dockerode.ContainerInfo;
    const reader = {
      getEvents: async () => events,
      listContainers: async (o?: { filters?: { id?: string[] } }) =>
        (o?.filters?.id ?? ['c1', 'c2']).map((id) => entry(id as 'c1' | 'c2')),
    } as unknown as EngineReader;
    const model = new StatusModel({ connect: async () => ({ docker: reader }), reconcileMs: 0 });
    await model.start();
    const send = (ID: string, Action: string) =>
      events.write(`${JSON.stringify({ Type: 'container', Action, Actor: { ID, Attributes: {} } })}\n`);
    send('c1', 'kill'); // `docker stop`: kill, die, stop
    state.c1 = 'exited';
    send('c1', 'die');
    send('c1', 'stop');
    state.c2 = 'exited'; // a crash: die alone
    send('c2', 'die');
    await new Promise((r) => setTimeout(r, 50));
    const byId = new Map(model.project('shop')!.map((c) => [c.id, c]));
    assert.equal(byId.get('c1')?.stopAsked, true);
    assert.equal(byId.get('c2')?.stopAsked, undefined);
    // Started again, then crashed: no longer "asked".
    state.c1 = 'running';
    send('c1', 'start');
    await new Promise((r) => setTimeout(r, 20));
    state.c1 = 'exited';
    send('c1', 'die');
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(model.project('shop')!.find((c) => c.id === 'c1')?.stopAsked, undefined);
    model.stop();
  });
});

describe('toasts: coalesced, at most three', () => {
  const note = (title: string, instance: string | null = null, kind: NotificationView['kind'] = 'failed') => ({
    kind,
    title,
    body: `${title} body`,
    instance,
  });
  const add = (notes: NotificationView[]) => notes.reduce<ToastItem[]>((l, n, i) => withToast(l, n, i + 1), []);

  test('at most three: the oldest goes first', () => {
    const list = add(['a', 'b', 'c', 'd', 'e'].map((t) => note(t)));
    assert.equal(MAX_TOASTS, 3);
    assert.deepEqual(
      list.map((t) => t.title),
      ['c', 'd', 'e'],
    );
  });

  test('the same words twice, or later news of the same kind about one instance, are one toast', () => {
    const list = add([
      note('a failed', 'a'),
      note('Port conflict', null, 'conflict'),
      note('a failed', 'a'),
      { kind: 'worktree', title: 'Worktree registered: qf', body: 'registered', instance: 'qf' },
      { kind: 'worktree', title: 'qf started', body: 'Its services are up', instance: 'qf' },
    ]);
    assert.deepEqual(
      list.map((t) => t.title),
      ['Port conflict', 'a failed', 'qf started'],
    );
  });

  test('instances that get ready together share one toast that names them', () => {
    const list = add(['a', 'b', 'c', 'd'].map((n) => note(`${n} is ready`, n, 'healthy')));
    assert.equal(list.length, 1);
    assert.equal(list[0]!.title, 'a, b and 2 more are ready');
    const healthy = (n: string) => ({
      ...note(`${n} is ready`, n, 'healthy'),
      body: `All services of ${n} are running and healthy.`,
    });
    const unchecked = {
      ...note('e is ready', 'e', 'healthy'),
      body: 'All services of e are running (none has a health check).',
    };
    assert.equal(add([healthy('a'), healthy('b')])[0]!.body, 'All their services are running and healthy.');
    assert.equal(add([healthy('a'), unchecked])[0]!.body, 'All their services are running.');
    assert.equal(add([unchecked, healthy('a')])[0]!.body, 'All their services are running.');
  });
});

describe('new worktrees: one offer per repository, listing them all', () => {
  test('offers grow per repository, never list the repository itself, and drop what got registered', () => {
    const offers = new WorktreeOffers();
    assert.equal(offers.add('/src/shop', ['/src/shop-a']), true, 'a new offer: notified');
    assert.equal(offers.add('/src/shop', ['/src/shop-a', '/src/shop-b', '/src/shop']), false, 'grown: not again');
    assert.equal(offers.add('/src/blog', ['/src/blog-x']), true);
    assert.deepEqual(offers.views(new Set(['/src/shop'])), [
      { repository: '/src/blog', paths: ['/src/blog-x'] },
      { repository: '/src/shop', paths: ['/src/shop-a', '/src/shop-b'] },
    ]);
    assert.deepEqual(offers.views(new Set(['/src/blog-x', '/src/shop-a'])), [
      { repository: '/src/shop', paths: ['/src/shop-b'] },
    ]);
    // Dismissed: its worktrees are not offered again, a later new one is.
    assert.equal(offers.dismiss('/src/shop'), true);
    assert.deepEqual(offers.views(new Set()), []);
    assert.equal(offers.add('/src/shop', ['/src/shop-b']), false);
    assert.deepEqual(offers.views(new Set()), []);
    assert.equal(offers.add('/src/shop', ['/src/shop-b', '/src/shop-c']), true);
    assert.deepEqual(offers.views(new Set()), [{ repository: '/src/shop', paths: ['/src/shop-c'] }]);
  });

  test('pendingOffers is a pure view; the notification names every new worktree, once', () => {
    const offers = new Map([['/src/shop', ['/src/shop', '/src/shop-a', '/src/shop-b']]]);
    assert.deepEqual(pendingOffers(offers, new Set()), [
      { repository: '/src/shop', paths: ['/src/shop-a', '/src/shop-b'] },
    ]);
    const n = offerNotification({ repository: '/src/shop', paths: ['/src/shop-a', '/src/shop-b'] });
    assert.equal(n.title, 'New worktrees of shop');
    assert.match(n.body, /^shop-a, shop-b are not registered yet/);
  });

  test("a worktree started by its policy is said once; the repository's trust note is news, not an offer", () => {
    const started = worktreeNotification(
      { action: 'started', path: '/src/shop-qf', name: 'quick_fix', message: 'started quick_fix: running' },
      '/src/shop',
    );
    assert.equal(started.title, 'quick_fix started');
    assert.doesNotMatch(started.body, /started quick_fix/);
    const trust = worktreeNotification(
      { action: 'offer', path: '/src/shop', message: 'axi trust /src/shop' },
      '/src/shop',
    );
    assert.equal(trust.kind, 'worktree');
  });
});
