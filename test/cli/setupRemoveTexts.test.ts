import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { writeRouterState } from '../../main/core/routes/routerState';
import { runAxi, runAxiJson, sandbox } from '../helpers';

/** What `axi setup` and `axi remove` tell a new user besides their job: the router name, the snapshots left. */
describe('setup and remove texts', () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  const dir = sb.folder('aegisx-starter-fix-login');

  test('setup prints its router name, with what runs a router while none runs', async () => {
    const r = await runAxi(['setup', dir], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^ {2}router http:\/\/fix-login\.[a-z0-9-]+\.localhost(:\d+)? \(once a router runs: axi serve, axi router or the app\)$/m,
    );
    await writeRouterState(path.join(sb.env.AXI_HOME!), {
      pid: process.pid,
      port: 7080,
      tls: false,
      why: 'test',
      startedAt: '',
    });
    const again = await runAxi(['setup', dir], { env: sb.env });
    assert.match(again.stdout, /^ {2}router http:\/\/fix-login\.[a-z0-9-]+\.localhost:7080$/m);
  });

  test('a stack that publishes no port says so, not an empty line', async () => {
    const quiet = sb.folder('worker-only');
    writeFileSync(path.join(quiet, 'compose.yaml'), 'services:\n  worker:\n    image: redis:7-alpine\n');
    const r = await runAxi(['setup', quiet], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}no published ports$/m);
    assert.ok(
      r.stdout
        .trimEnd()
        .split('\n')
        .every((l) => l.trim()),
      `no blank line: ${r.stdout}`,
    );
  });

  test('remove says how many snapshots stay in $AXI_HOME/snapshots, their size, and how to delete them', async () => {
    const name = (await runAxiJson(['setup', dir, '--json'], { env: sb.env })).json.name as string;
    const snapDir = path.join(sb.env.AXI_HOME!, 'snapshots', name, '2026-12-06T10-00-00Z');
    mkdirSync(snapDir, { recursive: true });
    const manifest = {
      instance: name,
      createdAt: '2026-12-06T10:00:00Z',
      reason: 'reset',
      volumes: [{ name: `${name}_postgres_data`, file: 'postgres.tar', bytes: 3 * 1024 * 1024 }],
    };
    writeFileSync(path.join(snapDir, 'manifest.json'), JSON.stringify(manifest));
    const r = await runAxi(['remove', name, '--keep-containers'], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(
        `^Its 1 snapshot \\(3\\.0 MiB\\) stays in ${path.dirname(snapDir).replace(/[/.]/g, '\\$&')}: axi snapshots lists them again if it is set up again; deleting that folder deletes them\\.$`,
        'm',
      ),
    );
    // Set up again, it has them again; a copy-on-write one lives on the engine, so the folder alone is not the way.
    assert.equal((await runAxi(['setup', dir], { env: sb.env })).code, 0);
    const cloneDir = path.join(path.dirname(snapDir), '2026-12-06T11-00-00Z');
    mkdirSync(cloneDir);
    writeFileSync(path.join(cloneDir, 'manifest.json'), JSON.stringify({ ...manifest, kind: 'clone' }));
    const again = await runAxi(['remove', name, '--keep-containers'], { env: sb.env });
    assert.match(
      again.stdout,
      /^Its 2 snapshots \(6\.0 MiB\) stay in .*: axi snapshots lists them again if it is set up again; set it up again to delete them from its card's Snapshots… \(or MCP delete_snapshot\): deleting that folder would leave 1 copy-on-write clone\(s\) on the engine\.$/m,
    );
  });
});
