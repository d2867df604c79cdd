import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { GIT_IDENTITY, runAxi, runAxiJson, sandbox } from '../helpers';
import { exec, psqlSoon, removeOwned, RUN } from './dockerHelpers';
import { callTool, mcpClients } from './mcpClients';

type Text = { type: string; text: string }[];
type Json = Record<string, any>;

/**
 * An agent in a fresh git worktree, through the SDK's own client on the real engine: one call from
 * nothing to a running instance with main's data, then every refusal read as a next step for a tool.
 */
describe('axi mcp for an agent: a fresh worktree to a running instance in one call', () => {
  const sb = sandbox();
  const prefix = `axag${RUN}`;
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: prefix, ...GIT_IDENTITY };
  const main = sb.folder(`aegisx-starter-ag${RUN}`);
  const tree = `${main}-login`;
  let mainName = '';
  let treeName = '';
  let c: Client;
  const { connect, close } = mcpClients(env, 'axi-agent-test');
  const call = callTool;
  const sql = psqlSoon;

  before(async () => {
    const git = async (...args: string[]) => assert.equal((await exec('git', ['-C', main, ...args], env)).code, 0);
    await git('init', '-q', '-b', 'main');
    await git('commit', '-q', '--allow-empty', '-m', 'init');
    const setup = await runAxiJson(['setup', main], { env });
    assert.equal(setup.code, 0, setup.stderr);
    mainName = setup.json.name;
    const up = await runAxi(['up', mainName], { env });
    assert.equal(up.code, 0, up.stderr);
    const port = setup.json.ports.postgres as number;
    await sql(port, "create table accounts(email text); insert into accounts values ('main@example.com')");
    await git('worktree', 'add', '-q', tree);
    mkdirSync(path.join(tree, 'src'), { recursive: true });
  });

  after(async () => {
    await close();
    await removeOwned(env);
    sb.cleanup();
  });

  test('setup_this_checkout{dataFrom:"main"} from an unregistered worktree: running, healthy, main’s row', async (t) => {
    const t0 = Date.now();
    c = await connect(path.join(tree, 'src')); // an agent may start in a subfolder
    const listed = (await c.listTools()).tools;
    const listBytes = Buffer.byteLength(JSON.stringify({ tools: listed }));
    t.diagnostic(`spawn → tools/list: ${Date.now() - t0} ms, ${listBytes} bytes, ${listed.length} tools`);
    assert.ok(listBytes <= 6144, `tools/list is ${listBytes} bytes`);
    assert.ok(listed.some((x) => x.name === 'setup_this_checkout'));
    assert.match(c.getInstructions()!, /not registered yet\. Call setup_this_checkout/);

    const before = await call(c, 'env');
    assert.deepEqual([before.isError, before.json.code], [true, 'NOT_FOUND']);
    assert.equal(
      before.json.message,
      `this checkout (${tree}) is not registered; call setup_this_checkout {} to register it`,
    );
    assert.deepEqual(before.json.fix, { tool: 'setup_this_checkout', arguments: {} });

    const t1 = Date.now();
    const r = await call(c, 'setup_this_checkout', { dataFrom: 'main' });
    t.diagnostic(
      `setup_this_checkout{dataFrom:"main"}: ${Date.now() - t1} ms, ${r.bytes} bytes: ${JSON.stringify(r.json)}`,
    );
    assert.equal(r.isError, false, JSON.stringify(r.json));
    treeName = r.json.name;
    assert.deepEqual([r.json.state, r.json.health, r.json.copiedFrom], ['running', 'healthy', 'main']);
    const port = Number(r.json.env.POSTGRES_PORT);
    assert.equal(r.json.urls.DATABASE_URL, `postgresql://postgres:postgres@localhost:${port}/aegisx_db`);
    assert.equal(r.json.env.DATABASE_URL, r.json.urls.DATABASE_URL);
    assert.equal(await sql(port, 'select email from accounts'), 'main@example.com');

    // Idempotent: again, nothing registered, copied or started twice, and it says so.
    const again = await call(c, 'setup_this_checkout', { dataFrom: 'main' });
    assert.equal(again.isError, false, JSON.stringify(again.json));
    assert.ok(again.json.notes.includes('already registered: registration and ports kept'), again.json.notes);
    assert.ok(again.json.notes.includes('already running: nothing to start'), again.json.notes);
    assert.match(again.json.notes.join('\n'), /to replace it call clone_data \{"source":"main","confirm":"/);
    assert.equal(again.json.copiedFrom, null);
  });

  test('start and overview: compact, minified, "already running", no stale busy; verbose gives the full view', async () => {
    const start = await call(c, 'start_instance');
    assert.equal(start.isError, false, JSON.stringify(start.json));
    assert.deepEqual(start.json.notes, ['already running: nothing to start']);
    assert.equal('busy' in start.json, false);
    assert.deepEqual(Object.keys(start.json).sort(), ['health', 'name', 'notes', 'ports', 'state', 'urls']);
    assert.ok(start.bytes <= 600, `start result is ${start.bytes} bytes`);
    const overview = await call(c, 'get_overview');
    assert.equal(overview.json.instances.length, 2);
    assert.ok(overview.bytes / 2 <= 400, `overview is ${overview.bytes} bytes for 2 instances`);
    const text = ((await c.callTool({ name: 'get_overview', arguments: {} })).content as Text)[0]!.text;
    assert.doesNotMatch(text, /\n/);
    const full = await call(c, 'get_overview', { verbose: 'true' }); // a string for a boolean: taken everywhere
    assert.ok('busySince' in full.json.instances[0], 'verbose is the full view');
  });

  test('refusals name the tool and arguments that fix them; every bad field at once, by the path written', async () => {
    const bad = await call(c, 'reset_instance', { snapshot: 'maybe', bogus: 1 });
    assert.equal(bad.json.code, 'BAD_INPUT');
    assert.deepEqual(bad.json.fields.map((f: Json) => f.path).sort(), ['bogus', 'confirm', 'snapshot']);
    assert.match(bad.json.message, /^bad arguments for reset_instance: /);
    assert.match(bad.json.message, /snapshot: expected boolean, got "maybe"/);
    assert.match(bad.json.message, /confirm: required/);
    assert.match(bad.json.message, /bogus: not an argument this tool takes/);

    const svc = await call(c, 'logs', { service: 'nope', tail: '5' });
    assert.equal(svc.json.code, 'NOT_FOUND');
    assert.match(svc.json.message, /has no service "nope"; its services: .*postgres, redis/);
    const lines = await call(c, 'logs', { service: 'postgres', tail: '5' });
    assert.equal(lines.isError, false, JSON.stringify(lines.json));
    assert.ok(lines.json.lines.length <= 5);

    const clone = await call(c, 'clone_data', { source: 'main', confirm: treeName });
    assert.equal(clone.json.code, 'IN_USE');
    assert.equal(
      clone.json.message,
      `${treeName} is running; call stop_instance {"name":"${treeName}"} first, then this tool again`,
    );
    assert.deepEqual(clone.json.fix, { tool: 'stop_instance', arguments: { name: treeName } });
    const cli = await runAxi(['clone-data', 'main', treeName, '--yes'], { env });
    assert.match(cli.stderr, new RegExp(`stop it first \\(axi stop ${treeName}\\)`), 'the CLI keeps its words');

    const unconfirmed = await call(c, 'remove_instance', { down: false });
    assert.equal(unconfirmed.json.code, 'BAD_INPUT');
    const running = await call(c, 'remove_instance', { down: false, confirm: treeName });
    assert.equal(running.json.code, 'IN_USE');
    assert.deepEqual(running.json.fix, {
      tool: 'remove_instance',
      arguments: { name: treeName, down: true, confirm: treeName },
    });

    const all = await connect(main, '--all');
    const policy = await call(all, 'set_worktree_policy', { name: mainName, policy: { register: 'sometimes' } });
    assert.deepEqual(
      policy.json.fields.map((f: Json) => f.path),
      ['policy.register'],
    );
    const again = await call(all, 'register_folder', { dir: main, dataFrom: 'main' });
    assert.equal(again.json.code, 'IN_USE');
    assert.equal(
      again.json.message,
      `${mainName} was already registered (its data is kept); to replace its data call clone_data {"name":"${mainName}","source":"main","confirm":"${mainName}"}`,
    );
    const nope = await call(all, 'start_instance', { name: 'nope' });
    assert.equal(
      nope.json.message,
      'no registered instance named or in "nope"; call get_overview {} for the instances in scope',
    );
    assert.match((await runAxi(['up', 'nope'], { env })).stderr, /; see axi list/);
  });

  test('"latest" is a snapshot id; a second operation meanwhile is BUSY, retryable, with operation and since', async () => {
    const reset = await call(c, 'reset_instance', { snapshot: 'true', confirm: treeName });
    assert.equal(reset.isError, false, JSON.stringify(reset.json));
    assert.ok(reset.json.snapshot, 'a snapshot was kept first');
    const restored = await call(c, 'restore_instance', { snapshot: 'latest', confirm: treeName });
    assert.equal(restored.isError, false, JSON.stringify(restored.json));
    assert.equal(restored.json.restored, reset.json.snapshot);
    const port = Number((await call(c, 'env')).json.variables.POSTGRES_PORT);
    assert.equal(await sql(port, 'select email from accounts'), 'main@example.com');

    assert.equal((await call(c, 'stop_instance')).isError, false);
    const [a, b] = await Promise.all([call(c, 'start_instance'), call(c, 'start_instance')]);
    const busy = a.isError ? a : b;
    assert.equal((a.isError ? b : a).json.state, 'running');
    assert.equal(busy.json.code, 'BUSY', JSON.stringify([a.json, b.json]));
    assert.deepEqual([busy.json.retryable, busy.json.operation], [true, 'start']);
    assert.match(busy.json.since, /^\d{4}-\d\d-\d\dT/);
    assert.match(busy.json.message, /is busy \(start\) since .*; call this tool again once it ends$/);
  });

  test('after remove_instance every scoped tool says the checkout is no longer registered', async () => {
    const removed = await call(c, 'remove_instance', { down: true, confirm: treeName });
    assert.equal(removed.isError, false, JSON.stringify(removed.json));
    const expected = `this checkout (${tree}) is not registered (its instance ${treeName} was removed); call setup_this_checkout {} to register it`;
    for (const tool of ['env', 'urls', 'status', 'logs', 'start_instance', 'list_snapshots']) {
      const r = await call(c, tool);
      assert.deepEqual([r.isError, r.json.code, r.json.message], [true, 'NOT_FOUND', expected], tool);
    }
  });
});
