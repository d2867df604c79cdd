import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { preferredSlot } from '../../main/core/ports/portAllocator';
import { AEGISX_PRESET, portsForSlot } from '../../main/core/project/preset';
import { runAxi, runAxiJson, sandbox, sandboxPaths } from '../helpers';
import { composeDown, exec, RUN } from '../docker/dockerHelpers';
import {
  connects,
  holdRemotePort,
  REMOTE_HOST,
  spreadSuffixes,
  startRemoteEngine,
  type RemoteOrSkip,
} from './remoteEngine';

const IMAGES = ['postgres:15-alpine', 'redis:7-alpine', 'dpage/pgadmin4:latest'];

/** Instances on a second, real engine (a network namespace at 10.231.0.2) beside one on the local engine. */
describe('instances on a remote Docker engine', () => {
  const sb = sandbox();
  const env = { ...sb.env, AXI_PREFIX: 'axirem', AXI_OWNER: 'alice' };
  const [localS, remoteS, listenerS, otherS] = spreadSuffixes(4, 'r') as [string, string, string, string];
  const dir = (s: string) => sb.folder(`aegisx-starter-${s}`);
  let remote: RemoteOrSkip = { skip: 'not started' };
  const theirs = `axirem_bob_${otherS}_postgres`;

  before(async () => {
    remote = await startRemoteEngine(IMAGES);
  });

  after(async () => {
    await composeDown(`axirem_${localS}`, path.join(dir(localS), 'docker-compose.instance.yml'));
    if (remote.engine) {
      await runAxiJson(['down', remoteS, '--volumes', '--yes'], { env });
      await remote.engine.docker(['rm', '-f', theirs]);
      await remote.engine.stop();
    }
    sb.cleanup();
  });

  const remoteDocker = (args: string[]) => remote.engine!.docker(args);

  test('one instance on the remote engine and one locally: both come up healthy, each on its own engine', async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    const l = await runAxiJson(['setup', dir(localS)], { env });
    assert.equal(l.code, 0, l.stderr);
    assert.equal(l.json.engine, null);
    const r = await runAxiJson(['setup', dir(remoteS), '--engine', REMOTE_HOST], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.engine, REMOTE_HOST);
    assert.equal(r.json.project, `axirem_alice_${remoteS}`);
    for (const name of [localS, remoteS]) {
      const up = await runAxiJson(['up', name, '--wait'], { env });
      assert.equal(up.code, 0, up.stderr);
      assert.equal(up.json.services.postgres.health, 'healthy');
      assert.equal(up.json.services.redis.health, 'healthy');
    }
    const st = await runAxiJson(['status', remoteS], { env });
    assert.deepEqual([st.json.engine, st.json.status], [REMOTE_HOST, 'running']);
    const listed = (await runAxiJson(['list'], { env })).json as {
      name: string;
      engine: string | null;
      status: string;
    }[];
    assert.deepEqual(
      listed.map((i) => [i.name, i.engine, i.status]).sort(),
      [
        [localS, null, 'running'],
        [remoteS, REMOTE_HOST, 'running'],
      ].sort(),
    );
    // Where the containers are: the remote one's only there, with the user in its name and the owner label.
    const there = await remoteDocker(['ps', '--format', '{{.Names}}']);
    assert.match(there.stdout, new RegExp(`^axirem_alice_${remoteS}_postgres$`, 'm'));
    assert.doesNotMatch(there.stdout, new RegExp(`axirem_${localS}_`));
    const here = await exec('docker', ['ps', '--format', '{{.Names}}']);
    assert.doesNotMatch(here.stdout, new RegExp(`axirem_alice_${remoteS}_`));
    assert.match(here.stdout, new RegExp(`^axirem_${localS}_postgres$`, 'm'));
    const label = await remoteDocker([
      'volume',
      'inspect',
      '-f',
      '{{ index .Labels "dev.aegisx-instances.owner" }}',
      `axirem_alice_${remoteS}_postgres_data`,
    ]);
    assert.equal(label.stdout.trim(), 'alice', label.stderr);
  });

  test('a port held on the remote host by a plain listener is skipped at allocation', async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    const wanted = portsForSlot(AEGISX_PRESET, preferredSlot(AEGISX_PRESET, listenerS));
    const holder = await holdRemotePort(wanted.postgres!);
    try {
      assert.equal(await connects('127.0.0.1', wanted.postgres!), false, 'the port is free on this machine');
      const r = await runAxiJson(['setup', dir(listenerS), '--engine', REMOTE_HOST], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.notEqual(r.json.ports.postgres, wanted.postgres);
      assert.notEqual(r.json.slot, preferredSlot(AEGISX_PRESET, listenerS));
    } finally {
      await holder.stop();
    }
  });

  test("a port published by another owner's container there is skipped, and cleanup never touches it", async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    const wanted = portsForSlot(AEGISX_PRESET, preferredSlot(AEGISX_PRESET, otherS));
    const labels = [
      ...['--label', `com.docker.compose.project=axirem_bob_${otherS}`],
      ...['--label', 'com.docker.compose.service=postgres'],
      ...['--label', 'dev.aegisx-instances.namespace=axirem'],
      ...['--label', 'dev.aegisx-instances.owner=bob'],
    ];
    const run = await remoteDocker([
      ...['run', '-d', '--name', theirs, ...labels, '-e', 'POSTGRES_PASSWORD=x'],
      ...['-p', `127.0.0.1:${wanted.postgres}:5432`, 'postgres:15-alpine'],
    ]);
    assert.equal(run.code, 0, run.stderr);
    // An orphan of our own there, which cleanup does remove: proof that it looked at that engine.
    const mine = `axirem_alice_gone${RUN}_redis`;
    const orphan = await remoteDocker([
      ...['create', '--name', mine, '--label', `com.docker.compose.project=axirem_alice_gone${RUN}`],
      ...['--label', 'dev.aegisx-instances.owner=alice', 'redis:7-alpine'],
    ]);
    assert.equal(orphan.code, 0, orphan.stderr);

    const r = await runAxiJson(['setup', dir(otherS), '--engine', REMOTE_HOST], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.notEqual(r.json.ports.postgres, wanted.postgres);

    const clean = await runAxiJson(['cleanup', '--yes'], { env });
    assert.equal(clean.code, 0, clean.stderr);
    const names = (await remoteDocker(['ps', '-a', '--format', '{{.Names}}'])).stdout;
    assert.match(names, new RegExp(`^${theirs}$`, 'm'), "another owner's container is kept");
    assert.doesNotMatch(names, new RegExp(`^${mine}$`, 'm'), 'our own orphan there is removed');
    assert.match(names, new RegExp(`^axirem_alice_${remoteS}_postgres$`, 'm'), 'a registered instance is kept');
  });

  test("doctor looks at the remote engine: our lost registration there is found and re-adopted; another owner's project is not", async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    const before = await runAxiJson(['list', '--json'], { env });
    const mine = (before.json as { name: string; ports: Record<string, number> }[]).find((i) => i.name === remoteS)!;
    // The registration is lost (a registry from another machine, a hand edit) while its containers run there.
    const file = sandboxPaths(env).registryFile;
    const reg = JSON.parse(readFileSync(file, 'utf8')) as { instances: { name: string }[] };
    reg.instances = reg.instances.filter((i) => i.name !== remoteS);
    writeFileSync(file, JSON.stringify(reg, null, 2));

    const d = await runAxiJson(['doctor', '--json'], { env });
    assert.equal(d.code, 1, 'findings left unfixed: exit 1');
    const found = (d.json as { findings: { kind: string; project?: string; engine?: string }[] }).findings;
    assert.deepEqual(
      found.filter((f) => f.kind === 'unregistered').map((f) => [f.project, f.engine]),
      [[`axirem_alice_${remoteS}`, REMOTE_HOST]],
      `only our own project there, never bob's: ${JSON.stringify(found)}`,
    );
    const fix = await runAxi(['doctor', '--fix'], { env });
    assert.equal(fix.code, 0, fix.stdout + fix.stderr);
    assert.match(fix.stdout, new RegExp(`fixed: adopted ${remoteS} `));
    const after = await runAxiJson(['list', '--json'], { env });
    const back = (after.json as { name: string; engine: string; status: string; ports: Record<string, number> }[]).find(
      (i) => i.name === remoteS,
    )!;
    assert.deepEqual([back.engine, back.status, back.ports], [REMOTE_HOST, 'running', mine.ports]);
  });

  test('setup on a remote engine refuses a --from stack with build: or bind mounts, naming each path', async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    const d = sb.folder(`shop-${RUN}`);
    writeFileSync(
      path.join(d, 'docker-compose.yml'),
      [
        'services:',
        '  app:',
        '    build: ./app',
        '    ports: ["8080:80"]',
        '    volumes: ["./src:/srv", "appdata:/data"]',
        '  db:',
        '    image: postgres:15-alpine',
        '    volumes:',
        '      - type: bind',
        '        source: ./initdb',
        '        target: /docker-entrypoint-initdb.d',
        'volumes:',
        '  appdata: {}',
        '',
      ].join('\n'),
    );
    const r = await runAxi(['setup', d, '--from', 'docker-compose.yml', '--engine', REMOTE_HOST], { env });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const err = r.stderr;
    assert.equal(err.trim().split('\n').length, 1, 'one line');
    assert.match(err, /services\.app\.build \(\.\/app\)/);
    assert.match(err, /services\.app\.volumes \(.*src\)/);
    assert.match(err, /services\.db\.volumes \(.*initdb\)/);
    assert.doesNotMatch(err, /appdata/);
    const listed = (await runAxiJson(['list'], { env })).json as { folder: string }[];
    assert.equal(
      listed.some((i) => i.folder === d),
      false,
      'nothing was registered',
    );
  });
});
