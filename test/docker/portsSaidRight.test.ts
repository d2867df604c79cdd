import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { SHOP_COMPOSE } from '../compose/fixtures';
import { holdPort, runAxi, runAxiJson, sandbox } from '../helpers';
import { composeDown, composeDownAll, RUN } from './dockerHelpers';
import { mcpClients } from './mcpClients';
import { preferredSlot } from '../../main/core/ports/portAllocator';
import { AEGISX_PRESET } from '../../main/core/project/preset';

/**
 * Issue 23, point 5: --reassign moves only what is taken (--all moves everything) and says what moved and
 * who holds what did not; `axi urls` gives every port its scheme, and ports moved while it runs are not its
 * URLs until a restart.
 */
describe('ports said right', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: 'axitest' };
  const projects: [string, string][] = [];
  after(async () => {
    await composeDownAll(projects.map(([p, dir]) => [p, path.join(dir, 'docker-compose.instance.yml')]));
    sb.cleanup();
  });

  test('--reassign moves only the taken port and names its holder; --all allocates every port afresh', async () => {
    const dir = sb.folder(`aegisx-starter-rs${RUN}`);
    const first = await runAxiJson(['setup', dir], { env });
    assert.equal(first.code, 0, first.stderr);
    const holder = await holdPort(first.json.ports.web);
    const moved = await runAxiJson(['setup', dir, '--reassign'], { env }).finally(() => holder.stop());
    assert.equal(moved.code, 0, moved.stderr);
    const { web, ...rest } = moved.json.ports;
    const { web: oldWeb, ...oldRest } = first.json.ports;
    assert.notEqual(web, oldWeb);
    assert.deepEqual(rest, oldRest, 'only the taken port moves');
    assert.ok(
      moved.json.notes.includes(`web ${oldWeb} → ${web}: ${oldWeb} was in use by node (pid ${holder.pid})`),
      moved.json.notes.join('\n'),
    );
    const again = await runAxiJson(['setup', dir, '--reassign'], { env });
    assert.deepEqual(again.json.ports, moved.json.ports);
    assert.ok(again.json.notes.includes('nothing moved: none of its ports is taken (--all moves every port)'));
    // --all allocates the whole block afresh: its own slot again, now that nothing holds its web port.
    const all = await runAxiJson(['setup', dir, '--reassign', '--all'], { env });
    assert.deepEqual(all.json.ports, first.json.ports);
  });

  test('a first --reassign on a main checkout moves only the taken port, and says so', async () => {
    const main = sb.folder(`fresh${RUN}`);
    writeFileSync(path.join(main, 'docker-compose.yml'), SHOP_COMPOSE(39780, 39781, `fresh${RUN}`));
    const holder = await holdPort(39780);
    try {
      const refused = await runAxi(['setup', main], { env });
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        new RegExp(`port 39780 \\(web\\) of the main checkout is in use by node \\(pid ${holder.pid}\\)`),
      );
      const moved = await runAxiJson(['setup', main, '--reassign'], { env });
      assert.equal(moved.code, 0, moved.stderr);
      assert.equal(moved.json.ports.db, 39781, 'the free port stays on the one its compose file names');
      assert.notEqual(moved.json.ports.web, 39780);
      assert.ok(
        moved.json.notes.includes(`web 39780 → ${moved.json.ports.web}: 39780 was in use by node (pid ${holder.pid})`),
        moved.json.notes.join('\n'),
      );
    } finally {
      await holder.stop();
    }
  });

  test('back to base: what another instance holds stays, named; what is free goes home', async () => {
    const alpha = sb.folder(`alpha${RUN}`);
    writeFileSync(
      path.join(alpha, 'docker-compose.yml'),
      'services:\n  web:\n    image: nginx:alpine\n    ports: ["39580:80"]\n',
    );
    assert.equal((await runAxi(['setup', alpha], { env })).code, 0);
    const main = sb.folder(`mmm${RUN}`);
    writeFileSync(path.join(main, 'docker-compose.yml'), SHOP_COMPOSE(39580, 39581, `mmm${RUN}`));
    const refused = await runAxi(['setup', main], { env });
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      new RegExp(`port 39580 \\(web\\) of the main checkout is registered to instance alpha${RUN}`),
    );
    const off = await runAxiJson(['setup', main, '--reassign'], { env });
    assert.equal(off.code, 0, off.stderr);
    assert.notEqual(off.json.ports.web, 39580);
    assert.equal(off.json.ports.db, 39581, 'only the taken port moves');
    const back = await runAxiJson(['setup', main, '--reassign'], { env });
    assert.equal(back.json.ports.web, off.json.ports.web, 'its base is still taken: it stays');
    assert.equal(back.json.ports.db, 39581, 'its base is free: it goes home');
    assert.ok(
      back.json.notes.includes(
        `web stays on ${off.json.ports.web}: its base port 39580 is registered to instance alpha${RUN} (web)`,
      ),
      back.json.notes.join('\n'),
    );
  });

  test('a main checkout moved off a base port lists the slot its moved port belongs to (axi list --json)', async () => {
    const main = sb.folder(`mslot${RUN}`);
    writeFileSync(path.join(main, 'docker-compose.yml'), SHOP_COMPOSE(39380, 39480, `mslot${RUN}`));
    const first = await runAxiJson(['setup', main], { env });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.json.slot, null, 'on its bases: no slot');
    const holder = await holdPort(39380);
    const moved = await runAxiJson(['setup', main, '--reassign'], { env }).finally(() => holder.stop());
    assert.equal(moved.code, 0, moved.stderr);
    assert.equal(moved.json.ports.db, 39480, 'only the held port moves');
    // Bases no other case here allocates from (fresh's web moves within 39781-39880: a run took 39880). Slot k's web
    // port is 39380 + k + 1. The folder's own slot's is taken by nothing here, yet the move starts one slot after it:
    // the slot recorded is the one the moved port belongs to.
    const slot = moved.json.ports.web - 39381;
    assert.notEqual(slot, preferredSlot(AEGISX_PRESET, `mslot${RUN}`));
    const list = await runAxiJson(['list', '--json'], { env });
    const inst = list.json.find((i: { folder: string }) => i.folder === main);
    assert.equal(inst.slot, slot, JSON.stringify(inst));
  });

  test('axi urls: schemes for every port; moved while running, the old ports stay its URLs until a restart', async () => {
    const dir = sb.folder(`shop${RUN}`);
    writeFileSync(path.join(dir, 'docker-compose.yml'), SHOP_COMPOSE(39680, 39681, `shop${RUN}`));
    const s = await runAxiJson(['setup', dir], { env });
    assert.equal(s.code, 0, s.stderr);
    projects.push([s.json.project, dir]);
    const urls = await runAxiJson(['urls', s.json.name], { env });
    assert.deepEqual(urls.json.urls, {
      WEB_URL: `http://localhost:${s.json.ports.web}`,
      DB_URL: `postgresql://postgres:secret@localhost:${s.json.ports.db}/postgres`,
    });
    // axi env has the same URLs (one source), DB_URL among them.
    const vars = (await runAxiJson(['env', s.json.name], { env })).json.variables;
    for (const [k, url] of Object.entries(urls.json.urls)) assert.equal(vars[k], url, `axi env's ${k}`);
    assert.equal((await runAxi(['up', s.json.name, '--wait'], { env })).code, 0);
    const moved = await runAxiJson(['setup', dir, '--reassign', '--all'], { env });
    assert.equal(moved.code, 0, moved.stderr);
    const text = await runAxi(['urls', s.json.name], { env });
    assert.match(text.stdout, new RegExp(`WEB_URL +http://localhost:${s.json.ports.web} `));
    assert.doesNotMatch(text.stdout, new RegExp(`localhost:${moved.json.ports.web}\\b`));
    assert.match(
      text.stderr,
      new RegExp(
        `web is still on ${s.json.ports.web} until \\S+ restarts; ${moved.json.ports.web} is not in effect yet: restart to use it`,
      ),
    );
    const pending = await runAxiJson(['urls', s.json.name], { env });
    assert.deepEqual(pending.json.pending.web, { port: moved.json.ports.web, running: s.json.ports.web });
    // MCP's urls tool marks the same port the same way (one shared computation).
    const mcp = mcpClients(env);
    try {
      const client = await mcp.connect(dir);
      const r = await client.callTool({ name: 'urls', arguments: { name: s.json.name } });
      const out = JSON.parse((r.content as { text: string }[])[0]!.text);
      assert.deepEqual(out.pending, pending.json.pending);
      assert.deepEqual(out.urls, pending.json.urls);
    } finally {
      await mcp.close();
    }
  });
});

describe("a dev server's port is no reason to refuse the containers' start", () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: 'axitest' };
  const dir = sb.folder(`aegisx-starter-dv${RUN}`);
  let project = '';
  after(async () => {
    if (project) await composeDown(project, path.join(dir, 'docker-compose.instance.yml'));
    sb.cleanup();
  });

  test('a program on the web port (not a container of the stack) is reported, and axi up still starts', async () => {
    const s = await runAxiJson(['setup', dir], { env });
    assert.equal(s.code, 0, s.stderr);
    project = s.json.project;
    const holder = await holdPort(s.json.ports.web);
    try {
      const conflicts = await runAxi(['check-conflicts'], { env });
      assert.equal(conflicts.code, 1, 'still said: the dev server cannot have its port');
      assert.match(conflicts.stdout, new RegExp(`${s.json.ports.web}.*web`));
      const up = await runAxi(['up', s.json.name, '--wait'], { env });
      assert.equal(up.code, 0, up.stderr);
    } finally {
      await holder.stop();
    }
    // A container's port held by another program still refuses the start, naming it.
    await runAxi(['down', s.json.name], { env });
    const pg = await holdPort(s.json.ports.postgres);
    try {
      const up = await runAxi(['up', s.json.name], { env });
      assert.equal(up.code, 1);
      assert.match(up.stderr, new RegExp(`port ${s.json.ports.postgres} \\(postgres\\).* is in use by node`));
    } finally {
      await pg.stop();
    }
  });
});
