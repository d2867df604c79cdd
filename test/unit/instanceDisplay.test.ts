import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  isMainCheckout,
  ago,
  gridNeighbour,
  groupInstances,
  inWindowWords,
  logTimeKey,
  mergeByTime,
  hasProblem,
  matchesQuery,
  portMoves,
  shortSpan,
  stateOf,
} from '../../main/shared/display/instanceDisplay';
import type { ConflictView, InstanceView } from '../../main/shared/api/table';
import { typedFolder } from '../../main/core/registry/paths';
import { splitTimestamp } from '../../main/docker/compose/logs';
import { sinceFromStatusText } from '../../main/docker/status/status';
import { container } from './containers';
import { instanceView } from './views';
import { deriveStatus } from '../../main/docker/status/status';

const NOW = Date.parse('2026-11-28T12:00:00Z');

function inst(label: string, extra: Partial<InstanceView> = {}): InstanceView {
  return instanceView(label, {
    repository: '/src/aegisx-starter',
    branch: `feature/${label}`,
    ports: { postgres: 5433, redis: 6381, web: 4201 },
    ...extra,
  });
}

describe('one state per instance, in words', () => {
  test('starting counts the seconds; running says since when; stopped how long ago', () => {
    assert.deepEqual(stateOf(inst('a', { busy: 'start', busySince: NOW - 12_000 }), 'connected', NOW), {
      word: 'Starting',
      tone: 'busy',
      detail: '12 s',
    });
    const running = inst('a', { status: 'running', since: NOW - 3 * 3_600_000 });
    assert.deepEqual(stateOf(running, 'connected', NOW), { word: 'Running', tone: 'ok', detail: 'up 3 h' });
    const stopped = inst('a', { status: 'stopped', since: NOW - 5 * 60_000 });
    assert.deepEqual(stateOf(stopped, 'connected', NOW), { word: 'Stopped', tone: 'idle', detail: '5 min ago' });
    assert.equal(stateOf(inst('a'), 'connected', NOW).word, 'Not created');
  });

  test('partly running names what is down; health checks still running read as Starting', () => {
    const partial = inst('a', {
      status: 'partial',
      services: { postgres: { state: 'running', health: 'healthy' }, redis: { state: 'exited', health: 'none' } },
    });
    assert.deepEqual(stateOf(partial, 'connected', NOW), {
      word: 'Partly running',
      tone: 'partial',
      detail: 'redis stopped',
    });
    const warming = inst('a', { status: 'running', services: { postgres: { state: 'running', health: 'starting' } } });
    assert.deepEqual(stateOf({ ...warming, since: NOW - 4000 }, 'connected', NOW), {
      word: 'Starting',
      tone: 'busy',
      detail: 'waiting for postgres healthy (4 s)',
    });
    const sick = inst('a', { status: 'running', services: { postgres: { state: 'running', health: 'unhealthy' } } });
    assert.deepEqual(stateOf(sick, 'connected', NOW), { word: 'Unhealthy', tone: 'bad', detail: 'postgres' });
  });

  test('with the engine away every instance is Unknown, whatever it was', () => {
    assert.deepEqual(stateOf(inst('a', { status: 'running' }), 'unknown', NOW), {
      word: 'Unknown',
      tone: 'unknown',
      detail: 'engine unreachable',
    });
  });

  test('spans read at a glance', () => {
    assert.deepEqual([0, 59_000, 61_000, 3_599_000, 7_200_000, 49 * 3_600_000].map(shortSpan), [
      '0 s',
      '59 s',
      '1 min',
      '59 min',
      '2 h',
      '2 d',
    ]);
  });
});

describe('the list: grouped, searched, filtered, in a stable order', () => {
  // Named so that the main checkout would sort last by name: it comes first as the repository's own folder.
  const main = inst('zz-main', { main: true, folder: '/src/aegisx-starter' });
  const b = inst('b-fix', { status: 'running', branch: 'fix/login' });
  const a = inst('a-feature', { ports: { postgres: 5499, web: 4299 } });
  const shop = inst('x', { id: 'shop/x', folder: '/src/shop-x', repository: '/src/shop-x' });
  const plain = inst('spike', { repository: null, folder: '/tmp/spike' });
  const conflict: ConflictView = { port: 4299, kind: 'host', service: 'web', instances: ['a-feature'] };

  test('by git repository: main checkout first, then worktrees by name; folders outside git last; state moves nothing', () => {
    const groups = groupInstances([plain, b, shop, a, main]);
    assert.deepEqual(
      groups.map((g) => [g.title, g.instances.map((i) => i.label)]),
      [
        ['aegisx-starter', ['zz-main', 'a-feature', 'b-fix']],
        ['shop-x', ['x']],
        ['Folders outside git', ['spike']],
      ],
    );
    const later = groupInstances([plain, { ...b, status: 'stopped' }, shop, { ...a, status: 'running' }, main]);
    assert.deepEqual(
      later.flatMap((g) => g.instances.map((i) => i.label)),
      groups.flatMap((g) => g.instances.map((i) => i.label)),
    );
  });

  test('search by name, branch or port digits', () => {
    assert.ok(matchesQuery(b, 'LOGIN'));
    assert.ok(matchesQuery(a, '429'));
    assert.ok(!matchesQuery(b, '429'));
    assert.ok(matchesQuery(a, 'feat'));
    assert.deepEqual(
      groupInstances([main, a, b], { query: 'fix' }).flatMap((g) => g.instances.map((i) => i.label)),
      ['b-fix'],
    );
  });

  test('running and problems filters', () => {
    const all = [main, a, b];
    const labels = (f: 'running' | 'problems') =>
      groupInstances(all, { filter: f, conflicts: [conflict] }).flatMap((g) => g.instances.map((i) => i.label));
    assert.deepEqual(labels('running'), ['b-fix']);
    assert.deepEqual(labels('problems'), ['a-feature']);
    assert.ok(hasProblem(inst('g', { gone: true }), []));
    assert.ok(hasProblem(inst('e', { error: 'boom' }), []));
  });

  test('a reassignment says old → new for each port that moved', () => {
    assert.equal(
      portMoves({ web: 4201, api: 3334, postgres: 5433 }, { web: 4301, api: 3434, postgres: 5433 }),
      'web 4201 → 4301, api 3334 → 3434',
    );
    assert.equal(portMoves({ web: 1 }, { web: 1 }), 'no port had to move');
  });
});

describe('what the window reads from the engine and the user', () => {
  test("Docker's status text gives when a container entered its state", () => {
    assert.equal(sinceFromStatusText('Up 3 minutes (healthy)', NOW), NOW - 180_000);
    assert.equal(sinceFromStatusText('Up About an hour', NOW), NOW - 3_600_000);
    assert.equal(sinceFromStatusText('Up Less than a second', NOW), NOW);
    assert.equal(sinceFromStatusText('Exited (0) 2 days ago', NOW), NOW - 2 * 86_400_000);
    assert.equal(sinceFromStatusText('Created', NOW), undefined);
    assert.equal(sinceFromStatusText(undefined, NOW), undefined);
  });

  test('an instance is up since its first running container, stopped since its last exit', () => {
    const now = Date.now();
    const up = deriveStatus('x', [container('postgres', 'Up 2 hours'), container('redis', 'Up 5 minutes')]);
    assert.ok(Math.abs(up.since! - (now - 7_200_000)) < 5_000);
    const down = deriveStatus('x', [
      container('postgres', 'Exited (0) 2 hours ago'),
      container('redis', 'Exited (0) 5 minutes ago'),
    ]);
    assert.ok(Math.abs(down.since! - (now - 300_000)) < 5_000);
  });

  test('log lines from Docker carry their time, split off the text', () => {
    assert.deepEqual(splitTimestamp('2026-11-28T10:00:00.123456789Z ready to accept'), [
      'ready to accept',
      '2026-11-28T10:00:00.123456789Z',
    ]);
    assert.deepEqual(splitTimestamp('no time here'), ['no time here']);
  });

  test('a typed folder: ~ is home, a relative path is refused naming it', () => {
    assert.equal(typedFolder('~/src/app', '/home/me'), '/home/me/src/app');
    assert.equal(typedFolder('/abs/path', '/home/me'), '/abs/path');
    assert.throws(() => typedFolder('src/app', '/home/me'), {
      message: '"src/app" is a relative path: type the full path, or one that starts with ~/',
    });
  });

  test('a typed folder: a file:// URL is its decoded path; home itself and / are refused in one line', () => {
    assert.equal(typedFolder('file:///home/x/my%20repo', '/home/me'), '/home/x/my repo');
    assert.equal(typedFolder('file://localhost/srv/app', '/home/me'), '/srv/app');
    assert.throws(() => typedFolder('file://other/srv/app', '/home/me'), /names another machine \(other\)/);
    for (const home of ['~', ' ~/ ', '/home/me', '/home/me/'])
      assert.throws(() => typedFolder(home, '/home/me'), {
        message: "your home folder is not a repository: type the repository's own folder, such as ~/src/NAME",
      });
    assert.throws(() => typedFolder('/', '/home/me'), /the root folder is not a repository/);
    assert.throws(() => typedFolder('file:///', '/home/me'), /the root folder is not a repository/);
  });

  test("the core's CLI hints are said in the window's words", () => {
    assert.equal(
      inWindowWords('port 5433 (postgres) of x is in use by node (pid 7); stop it or run axi setup /src/x --reassign'),
      'port 5433 (postgres) of x is in use by node (pid 7); stop it, or press Reassign ports',
    );
    assert.equal(
      inWindowWords(
        'port 4200 (web) of the main checkout is in use by node; stop it or use --reassign to take other ports',
      ),
      'port 4200 (web) of the main checkout is in use by node; stop it, or use Register with other ports',
    );
    assert.equal(
      inWindowWords('no snapshot 1 of x; see axi snapshots x'),
      'no snapshot 1 of x; see Snapshots… on its card',
    );
    assert.equal(inWindowWords('plain words'), 'plain words');
  });

  test('a snapshot is "just now", then so long ago', () => {
    assert.equal(ago(NOW - 5_000, NOW), 'just now');
    assert.equal(ago(NOW - 2 * 3600_000, NOW), '2 h ago');
  });

  test('log lines of all services are merged by Docker time: nanoseconds compared, equal times stable', () => {
    assert.ok(logTimeKey('2026-11-28T10:00:00.12345Z') < logTimeKey('2026-11-28T10:00:00.123456789Z'));
    assert.ok(logTimeKey('2026-11-28T10:00:00Z') < logTimeKey('2026-11-28T10:00:00.000000001Z'));
    const l = (service: string, time: string): { service: string; line: string; time?: string } => ({
      service,
      line: `${service}@${time}`,
      time,
    });
    const db = [l('db', '2026-11-28T10:00:01Z'), l('db', '2026-11-28T10:00:03.5Z')];
    const redis = [
      l('redis', '2026-11-28T10:00:00.9Z'),
      l('redis', '2026-11-28T10:00:01Z'),
      l('redis', '2026-11-28T10:00:04Z'),
    ];
    assert.deepEqual(
      mergeByTime(db, redis).map((x) => x.line),
      [
        'redis@2026-11-28T10:00:00.9Z',
        'db@2026-11-28T10:00:01Z',
        'redis@2026-11-28T10:00:01Z',
        'db@2026-11-28T10:00:03.5Z',
        'redis@2026-11-28T10:00:04Z',
      ],
    );
    assert.deepEqual(
      mergeByTime([l('a', '2026-11-28T10:00:00Z')], [{ service: 'b', line: 'no time' }]).at(-1)!.line,
      'no time',
    );
  });

  test('arrow keys in a card grid: Up/Down by row (nearest column), Left/Right by one', () => {
    // Three columns of 300 px, two rows and a half.
    const boxes = [0, 1, 2, 3, 4, 5, 6].map((k) => ({ top: Math.floor(k / 3) * 200, left: (k % 3) * 310, width: 300 }));
    assert.equal(gridNeighbour(boxes, 1, 'ArrowDown'), 4);
    assert.equal(gridNeighbour(boxes, 4, 'ArrowUp'), 1);
    assert.equal(gridNeighbour(boxes, 5, 'ArrowDown'), 6, 'the last row is short: the nearest one');
    assert.equal(gridNeighbour(boxes, 6, 'ArrowDown'), -1);
    assert.equal(gridNeighbour(boxes, 0, 'ArrowUp'), -1);
    assert.equal(gridNeighbour(boxes, 2, 'ArrowRight'), 3);
    assert.equal(gridNeighbour(boxes, 3, 'ArrowLeft'), 2);
    assert.equal(gridNeighbour(boxes, 6, 'ArrowRight'), -1);
    // One column: Down is the next one.
    const column = [0, 1, 2].map((k) => ({ top: k * 200, left: 0, width: 380 }));
    assert.equal(gridNeighbour(column, 0, 'ArrowDown'), 1);
  });
});

describe('which card is a main checkout', () => {
  test("in git the main worktree's folder, whatever its Docker names; a worktree never; outside git the main names", () => {
    const repo = '/src/blog';
    assert.equal(isMainCheckout(instanceView('blog', { folder: repo, repository: repo, main: false })), true);
    assert.equal(
      isMainCheckout(instanceView('draft', { folder: '/src/blog-draft', repository: repo, main: false })),
      false,
    );
    assert.equal(
      isMainCheckout(instanceView('plain_a', { folder: '/src/plain-a', repository: null, main: true })),
      true,
    );
    assert.equal(
      isMainCheckout(instanceView('plain_b', { folder: '/src/plain-b', repository: null, main: false })),
      false,
    );
  });

  test('a separate clone registered as an instance is listed with the main checkout whose names it shares', () => {
    const chat = instanceView('chat-docker', {
      id: 'chat-docker/chat-docker',
      main: true,
      folder: '/src/chat-docker',
      repository: '/src/chat-docker',
    });
    const feat = instanceView('feat', { id: 'chat-docker/feat', folder: '/wt/feat', repository: '/src/chat-docker' });
    const second = instanceView('2', {
      id: 'chat-docker/2',
      folder: '/src/chat-docker-2',
      repository: '/src/chat-docker-2',
      suffix: '2',
    });
    // Another repository cloned on its own, not registered as anyone's instance, keeps its own group.
    const other = instanceView('tools', {
      id: 'tools/tools',
      main: true,
      folder: '/src/tools',
      repository: '/src/tools',
    });
    assert.deepEqual(
      groupInstances([second, other, feat, chat]).map((g) => [g.title, g.instances.map((i) => i.label)]),
      [
        ['chat-docker', ['chat-docker', '2', 'feat']],
        ['tools', ['tools']],
      ],
    );
    // The seed's sibling clones: each its own git copy, all instances of the one AegisX main checkout.
    const seedMain = instanceView('aegisx', {
      main: true,
      folder: '/src/aegisx-starter',
      repository: '/src/aegisx-starter',
    });
    const sibling = instanceView('auth-fix', {
      folder: '/src/aegisx-starter-auth-fix',
      repository: '/src/aegisx-starter-auth-fix',
      suffix: 'auth-fix',
    });
    assert.deepEqual(
      groupInstances([sibling, seedMain]).map((g) => [g.title, g.instances.map((i) => i.label)]),
      [['aegisx-starter', ['aegisx', 'auth-fix']]],
    );
    // Two main checkouts with the same names (registries from before names were kept apart): no guess.
    const twin = { ...seedMain, name: 'aegisx2', label: 'aegisx2', folder: '/x/a', repository: '/x/a' };
    assert.equal(groupInstances([sibling, seedMain, twin]).length, 3);
  });

  test('a second separate clone is badged as its registration says: an instance, though git calls it a main worktree', () => {
    // `list --json` says main: false for it; its own folder is its repository's (its own .git).
    const second = '/src/chat-docker-2';
    assert.equal(
      isMainCheckout(instanceView('2', { folder: second, repository: second, main: false, suffix: '2' })),
      false,
    );
    assert.equal(
      isMainCheckout(
        instanceView('chat_docker', { folder: '/src/chat-docker', repository: '/src/chat-docker', main: true }),
      ),
      true,
    );
  });
});
