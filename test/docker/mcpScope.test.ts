import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GIT_IDENTITY, sandbox } from '../helpers';
import { RUN } from './dockerHelpers';
import { callTool, mcpClients, repositoriesSetUp } from './mcpClients';

/**
 * A server scoped to one checkout holds for every argument: a source, a folder, a resource, and a checkout
 * that rewrites its own `.git` file to claim another repository. Nothing here starts a container.
 */
describe('axi mcp: the scope holds for every argument', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: `axscope${RUN}`, ...GIT_IDENTITY };
  const main = sb.folder(`aegisx-starter-scope${RUN}`);
  const tree = (s: string) => path.join(path.dirname(main), `${path.basename(main)}-${s}`);
  const other = sb.folder(`aegisx-secret-zz${RUN}`); // another repository, whose data must stay out of reach
  const inst: Record<string, { name: string; id: string; folder: string }> = {};
  const { connect, close } = mcpClients(env);
  const call = callTool;

  before(async () => {
    Object.assign(inst, await repositoriesSetUp(env, main, other, true));
  });

  after(async () => {
    await close();
    sb.cleanup();
  });

  test("clone_data and clone_data_plan refuse another repository's instance as the source", async () => {
    const c = await connect(tree('a'));
    for (const [tool, args] of [
      ['clone_data', { source: inst.other!.name, confirm: inst.a!.name }],
      ['clone_data_plan', { source: inst.other!.name }],
    ] as const) {
      const r = await call(c, tool, args);
      assert.equal(r.isError, true, tool);
      assert.equal(r.json.code, 'OUT_OF_SCOPE', `${tool}: ${JSON.stringify(r.json)}`);
      assert.match(r.json.message, new RegExp(`source ${inst.other!.name}`));
    }
  });

  test("discover_worktrees refuses another repository's folder", async () => {
    const c = await connect(tree('a'));
    const r = await call(c, 'discover_worktrees', { dir: other });
    assert.equal(r.isError, true);
    assert.equal(r.json.code, 'OUT_OF_SCOPE', JSON.stringify(r.json));
  });

  test('a checkout whose .git file claims another repository gets its own scope only', async () => {
    // The gitdir/commondir trick: the checkout rewrites its own .git to point at the other repository's.
    const fake = path.join(tree('b'), '.fakegit');
    mkdirSync(fake, { recursive: true });
    writeFileSync(path.join(fake, 'commondir'), `${path.join(other, '.git')}\n`);
    writeFileSync(path.join(fake, 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(path.join(tree('b'), '.git'), `gitdir: ${fake}\n`);
    const c = await connect(tree('b'));
    const uris = (await c.listResources()).resources.map((r) => r.uri);
    assert.ok(
      uris.every((u) => u.startsWith(`axi://instances/${inst.b!.id}/`)),
      `resources of other instances listed: ${uris.join(', ')}`,
    );
    await assert.rejects(
      c.readResource({ uri: `axi://instances/${inst.other!.id}/env` }),
      /OUT_OF_SCOPE/,
      "the other repository's .env.local was served",
    );
    for (const [tool, args] of [
      ['env', { name: inst.other!.name }],
      ['clone_data_plan', { source: 'main' }],
      ['discover_worktrees', { dir: other }],
    ] as const) {
      const r = await call(c, tool, args);
      assert.equal(r.isError, true, `${tool}: ${JSON.stringify(r.json)}`);
      assert.equal(r.json.code, 'OUT_OF_SCOPE', `${tool}: ${JSON.stringify(r.json)}`);
    }
    const overview = await call(c, 'get_overview');
    assert.equal(overview.isError, false, JSON.stringify(overview.json));
    const ids = (overview.json.instances as { id: string }[]).map((i) => i.id);
    assert.ok(!ids.includes(inst.other!.id), `get_overview shows the other repository: ${ids.join(', ')}`);
  });

  test('with --all, update_settings cannot point axi at another engine nor change the bind address', async () => {
    const c = await connect(main, '--all');
    for (const settings of [{ dockerEndpoint: 'tcp://127.0.0.1:1' }, { defaultBind: '0.0.0.0' }]) {
      const r = await call(c, 'update_settings', { settings });
      assert.equal(r.isError, true, JSON.stringify(r.json));
      assert.equal(r.json.code, 'OUT_OF_SCOPE', JSON.stringify(r.json));
      assert.match(r.json.message, new RegExp(Object.keys(settings)[0]!));
    }
    const file = path.join(env.AXI_HOME!, 'settings.json');
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '{}';
    assert.ok(!text.includes('tcp://127.0.0.1:1'), text);
  });
});
