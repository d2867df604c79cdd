import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createBackend } from '../../main/docker/lifecycle/backend';
import { GIT_IDENTITY, runAxi, runAxiJson, sandbox, sandboxPaths } from '../helpers';
import { composeDownAll, exec, postgresService, psql, redisCommand, RUN } from './dockerHelpers';
import { mcpClients } from './mcpClients';

type Text = { type: string; text: string }[];
type Made = { name: string; project: string; dir: string; ports: Record<string, number> };

/** Every container of a Compose project, in any state. */
async function containersOf(project: string): Promise<string[]> {
  const r = await exec('docker', ['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '-q']);
  return r.stdout.split('\n').filter(Boolean);
}

/** Names of a Compose project's volumes or networks. */
async function objectsOf(kind: 'volume' | 'network', project: string): Promise<string[]> {
  const r = await exec('docker', [kind, 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`]);
  return r.stdout.split('\n').filter(Boolean);
}

/** A git repository (main) with the given files committed, and linked worktrees beside it. */
async function repository(main: string, files: Record<string, string>, trees: string[], env: NodeJS.ProcessEnv) {
  const git = async (...args: string[]) => {
    const r = await exec('git', ['-C', main, ...args], env);
    assert.equal(r.code, 0, `git ${args.join(' ')}: ${r.stderr}`);
  };
  await git('init', '-q', '-b', 'main');
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(main, file), text);
  await git('add', '.');
  await git('commit', '-q', '-m', 'init');
  for (const t of trees) await git('worktree', 'add', '-q', t);
}

async function setup(dir: string, env: NodeJS.ProcessEnv): Promise<Made> {
  const r = await runAxiJson(['setup', dir], { env });
  assert.equal(r.code, 0, r.stderr);
  return { name: r.json.name, project: r.json.project, dir, ports: r.json.ports };
}

/** `clone-data main TARGET --yes`, run from the CLI as a user would. */
const cloneMain = (target: string, env: NodeJS.ProcessEnv) => runAxi(['clone-data', 'main', target, '--yes'], { env });

/**
 * The trial's first setup: the AegisX stack in a repository whose `.aegisx-instances.yml` sets `prefix:`. Main's
 * volumes carry that prefix, and "Copy main's data" must find them (it failed with "no volume of … matches").
 */
describe("a repository with its own prefix: main's data copies into a worktree", () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, ...GIT_IDENTITY, AXI_PREFIX: `axcm${RUN}` };
  const main = sb.folder(`trial-app${RUN}`);
  const [login, agent, gone] = [`${main}-login`, `${main}-agent`, `${main}-gone`];
  const made: Made[] = [];
  const mcp = mcpClients(env, 'copy-match-test');
  let client: Client | undefined;

  before(async () => {
    await repository(main, { '.aegisx-instances.yml': `prefix: trx${RUN}\n` }, [login, agent, gone], env);
    for (const dir of [main, login]) made.push(await setup(dir, env));
  });

  after(async () => {
    await mcp.close();
    const listed: Made[] = ((await runAxiJson(['list', '--json'], { env })).json ?? []).map(
      (i: { folder: string; project: string }) => ({ dir: i.folder, project: i.project }),
    );
    await composeDownAll([...made, ...listed].map((i) => [i.project, path.join(i.dir, 'docker-compose.instance.yml')]));
    sb.cleanup();
  });

  test('before main ever ran: the copy says main has no data yet and how to make it, and creates nothing', async () => {
    const [m, t] = made as [Made, Made];
    const r = await cloneMain(t.name, env);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, new RegExp(`${m.name} has no data yet: none of its volumes \\(trx${RUN}_postgres_data`));
    assert.match(r.stderr, new RegExp(`start it once \\(axi up ${m.name}\\)`));
    assert.deepEqual(await containersOf(t.project), [], 'no container of the target was made');
    // The window's dialog gets the same reason for its greyed button.
    const backend = createBackend({ env, paths: sandboxPaths(env) });
    const plan = await backend.lifecycle.planCloneData('main', t.name);
    assert.deepEqual(plan.pairs, []);
    assert.match((plan as { reason?: string }).reason ?? '', /has no data yet/);
  });

  test('setup_this_checkout {dataFrom:"main"} that cannot copy leaves nothing registered, and a retry works', async () => {
    client = await mcp.connect(agent);
    const failed = await client.callTool({ name: 'setup_this_checkout', arguments: { dataFrom: 'main' } });
    const text = (failed.content as Text)[0]!.text;
    assert.equal(failed.isError, true, text);
    assert.match(text, /has no data yet/);
    assert.match(text, /nothing was registered/);
    const listed = (await runAxiJson(['list', '--json'], { env })).json as { folder: string }[];
    assert.ok(!listed.some((i) => i.folder === agent), 'the worktree is not registered');
    assert.ok(!existsSync(path.join(agent, 'docker-compose.instance.yml')), 'its instance file is gone');
    assert.ok(!existsSync(path.join(agent, '.env.local')), 'its .env.local is gone');
    // The same from a terminal: `axi setup --data-from main` that cannot copy registers nothing either.
    const cli = await runAxi(['setup', agent, '--data-from', 'main'], { env });
    assert.notEqual(cli.code, 0);
    assert.match(cli.stderr, /has no data yet.*nothing was registered/);
    const after = (await runAxiJson(['list', '--json'], { env })).json as { folder: string }[];
    assert.ok(!after.some((i) => i.folder === agent), 'the CLI left the worktree unregistered');
    assert.ok(!existsSync(path.join(agent, 'docker-compose.instance.yml')), 'and its instance file gone');
  });

  test("with main running: clone-data main copies its rows and keys, and so does the agent's retry", async () => {
    const [m, t] = made as [Made, Made];
    const up = await runAxiJson(['up', m.name, '--wait'], { env });
    assert.equal(up.code, 0, up.stderr);
    await psql(m.ports.postgres!, 'create table notes(body text); insert into notes values ($$from main$$)');
    assert.equal(await redisCommand(m.ports.redis!, 'SET', 'greeting', 'hello'), '+OK');
    await redisCommand(m.ports.redis!, 'SAVE');
    const r = await cloneMain(t.name, env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`copied trx${RUN}_postgres_data → \\S+postgres_data`));
    const tu = await runAxiJson(['up', t.name, '--wait'], { env });
    assert.equal(tu.code, 0, tu.stderr);
    assert.equal(await psql(t.ports.postgres!, 'select body from notes'), 'from main');
    assert.equal(await redisCommand(t.ports.redis!, 'GET', 'greeting'), 'hello');
    const again = await client!.callTool({
      name: 'setup_this_checkout',
      arguments: { dataFrom: 'main', start: false },
    });
    const text = (again.content as Text)[0]!.text;
    assert.notEqual(again.isError, true, text);
    assert.equal(JSON.parse(text).copiedFrom, 'main');
  });

  test('remove of an instance whose containers were only created (by a copy) removes them, volumes kept', async () => {
    const g = await setup(gone, env);
    made.push(g);
    const r = await cloneMain(g.name, env);
    assert.equal(r.code, 0, r.stderr);
    assert.ok((await containersOf(g.project)).length > 0, 'the copy made its containers, not started');
    const removed = await runAxi(['remove', g.name], { env });
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, /with its containers/);
    assert.deepEqual(await containersOf(g.project), []);
    assert.ok((await objectsOf('volume', g.project)).length > 0, 'its volumes are kept');
    await exec('docker', ['volume', 'rm', ...(await objectsOf('volume', g.project))]);
  });

  test('cleanup --volumes after remove takes the containers, volumes and network of a prefix: instance', async () => {
    const t = made[1]!;
    for (const args of [
      ['stop', t.name],
      ['remove', t.name],
    ]) {
      const r = await runAxi(args, { env });
      assert.equal(r.code, 0, r.stderr);
    }
    assert.ok((await objectsOf('volume', t.project)).length > 0);
    const clean = await runAxi(['cleanup', '--volumes', '--yes'], { env });
    assert.equal(clean.code, 0, clean.stderr);
    assert.deepEqual(await containersOf(t.project), []);
    assert.deepEqual(await objectsOf('volume', t.project), [], clean.stdout);
    assert.deepEqual(await objectsOf('network', t.project), [], clean.stdout);
  });
});

/** A project's own compose file whose volume has `name:`: Compose v1 labels it by that name, not by its key. */
const NAMED_VOLUME_COMPOSE = (port: number, tag: string) => `services:
${postgresService({ env: { POSTGRES_DB: 'aegisx_db' }, ports: [`127.0.0.1:${port}:5432`] })}volumes:
  dbdata:
    name: ${tag}_pgdata
`;

describe("a project's own compose file with a named volume: main's data copies into a worktree", () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, ...GIT_IDENTITY, AXI_PREFIX: `axcn${RUN}` };
  const tag = `cms${RUN}`;
  const main = sb.folder(`trialshop${RUN}`);
  const tree = `${main}-feature-y`;
  const made: Made[] = [];

  before(async () => {
    const port = 26000 + (parseInt(RUN, 36) % 2000);
    await repository(main, { 'docker-compose.yml': NAMED_VOLUME_COMPOSE(port, tag) }, [tree], env);
    for (const dir of [main, tree]) made.push(await setup(dir, env));
  });

  after(async () => {
    await composeDownAll(made.map((m) => [m.project, path.join(m.dir, 'docker-compose.instance.yml')]));
    sb.cleanup();
  });

  test('clone-data main matches dbdata by its key and the row arrives', async () => {
    const [m, t] = made as [Made, Made];
    const up = await runAxiJson(['up', m.name, '--wait'], { env });
    assert.equal(up.code, 0, up.stderr);
    const port = (ports: Record<string, number>) => Object.values(ports)[0]!;
    await psql(port(m.ports), 'create table notes(body text); insert into notes values ($$shop main$$)');
    const r = await cloneMain(t.name, env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`copied ${tag}_pgdata → ${tag}_pgdata_\\S+`));
    const tu = await runAxiJson(['up', t.name, '--wait'], { env });
    assert.equal(tu.code, 0, tu.stderr);
    assert.equal(await psql(port(t.ports), 'select body from notes'), 'shop main');
  });
});
