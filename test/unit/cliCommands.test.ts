import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildProgram, main } from '../../main/cli/axi';
import type { Io } from '../../main/cli/command';
import type { Backend } from '../../main/docker/lifecycle/backend';
import type { ContainerStatus } from '../../main/docker/status/status';
import { AxiError } from '../../main/shared/errors';
import { memorySettings } from '../../main/shared/schemas/settings';
import { sandbox } from '../helpers';
import { container } from './containers';

/** The CLI in this process: what it printed, and its exit status. The engine is whatever the test hands it. */
async function axi(argv: string[], engine: Partial<Backend> | (() => never) = () => assert.fail('no engine expected')) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await main(argv, io, typeof engine === 'function' ? engine : () => engine as Backend);
  return { code, out: out.join(''), err: err.join('') };
}

test('every command is registered once, in the order help lists them', () => {
  const program = buildProgram(
    () => assert.fail(),
    { out() {}, err() {} },
    () => {},
  );
  assert.deepEqual(
    program.commands.map((c) => c.name()),
    [
      'setup',
      'list',
      'status',
      'env',
      'urls',
      'tunnel',
      'stack',
      'check-conflicts',
      'remove',
      'discover',
      'watch',
      'hooks',
      'trust',
      'doctor',
      'adopt',
      'serve',
      'router',
      'mcp',
      'up',
      'stop',
      'pin',
      'unpin',
      'down',
      'stop-all',
      'reset',
      'snapshots',
      'restore',
      'clone-data',
      'logs',
      'cleanup',
    ],
  );
});

test('exit statuses: usage errors 2, help 0, AxiError its code, anything else 1; each one line on stderr', async () => {
  assert.equal((await axi(['list', '--nope'])).code, 2);
  assert.equal((await axi(['status', 'a', 'b'])).code, 2);
  assert.equal((await axi(['--help'])).code, 0);
  const fail = (e: Error) =>
    ({
      lifecycle: {
        status: async () => {
          throw e;
        },
      },
    }) as unknown as Backend;
  for (const [code, exit] of [
    ['DOCKER_UNAVAILABLE', 3],
    ['NOT_FOUND', 2],
    ['IN_USE', 1],
  ] as const) {
    const r = await axi(['status', 'x'], fail(new AxiError(code, 'said so')));
    assert.deepEqual([r.code, r.err, r.out], [exit, 'axi: said so', ''], code);
  }
  const bug = await axi(['status', 'x'], fail(new TypeError('oops')));
  assert.equal(bug.code, 1);
  assert.match(bug.err, /^axi: unexpected error: TypeError: oops\n/);
});

test('option checks run before the engine is made', async () => {
  const r = await axi(['serve', '--port', '70000']);
  assert.deepEqual([r.code, r.err], [2, 'axi: --port "70000" is not a port number']);
  const t = await axi(['up', 'x', '--timeout', '0']);
  assert.deepEqual([t.code, t.err], [2, 'axi: --timeout "0" is not a positive number of seconds']);
});

test('check-conflicts: a conflict is exit 1 without an error, and a table naming the seed file lines', async () => {
  const service = {
    paths: { mirrorFile: '/home/me/.aegisx-port-registry' },
    conflictReport: async () => ({
      conflicts: [
        {
          port: 5432,
          kind: 'registry' as const,
          service: 'postgres',
          instances: ['a', 'old'],
          registryLines: [{ name: 'old', line: 3 }],
        },
      ],
      unreadable: [{ file: '/home/me/.aegisx-port-registry', line: 7, text: 'junk' }],
    }),
  };
  const r = await axi(['check-conflicts'], { service } as unknown as Backend);
  assert.equal(r.code, 1);
  assert.equal(
    r.err,
    'axi: warning: /home/me/.aegisx-port-registry line 7 matches no known shape, kept as it is: "junk"',
  );
  assert.equal(
    r.out,
    [
      'PORT  KIND      SERVICE   INSTANCES  HELD BY',
      '5432  registry  postgres  a, old     registered twice (.aegisx-port-registry line 3: old)',
    ].join('\n'),
  );
});

test("list: statuses from the engine's containers; no engine is a warning and every status unknown", async (t) => {
  const sb = sandbox();
  t.after(() => sb.cleanup());
  const service = sb.service();
  // A worktree's folder, not a main checkout: it takes a free slot, so a busy 5432 on this host changes nothing.
  const rec = await service.setup(sb.folder('aegisx-starter-alpha'));
  const pg = rec.ports.postgres;
  const engine = (containers: () => Promise<ContainerStatus[]>) =>
    ({ service, settings: memorySettings(), lifecycle: { allContainers: containers } }) as unknown as Backend;

  const services = (await service.records())[0]!.services!; // the stack's containers, as recorded at setup
  assert.ok(services.length > 1);
  const up = services.map((s) => container(s, 'Up 1 minute', 'running', rec.project));
  const running = await axi(
    ['list', '--json'],
    engine(async () => up),
  );
  assert.equal(running.code, 0);
  const [item] = JSON.parse(running.out);
  assert.equal(item.status, 'running');
  assert.deepEqual(Object.keys(item.services), services);

  const partial = await axi(
    ['list'],
    engine(async () => up.slice(1)),
  );
  assert.match(partial.out.split('\n')[1]!, new RegExp(`^alpha {2}partial {2}${pg} `));

  const away = engine(async () => {
    throw new AxiError('DOCKER_UNAVAILABLE', 'no Docker engine answered');
  });
  const table = await axi(['list'], away);
  assert.deepEqual([table.code, table.err], [0, 'axi: warning: no Docker engine answered; status unknown']);
  assert.match(table.out.split('\n')[1]!, new RegExp(`^alpha {2}unknown {2}${pg} `));
  const json = JSON.parse((await axi(['list', '--json'], away)).out);
  assert.deepEqual([json[0].status, json[0].services], ['unknown', {}]);
});

test('an empty registry lists nothing and asks the engine nothing to warn about', async (t) => {
  const sb = sandbox();
  t.after(() => sb.cleanup());
  const r = await axi(['list'], {
    service: sb.service(),
    lifecycle: {
      allContainers: async () => {
        throw new AxiError('DOCKER_UNAVAILABLE', 'x');
      },
    },
  } as unknown as Backend);
  assert.deepEqual([r.code, r.out, r.err], [0, 'No instances registered yet. Register one with: axi setup DIR', '']);
});
