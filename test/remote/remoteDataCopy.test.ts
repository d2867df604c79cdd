import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { spawn } from 'node:child_process';
import { AXI_BIN, runAxi, runAxiJson, sandbox } from '../helpers';
import { composeDown, exec, psql, redisCommand } from '../docker/dockerHelpers';
import {
  REMOTE_HOST,
  restartRemoteDockerd,
  spreadSuffixes,
  startRemoteEngine,
  stopRemoteDockerd,
  type RemoteOrSkip,
} from './remoteEngine';

const IMAGES = ['postgres:15-alpine', 'redis:7-alpine', 'dpage/pgadmin4:latest'];

/** A data copy from an instance on this machine's engine to one on the namespace engine (10.231.0.2). */
describe('copying data between engines', () => {
  const sb = sandbox();
  const env = { ...sb.env, AXI_PREFIX: 'axirdc', AXI_OWNER: 'alice' };
  const [localS, remoteS] = spreadSuffixes(2, 'd') as [string, string];
  const dir = (s: string) => sb.folder(`aegisx-starter-${s}`);
  let remote: RemoteOrSkip = { skip: 'not started' };
  let srcPorts: Record<string, number> = {};

  before(async () => {
    remote = await startRemoteEngine(IMAGES);
  });

  after(async () => {
    await composeDown(`axirdc_${localS}`, path.join(dir(localS), 'docker-compose.instance.yml'));
    if (remote.engine) {
      await runAxiJson(['down', remoteS, '--volumes', '--yes'], { env });
      await remote.engine.stop();
    }
    sb.cleanup();
  });

  /** What the remote instance's Postgres and Redis hold, asked inside its containers (its ports are that host's). */
  const remoteData = async () => {
    const docker = (args: string[]) => remote.engine!.docker(args);
    const pg = await docker([
      ...['exec', `axirdc_alice_${remoteS}_postgres`, 'psql', '-U', 'postgres', '-d', 'aegisx_db', '-Atqc'],
      'select string_agg(body, $$,$$ order by body) from notes',
    ]);
    const redis = await docker(['exec', `axirdc_alice_${remoteS}_redis`, 'redis-cli', 'GET', 'greeting']);
    return { rows: pg.stdout.trim() || pg.stderr.trim(), greeting: redis.stdout.trim() || redis.stderr.trim() };
  };

  test('rows and keys written locally are in the remote instance after clone-data, and the local one is unchanged after writes there', async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    const src = await runAxiJson(['setup', dir(localS)], { env });
    assert.equal(src.code, 0, src.stderr);
    const tgt = await runAxiJson(['setup', dir(remoteS), '--engine', REMOTE_HOST], { env });
    assert.equal(tgt.code, 0, tgt.stderr);
    for (const name of [localS, remoteS]) {
      const up = await runAxiJson(['up', name, '--wait'], { env });
      assert.equal(up.code, 0, up.stderr);
    }
    const ports = (srcPorts = src.json.ports as Record<string, number>);
    await psql(ports.postgres!, 'create table notes(body text); insert into notes values ($$made here$$)');
    assert.equal(await redisCommand(ports.redis!, 'SET', 'greeting', 'hello from here'), '+OK');
    await redisCommand(ports.redis!, 'SAVE');

    const running = await runAxi(['clone-data', localS, remoteS, '--yes'], { env });
    assert.equal(running.code, 1, 'a running target is refused: ' + running.stderr);
    assert.match(running.stderr, new RegExp(`${remoteS} is running; stop it first`));
    assert.equal((await runAxi(['stop', remoteS], { env })).code, 0);

    const copied = await runAxi(['clone-data', localS, remoteS, '--yes'], { env });
    assert.equal(copied.code, 0, copied.stdout + copied.stderr);
    assert.match(copied.stderr, /from engine local to 10\.231\.0\.2:2375, through this machine/);
    const up = await runAxiJson(['up', remoteS, '--wait'], { env });
    assert.equal(up.code, 0, up.stderr);
    assert.deepEqual(await remoteData(), { rows: 'made here', greeting: 'hello from here' });

    // The copy is its own: writes there leave this machine's instance as it was.
    const write = await remote.engine.docker([
      ...['exec', `axirdc_alice_${remoteS}_postgres`, 'psql', '-U', 'postgres', '-d', 'aegisx_db', '-c'],
      'insert into notes values ($$only over there$$)',
    ]);
    assert.equal(write.code, 0, write.stderr);
    assert.equal(await psql(ports.postgres!, 'select string_agg(body, $$,$$) from notes'), 'made here');
    const st = await runAxiJson(['status', localS], { env });
    assert.equal(st.json.status, 'running', 'the source runs on, unpaused');

    const snaps = await runAxiJson(['snapshots', remoteS], { env });
    assert.equal(snaps.code, 0, snaps.stderr);
    assert.equal((snaps.json as { reason: string }[]).at(-1)!.reason, 'clone-data', 'a snapshot came first');
  });

  test("a copy that fails when the target's engine goes away leaves the source running unpaused, and the target restorable", async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    const ports = srcPorts;
    // Enough data that the copy is still under way when the engine is stopped.
    await psql(
      ports.postgres!,
      'create table bulk as select g, repeat(md5(g::text), 32) as body from generate_series(1, 150000) g',
    );
    assert.equal((await runAxi(['stop', remoteS], { env })).code, 0);
    const child = spawn(process.execPath, [AXI_BIN, 'clone-data', localS, remoteS, '--yes'], { env });
    let stderr = '';
    const stopped = new Promise<void>((resolve) =>
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('through this machine')) resolve();
      }),
    );
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    await stopped;
    await stopRemoteDockerd();
    const code = await exited;
    assert.notEqual(code, 0, stderr);
    t.diagnostic(`clone-data said: ${JSON.stringify(stderr)}`);
    assert.match(stderr.trim().split('\n').pop()!, /^axi: /, `the failure is one line: ${stderr}`);
    const state = await exec('docker', ['inspect', '-f', '{{.State.Status}}', `axirdc_${localS}_postgres`]);
    assert.equal(state.stdout.trim(), 'running', 'the source is not left paused');
    assert.equal(await psql(ports.postgres!, 'select count(*) from bulk'), '150000');

    await restartRemoteDockerd();
    const snaps = (await runAxiJson(['snapshots', remoteS], { env })).json as { id: string; reason: string }[];
    const before = snaps.at(-1)!;
    assert.equal(before.reason, 'clone-data');
    const restored = await runAxi(['restore', remoteS, before.id, '--yes'], { env });
    assert.equal(restored.code, 0, restored.stdout + restored.stderr);
    assert.equal((await runAxi(['up', remoteS, '--wait'], { env })).code, 0);
    assert.equal((await remoteData()).rows, 'made here,only over there', "the target's own data, as before the copy");
  });
});
