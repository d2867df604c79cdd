import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Ajv from 'ajv';
import { API_METHODS, apiTable } from '../../main/shared/api/table';
import { METHOD_INFO, toolName } from '../../main/mcp/tools/methodInfo';
import { AXI_BIN, GIT_IDENTITY, runAxi, runAxiJson, sandbox } from '../helpers';
import { exec, psqlSoon, removeOwned, RUN } from './dockerHelpers';
import { callTool, mcpClients, repositoriesSetUp } from './mcpClients';

/** `axi mcp` through the SDK's own client over stdio, on the real engine: a repository with two worktrees. */
describe('axi mcp: an MCP server per checkout', () => {
  const sb = sandbox();
  const prefix = `axmcp${RUN}`;
  const env: NodeJS.ProcessEnv = {
    ...sb.env,
    AXI_PREFIX: prefix,
    ...GIT_IDENTITY,
  };
  const main = sb.folder(`aegisx-starter-mcp${RUN}`);
  const tree = (s: string) => path.join(path.dirname(main), `${path.basename(main)}-${s}`);
  const other = sb.folder(`aegisx-other-zz${RUN}`); // another repository
  const inst: Record<string, { name: string; folder: string; ports: Record<string, number> }> = {};
  const { connect, close } = mcpClients(env);
  const call = callTool;
  const sql = psqlSoon;

  before(async () => {
    Object.assign(inst, await repositoriesSetUp(env, main, other, false));
  });

  after(async () => {
    await close();
    await removeOwned(env);
    sb.cleanup();
  });

  test('tools are the API table: every method a tool (or the window’s own), schemas valid JSON Schema', async () => {
    const all = await connect(main, '--all');
    const tools = (await all.listTools()).tools;
    const byName = new Map(tools.map((t) => [t.name, t]));
    const ajv = new Ajv({ strict: false });
    const windowOnly = API_METHODS.filter((m) => METHOD_INFO[m].reach === 'window').sort();
    assert.deepEqual(windowOnly, [
      'dismissWorktreeOffer',
      'followLogs',
      'hostAccess',
      'pickFolders',
      'previewFolder',
      'revealFolder',
      'stopLogs',
      'trustHostAccess',
    ]);
    for (const m of API_METHODS) {
      if (METHOD_INFO[m].reach === 'window') continue;
      const t = byName.get(toolName(m));
      assert.ok(t, `no tool for ${m}`);
      assert.equal(t.inputSchema.type, 'object');
      assert.doesNotThrow(() => ajv.compile(t.inputSchema), `${m}: ${JSON.stringify(t.inputSchema)}`);
      const items = (apiTable[m].args as unknown as { items: unknown[] }).items;
      assert.equal(METHOD_INFO[m].params.length, items.length, m);
      for (const p of METHOD_INFO[m].params) if (p !== '*') assert.ok(p in t.inputSchema.properties!, `${m}.${p}`);
      const info = METHOD_INFO[m];
      if (info.readOnly) assert.equal(t.annotations?.readOnlyHint, true, m);
      else assert.equal(t.annotations?.destructiveHint, Boolean(info.destructive), m);
      for (const [p, prop] of Object.entries(t.inputSchema.properties!))
        assert.ok((prop as { description?: string }).description, `${t.name}.${p} has no description`);
      if (t.inputSchema.properties!.name) assert.ok(t.inputSchema.required!.includes('name'), `${m}: --all needs name`);
    }
    for (const n of ['env', 'urls', 'status', 'logs', 'down']) assert.ok(byName.has(n), n);
    for (const n of ['reset_instance', 'restore_instance', 'clone_data', 'down'])
      assert.equal(byName.get(n)!.annotations?.destructiveHint, true, n);
    assert.deepEqual(byName.get('reset_instance')!.inputSchema.required, ['name', 'snapshot', 'confirm']);
    assert.deepEqual(byName.get('remove_instance')!.inputSchema.required, ['name', 'down', 'confirm']);
    assert.match(all.getInstructions()!, /ALL registered instances/);

    const scoped = await connect(tree('a'));
    const names = (await scoped.listTools()).tools.map((t) => t.name);
    for (const g of ['start_all', 'stop_all', 'apply_cleanup', 'register_folder', 'update_settings'])
      assert.ok(!names.includes(g), `${g} offered to a checkout-scoped server`);
    assert.match(scoped.getInstructions()!, new RegExp(`instance ${inst.a!.name}, folder ${tree('a')}`));
  });

  test('urls, env and status answer the same JSON as the CLI; the listing is this repository only', async () => {
    const c = await connect(path.join(tree('a')));
    const urls = await call(c, 'urls');
    assert.deepEqual(
      { isError: urls.isError, json: urls.json },
      { isError: false, json: (await runAxiJson(['urls', inst.a!.name], { env })).json },
    );
    assert.equal(
      urls.json.urls.DATABASE_URL,
      `postgresql://postgres:postgres@localhost:${inst.a!.ports.postgres}/aegisx_db`,
    );
    const envVars = await call(c, 'env');
    assert.deepEqual(envVars.json, (await runAxiJson(['env'], { env, cwd: tree('a') })).json);
    const overview = await call(c, 'get_overview');
    assert.deepEqual(
      overview.json.instances.map((i: { name: string }) => i.name).sort(),
      [inst.main!.name, inst.a!.name, inst.b!.name].sort(),
    );
    const resources = (await c.listResources()).resources.map((r) => r.uri);
    assert.ok(resources.includes(`axi://instances/aegisx/${inst.a!.name}/env`), resources.join(' '));
    const envText = await c.readResource({ uri: `axi://instances/aegisx/${inst.a!.name}/env` });
    assert.match((envText.contents[0] as { text: string }).text, new RegExp(`POSTGRES_PORT=${inst.a!.ports.postgres}`));
  });

  test('start_instance, status, then reset: refused without confirm, done with it (the data is gone)', async () => {
    const c = await connect(tree('a'));
    const up = await call(c, 'start_instance');
    assert.equal(up.isError, false, JSON.stringify(up.json));
    assert.equal(up.json.state, 'running');
    const status = await call(c, 'status');
    assert.equal(status.json.status, 'running');
    assert.equal(status.json.name, inst.a!.name);
    assert.equal(status.json.services.postgres.health, 'healthy');
    await sql(inst.a!.ports.postgres!, 'create table kept_by_mcp(x int)');

    const refused = await call(c, 'reset_instance', { snapshot: false, confirm: 'yes' });
    assert.equal(refused.isError, true);
    assert.equal(refused.json.code, 'BAD_INPUT');
    assert.match(refused.json.message, /confirm equal to the instance name/);
    const missing = await call(c, 'reset_instance', { snapshot: false });
    assert.deepEqual([missing.isError, missing.json.code], [true, 'BAD_INPUT']);
    assert.equal(
      await sql(inst.a!.ports.postgres!, "select count(*) from pg_tables where tablename='kept_by_mcp'"),
      '1',
    );

    const done = await call(c, 'reset_instance', { snapshot: false, confirm: inst.a!.name });
    assert.equal(done.isError, false, JSON.stringify(done.json));
    assert.equal(done.json.instance.name, inst.a!.name);
    assert.equal(
      await sql(inst.a!.ports.postgres!, "select count(*) from pg_tables where tablename='kept_by_mcp'"),
      '0',
    );

    const downVolumes = await call(c, 'down', { volumes: true });
    assert.deepEqual([downVolumes.isError, downVolumes.json.code], [true, 'BAD_INPUT']);
  });

  test('a server scoped to one worktree cannot stop another instance', async () => {
    const upB = await runAxiJson(['up', inst.b!.name], { env });
    assert.equal(upB.code, 0, upB.stderr);
    const c = await connect(tree('a'));
    for (const [tool, args] of [
      ['stop_instance', { name: inst.b!.name }],
      ['down', { name: inst.b!.name }],
      ['stop_all', {}],
      ['status', { name: inst.other!.name }],
    ] as const) {
      const r = await call(c, tool, args);
      assert.equal(r.isError, true, tool);
      assert.equal(r.json.code, 'OUT_OF_SCOPE', `${tool}: ${JSON.stringify(r.json)}`);
    }
    assert.equal((await runAxiJson(['status', inst.b!.name], { env })).json.status, 'running');
    // --all can, naming it.
    const all = await connect(main, '--all');
    const stopped = await call(all, 'stop_instance', { name: inst.b!.name });
    assert.equal(stopped.isError, false, JSON.stringify(stopped.json));
    assert.notEqual(stopped.json.state, 'running');
  });

  test('axi env evaluated in bash sets DATABASE_URL to the instance’s own port, from a subfolder too', async () => {
    const sub = path.join(tree('b'), 'src', 'deep');
    mkdirSync(sub, { recursive: true });
    // The bash test's own way: cd into the subfolder, eval the output, read the variable.
    const inSub = await exec(
      'bash',
      ['-c', 'cd "$2" && eval "$("$0" "$1" env)" && printf %s "$DATABASE_URL"', process.execPath, AXI_BIN, sub],
      env,
    );
    assert.equal(inSub.code, 0, inSub.stderr);
    assert.equal(inSub.stdout, `postgresql://postgres:postgres@localhost:${inst.b!.ports.postgres}/aegisx_db`);
    const status = await runAxiJson(['status'], { env, cwd: sub });
    assert.equal(status.code, 0, status.stderr);
    assert.equal(status.json.name, inst.b!.name);
    const outside = await runAxi(['env'], { env, cwd: sb.dir });
    assert.equal(outside.code, 2);
    assert.equal(outside.stdout, '');
    assert.match(
      outside.stderr,
      new RegExp(`^axi: ${sb.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not inside a registered checkout`),
    );
    // axi mcp starts there all the same (its client never sees stderr): its tools say why they cannot act.
    const mcpOutside = await connect(sb.dir);
    const r = await call(mcpOutside, 'urls');
    assert.deepEqual([r.isError, r.json.code], [true, 'NOT_FOUND']);
    assert.match(
      r.json.message,
      /is not inside a git checkout; register its main checkout with: axi setup MAIN_FOLDER/,
    );
  });
});
