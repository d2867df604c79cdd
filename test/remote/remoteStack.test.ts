import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as Y from 'yaml';
import { runAxi, runAxiJson, sandbox } from '../helpers';
import { exec } from '../docker/dockerHelpers';
import { openDashboard } from '../app/browserHelpers';
import { REMOTE_ADDR, REMOTE_HOST, spreadSuffixes, startRemoteEngine, type RemoteOrSkip } from './remoteEngine';

const IMAGES = ['postgres:15-alpine', 'redis:7-alpine', 'dpage/pgadmin4:latest'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `axi stack` (issue 11, section 6) on the namespace engine made a single-node swarm: the stack file from the
 * instance's own file, `--deploy` there, and its tasks reported running by `axi stack --status` and `axi list`.
 * The host's own engine is never put in swarm mode; the remote one leaves the swarm in the teardown.
 */
describe('a Swarm stack from an instance on a remote engine', () => {
  const sb = sandbox();
  const env = { ...sb.env, AXI_PREFIX: 'axistk', AXI_OWNER: 'alice' };
  const [name] = spreadSuffixes(1, 'k') as [string];
  const dir = sb.folder(`aegisx-starter-${name}`);
  const project = `axistk_alice_${name}`;
  let remote: RemoteOrSkip = { skip: 'not started' };
  const remoteDocker = (args: string[]) => remote.engine!.docker(args);

  /** Swarm removes a stack's containers after `stack rm` returns: wait for them before its volumes go. */
  async function removeStack(): Promise<void> {
    await remoteDocker(['stack', 'rm', project]);
    for (let i = 0; i < 120; i++) {
      const left = await remoteDocker(['ps', '-aq', '--filter', `label=com.docker.stack.namespace=${project}`]);
      if (!left.stdout.trim()) break;
      await sleep(250);
    }
  }

  before(async () => {
    remote = await startRemoteEngine(IMAGES);
    // A swarm a crashed run left behind would make the "not in swarm mode" case pass for the wrong reason.
    if (remote.engine) await remoteDocker(['swarm', 'leave', '--force']);
  });

  after(async () => {
    if (remote.engine) {
      await removeStack();
      await runAxi(['down', name], { env });
      await remoteDocker(['volume', 'rm', '-f', `${project}_postgres_data`, `${project}_redis_data`]);
      await remoteDocker(['swarm', 'leave', '--force']);
      await remote.engine.stop();
    }
    sb.cleanup();
  });

  test('the stack file: made from the instance file, with the repository’s placement constraints', async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    writeFileSync(path.join(dir, '.aegisx-instances.yml'), 'swarm:\n  constraints: [node.role == manager]\n');
    const setup = await runAxiJson(['setup', dir, '--engine', REMOTE_HOST], { env });
    assert.equal(setup.code, 0, setup.stderr);
    assert.equal(setup.json.project, project);
    const printed = await runAxi(['stack', name], { env });
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stderr, /warning: postgres, redis, pgadmin published their ports on one address/);
    const stack = Y.parse(printed.stdout) as { services: Record<string, Record<string, any>> };
    const instance = Y.parse(readFileSync(path.join(dir, 'docker-compose.instance.yml'), 'utf8')) as typeof stack;
    assert.deepEqual(Object.keys(stack.services), ['postgres', 'redis', 'pgadmin']);
    for (const [svc, def] of Object.entries(stack.services)) {
      assert.equal(def.container_name, undefined, svc);
      assert.deepEqual(def.deploy.resources, instance.services[svc]!.deploy.resources, `${svc}: resources as written`);
      assert.deepEqual(def.deploy.placement, { constraints: ['node.role == manager'] }, svc);
    }
    assert.deepEqual(stack.services.postgres!.ports, [
      { target: 5432, published: setup.json.ports.postgres, mode: 'ingress' },
    ]);
    assert.match(printed.stdout, /^# postgres, redis, pgadmin: container_name dropped/m);
    const out = path.join(sb.dir, 'stack.yml');
    const written = await runAxiJson(['stack', name, '--out', out], { env });
    assert.equal(written.code, 0, written.stderr);
    assert.equal(readFileSync(out, 'utf8'), printed.stdout);
  });

  test('--deploy on an engine not in swarm mode: one line saying so, nothing deployed', async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    const r = await runAxi(['stack', name, '--deploy'], { env });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(
      r.stderr.trim(),
      `axi: the Docker engine ${REMOTE_ADDR}:2375 is not in swarm mode: run \`docker swarm init\` there`,
    );
  });

  test('--deploy while the instance runs under Compose is refused: its ports would clash', async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    const init = await remoteDocker(['swarm', 'init', '--advertise-addr', REMOTE_ADDR]);
    assert.equal(init.code, 0, init.stderr);
    assert.equal((await runAxi(['up', name], { env })).code, 0);
    const r = await runAxi(['stack', name, '--deploy'], { env });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr.trim(), new RegExp(`^axi: ${name} is running under Compose .*axi stop ${name}$`));
    assert.equal((await runAxi(['stop', name], { env })).code, 0);
  });

  test('--deploy: the stack runs on the remote swarm, and --status and list report its tasks', async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    const started = Date.now();
    const r = await runAxiJson(['stack', name, '--deploy'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([r.json.stack, r.json.engine], [project, REMOTE_HOST]);
    let status: any;
    for (let i = 0; i < 240; i++) {
      status = (await runAxiJson(['stack', name, '--status'], { env })).json.stack;
      if (status && status.desired === 3 && status.running === 3) break;
      await sleep(500);
    }
    t.diagnostic(`3/3 tasks running ${Date.now() - started} ms after deploy`);
    assert.deepEqual([status?.running, status?.desired], [3, 3], JSON.stringify(status));
    assert.deepEqual(status.services.map((s: { name: string }) => s.name).sort(), [
      `${project}_pgadmin`,
      `${project}_postgres`,
      `${project}_redis`,
    ]);
    const listed = (await runAxiJson(['list'], { env })).json as { name: string; stack: any }[];
    const entry = listed.find((i) => i.name === name)!;
    assert.deepEqual([entry.stack.stack, entry.stack.running, entry.stack.desired], [project, 3, 3]);
    const table = await runAxi(['list'], { env });
    assert.match(table.stdout, new RegExp(`^${name} .* 3/3 tasks running `, 'm'));
    // The services are the remote engine's; the host's engine stays out of swarm mode.
    const there = await remoteDocker(['service', 'ls', '--format', '{{.Name}}']);
    assert.match(there.stdout, new RegExp(`^${project}_postgres$`, 'm'));
    const here = await exec('docker', ['info', '--format', '{{.Swarm.LocalNodeState}}']);
    assert.equal(here.stdout.trim(), 'inactive');
  });

  test("the window's card shows the stack and its tasks beside the stopped Compose state, and names a service short of its task", async (t) => {
    if (!remote.engine) return t.skip(remote.skip);
    const dash = await openDashboard(env);
    try {
      const card = dash.page.getByRole('article', { name: `instance ${name}` });
      const line = card.getByTestId('stack');
      await line.filter({ hasText: `Swarm stack ${project}: 3/3 tasks running` }).waitFor({ timeout: 30_000 });
      // A constraint no node meets: its task stops and the new one cannot be placed. The engine's events bring
      // the card along, naming the service that lacks its task.
      const moved = await remoteDocker([
        ...['service', 'update', '--detach', '--constraint-add', 'node.labels.axi-nowhere==1'],
        `${project}_pgadmin`,
      ]);
      assert.equal(moved.code, 0, moved.stderr);
      await line
        .filter({ hasText: `Swarm stack ${project}: 2/3 tasks running · waiting: pgadmin 0/1` })
        .waitFor({ timeout: 60_000 })
        .catch(async (err: Error) => {
          throw new Error(`${err.message}\nthe card says: ${await card.innerText()}`);
        });
      assert.match(await card.innerText(), /stopped/i, 'its Compose state is shown as it is');
    } finally {
      await dash.close();
    }
  });
});
