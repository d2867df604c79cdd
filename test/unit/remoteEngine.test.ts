import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { engineLabel } from '../../main/shared/display/engine';
import { boundTcpPorts } from '../../main/core/ports/hostPorts';
import {
  instanceNames,
  originLabels,
  ownedByOther,
  ownerName,
  OWNER_LABEL,
  projectName,
} from '../../main/core/project/naming';
import { AEGISX_PRESET } from '../../main/core/project/preset';
import { localPathsIn } from '../../main/core/compose/remoteCompose';
import { byEngine } from '../../main/docker/lifecycle/connections';
import { engineHost, engineOption } from '../../main/docker/engine/engines';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   999        0 4281 1 0 100 0 0 10 0
   1: 0200E70A:0947 0100E70A:92A2 01 00000000:00000000 02:000005AB 00000000     0        0 4283 2 0 20 4 30 10 -1
   2: 00000000:4E21 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5150 2 0 20 4 30 10 -1
   3: 00000000:4E22 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 0 2 0 20 4 30 10 -1
  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 77 1 0 100 0 0 10 0
`;

describe('remote engines: the pure parts', () => {
  test('the probe reads listeners and bound sockets from /proc/net/tcp and tcp6 output, not connections', () => {
    // 0x1538 = 5432 listening, 0x0947 a connection, 0x4E21 bound with an inode, 0x4E22 without, 0x1F90 = 8080 on v6.
    assert.deepEqual(
      [...boundTcpPorts(TCP)].sort((a, b) => a - b),
      [5432, 8080, 20001],
    );
  });

  test('names on a remote engine carry the owner; local names are unchanged', () => {
    const local = instanceNames(AEGISX_PRESET, { name: 'auth', main: false });
    assert.deepEqual(
      [local.project, local.containers.postgres, local.volumes.postgres],
      ['aegisx_auth', 'aegisx_auth_postgres', 'auth_postgres_data'],
    );
    const remote = instanceNames(AEGISX_PRESET, { name: 'auth', main: false, owner: 'alice' });
    assert.deepEqual(
      [remote.project, remote.containers.postgres, remote.volumes.postgres, remote.network],
      ['aegisx_alice_auth', 'aegisx_alice_auth_postgres', 'aegisx_alice_auth_postgres_data', 'aegisx_alice_auth_net'],
    );
    assert.equal(projectName(AEGISX_PRESET, { name: 'x', main: true, owner: 'alice' }), 'aegisx_alice');
  });

  test('the owner: AXI_OWNER or the user, as Docker names take it; labels name it; another owner is never ours', () => {
    assert.equal(ownerName({ AXI_OWNER: 'Jane.Doe-2' }), 'janedoe2');
    assert.equal(ownerName({ USER: 'bob' }), 'bob');
    assert.equal(originLabels({ owner: 'alice' })[OWNER_LABEL], 'alice');
    assert.equal(ownedByOther({ [OWNER_LABEL]: 'bob' }, 'alice'), true);
    assert.equal(ownedByOther({ [OWNER_LABEL]: 'alice' }, 'alice'), false);
    assert.equal(ownedByOther({}, 'alice'), false, 'unlabelled (made before owner labels): as before');
  });

  test('build: contexts and bind mounts are what a remote engine cannot see; named volumes are fine', () => {
    const doc = {
      services: {
        app: { build: { context: './app' }, volumes: ['./src:/srv', 'data:/data', '/abs:/x:ro', '/anon'] },
        db: {
          image: 'pg',
          volumes: [
            { type: 'bind', source: '/init', target: '/i' },
            { type: 'volume', source: 'd' },
          ],
        },
        web: { image: 'nginx' },
      },
    };
    assert.deepEqual(localPathsIn(doc), [
      'services.app.build (./app)',
      'services.app.volumes (./src)',
      'services.app.volumes (/abs)',
      'services.db.volumes (/init)',
    ]);
    assert.deepEqual(localPathsIn({ services: { web: { image: 'nginx' } } }), []);
  });

  test('--context and --engine: checked, local spelled null, a context read from its metadata', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'axi-ctx-'));
    try {
      const id = createHash('sha256').update('devbox').digest('hex');
      const meta = path.join(home, '.docker', 'contexts', 'meta', id);
      mkdirSync(meta, { recursive: true });
      writeFileSync(
        path.join(meta, 'meta.json'),
        JSON.stringify({ Name: 'devbox', Endpoints: { docker: { Host: 'ssh://me@devbox' } } }),
      );
      const env = {};
      assert.equal(engineOption({ context: 'devbox' }, env, home), 'devbox');
      assert.equal(engineHost('devbox', env, home), 'ssh://me@devbox');
      assert.equal(engineOption({ context: 'default' }, env, home), null);
      assert.equal(engineOption({ engine: 'local' }, env, home), null);
      assert.equal(engineOption({ engine: 'tcp://10.0.0.1:2375' }, env, home), 'tcp://10.0.0.1:2375');
      assert.equal(engineOption({}, env, home), undefined);
      assert.throws(() => engineOption({ context: 'nope' }, env, home), /no Docker context named "nope"/);
      assert.throws(() => engineOption({ engine: 'devbox' }, env, home), /not a Docker endpoint URL/);
      assert.throws(() => engineOption({ engine: 'ftp://x' }, env, home), /unsupported Docker endpoint/);
      assert.throws(() => engineOption({ context: 'a', engine: 'tcp://b' }, env, home), /give one of them/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  test('engine labels and grouping: local first, one group per engine', () => {
    assert.deepEqual(
      [engineLabel(null), engineLabel('devbox'), engineLabel('tcp://10.231.0.2:2375'), engineLabel('ssh://me@box')],
      ['local', 'devbox', '10.231.0.2:2375', 'box'],
    );
    const rec = (name: string, engine?: string) => ({ name, engine }) as never;
    const groups = byEngine([rec('a', 'tcp://x:1'), rec('b'), rec('c', 'tcp://x:1'), rec('d')]);
    assert.deepEqual(
      [...groups].map(([e, rs]) => [e, rs.map((r: { name: string }) => r.name)]),
      [
        [null, ['b', 'd']],
        ['tcp://x:1', ['a', 'c']],
      ],
    );
  });
});
