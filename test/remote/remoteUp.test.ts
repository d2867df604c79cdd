import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runAxi, runAxiJson, sandbox } from '../helpers';
import { composeDown } from '../docker/dockerHelpers';
import { holdRemotePort, REMOTE_HOST, spreadSuffixes, startRemoteEngine, type RemoteOrSkip } from './remoteEngine';

const IMAGES = ['postgres:15-alpine', 'redis:7-alpine', 'dpage/pgadmin4:latest'];

/**
 * `up` on a remote engine checks the instance's ports there again just before starting: a shared host changes
 * between `setup` and `up` (issue 11, section 2).
 */
describe('up re-checks a remote instance’s ports on its engine', () => {
  const sb = sandbox();
  const env = { ...sb.env, AXI_PREFIX: 'axiup', AXI_OWNER: 'alice' };
  const [remoteS, localS] = spreadSuffixes(2, 'u') as [string, string];
  const dir = (s: string) => sb.folder(`aegisx-starter-${s}`);
  const theirs = `axiup_someoneelse_${remoteS}_postgres`;
  let remote: RemoteOrSkip = { skip: 'not started' };

  before(async () => {
    remote = await startRemoteEngine(IMAGES);
  });

  after(async () => {
    await composeDown(`axiup_${localS}`, path.join(dir(localS), 'docker-compose.instance.yml'));
    if (remote.engine) {
      await runAxiJson(['down', remoteS, '--volumes', '--yes'], { env });
      await remote.engine.docker(['rm', '-f', theirs]);
      await remote.engine.stop();
    }
    sb.cleanup();
  });

  test("another owner's container, then a plain listener, grabbing a port after setup: up refuses, naming it", async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    const r = await runAxiJson(['setup', dir(remoteS), '--engine', REMOTE_HOST], { env });
    assert.equal(r.code, 0, r.stderr);
    const port = r.json.ports.postgres as number;

    // Someone else on the shared host publishes the port after our setup.
    const run = await remote.engine.docker([
      ...['run', '-d', '--name', theirs, '--label', 'dev.aegisx-instances.owner=someoneelse'],
      ...['-e', 'POSTGRES_PASSWORD=x', '-p', `${port}:5432`, 'postgres:15-alpine'],
    ]);
    assert.equal(run.code, 0, run.stderr);
    const up = await runAxi(['up', remoteS], { env });
    assert.equal(up.code, 1, up.stdout + up.stderr);
    assert.equal(up.stderr.trim().split('\n').length, 1, `one line: ${up.stderr}`);
    assert.match(up.stderr, new RegExp(`port ${port} \\(postgres\\)`));
    assert.match(up.stderr, new RegExp(`container ${theirs} \\(owner someoneelse\\)`));
    const ours = await remote.engine.docker(['ps', '-a', '--format', '{{.Names}}']);
    assert.doesNotMatch(ours.stdout, new RegExp(`axiup_alice_${remoteS}_`), 'nothing of ours was started');

    // A program (not a container) listening there instead.
    await remote.engine.docker(['rm', '-f', theirs]);
    const holder = await holdRemotePort(port);
    try {
      const again = await runAxi(['up', remoteS], { env });
      assert.equal(again.code, 1, again.stdout + again.stderr);
      assert.match(again.stderr, new RegExp(`port ${port} \\(postgres\\).*a program listening on the host`));
    } finally {
      await holder.stop();
    }
    const ok = await runAxiJson(['up', remoteS], { env });
    assert.equal(ok.code, 0, ok.stderr);
  });

  test("the local engine is unaffected: a local instance's port held on the remote host is no conflict", async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    const l = await runAxiJson(['setup', dir(localS)], { env });
    assert.equal(l.code, 0, l.stderr);
    const run = await remote.engine.docker([
      ...['run', '-d', '--name', theirs, '--label', 'dev.aegisx-instances.owner=someoneelse'],
      ...['-e', 'POSTGRES_PASSWORD=x', '-p', `${l.json.ports.postgres}:5432`, 'postgres:15-alpine'],
    ]);
    assert.equal(run.code, 0, run.stderr);
    const up = await runAxiJson(['up', localS], { env });
    assert.equal(up.code, 0, up.stderr);
    assert.equal(up.json.status, 'running');
  });
});
