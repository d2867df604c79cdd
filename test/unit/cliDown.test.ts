import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../main/cli/axi';
import type { Io } from '../../main/cli/command';
import type { Backend } from '../../main/docker/lifecycle/backend';
import { AxiError } from '../../main/shared/errors';
import { sandbox } from '../helpers';

/**
 * `axi down --volumes` deletes data: it asks on a terminal, goes ahead with --yes, and without either refuses
 * before anything runs (as reset, restore and clone-data do). The engine here records what it was asked to do.
 */
test('down --volumes asks first, naming the volumes; --yes skips the question; no terminal and no --yes refuses', async (t) => {
  const sb = sandbox();
  t.after(() => sb.cleanup());
  const service = sb.service();
  const rec = await service.setup(sb.folder('aegisx-starter-alpha'));
  const downs: { volumes?: boolean }[] = [];
  const backend = {
    service,
    lifecycle: {
      down: async (_: string, o: { volumes?: boolean }) => {
        downs.push({ volumes: o.volumes });
        return { name: rec.name, record: rec, status: 'stopped', services: {} };
      },
      // No sizes from this engine: the question names the volumes without them.
      docker: async () => {
        throw new AxiError('DOCKER_UNAVAILABLE', 'no engine');
      },
    },
  } as unknown as Backend;
  const asked: string[] = [];
  const run = async (argv: string[], answer?: boolean) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = { out: (x) => out.push(x), err: (x) => err.push(x) };
    if (answer !== undefined)
      io.confirm = async (q) => {
        asked.push(q);
        return answer;
      };
    const code = await main(argv, io, () => backend);
    return { code, out: out.join(''), err: err.join('') };
  };
  const volumes = `alpha_postgres_data, alpha_redis_data`;

  const refused = await run(['down', 'alpha', '--volumes']);
  assert.deepEqual(
    [refused.code, refused.err],
    [
      2,
      `axi: Delete alpha's volumes ${volumes}? Its data is gone for good (no snapshot is kept). Pass --yes to confirm.`,
    ],
  );
  assert.equal(downs.length, 0, 'down ran without a confirmation');

  const no = await run(['down', 'alpha', '--volumes'], false);
  assert.deepEqual([no.code, no.err, downs.length], [2, 'axi: cancelled', 0]);
  assert.deepEqual(asked, [`Delete alpha's volumes ${volumes}? Its data is gone for good (no snapshot is kept).`]);

  const yes = await run(['down', 'alpha', '--volumes'], true);
  assert.deepEqual([yes.code, yes.out, downs], [0, 'alpha: stopped', [{ volumes: true }]]);

  const flagged = await run(['down', 'alpha', '--volumes', '--yes']);
  assert.deepEqual([flagged.code, asked.length, downs.length], [0, 2, 2]);
  assert.equal(downs[1]!.volumes, true);

  // Without --volumes nothing is deleted and nobody is asked.
  const plain = await run(['down', 'alpha'], true);
  assert.deepEqual([plain.code, asked.length, downs[2]], [0, 2, { volumes: undefined }]);
});

test('a refusal for want of --yes ends the question with one full stop, then says what to pass', async (t) => {
  const sb = sandbox();
  t.after(() => sb.cleanup());
  const service = sb.service();
  await service.setup(sb.folder('aegisx-starter-alpha'));
  const err: string[] = [];
  const io: Io = { out: () => {}, err: (x) => err.push(x) };
  const backend = { service } as unknown as Backend;
  assert.equal(await main(['restore', 'alpha'], io, () => backend), 2);
  assert.deepEqual(err, [
    'axi: Restore alpha from its latest snapshot? Its current data is replaced (after a snapshot of it). Pass --yes to confirm.',
  ]);
});
