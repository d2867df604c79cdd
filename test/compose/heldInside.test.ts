import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { composeDownAll, exec, RUN } from '../docker/dockerHelpers';
import { holdPort, runAxi, runAxiJson, sandbox } from '../helpers';
import { makeShop } from './fixtures';

/** Containers (any state) of a Compose project: what `up` made, if anything. */
async function projectContainers(project: string): Promise<string[]> {
  const r = await exec('docker', ['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '-q']);
  return r.stdout.split('\n').filter(Boolean);
}

/**
 * A program started from inside a checkout holds a port. On a port the instance's own containers publish, it is a
 * conflict like any other program (Compose cannot bind it); on a port the project serves from the host (the AegisX
 * stack's dev servers), it is the checkout's own.
 */
describe('a program run inside the checkout', () => {
  const sb = sandbox();
  const env = { ...sb.env, AXI_PREFIX: 'axitest' };
  const projects: [string, string][] = [];
  after(async () => {
    await composeDownAll(projects.map(([p, dir]) => [p, path.join(dir, 'docker-compose.instance.yml')]));
    sb.cleanup();
  });

  test('on a port its compose file publishes: check-conflicts names it, axi up refuses and starts nothing', async () => {
    const { worktree } = makeShop(path.join(sb.dir, 'work'), 28380, 25740, `shopin${RUN}`);
    const s = await runAxiJson(['setup', worktree], { env });
    assert.equal(s.code, 0, s.stderr);
    projects.push([s.json.project, worktree]);
    const port = s.json.ports.web as number;
    const holder = await holdPort(port, '127.0.0.1', worktree);
    try {
      const cc = await runAxiJson(['check-conflicts'], { env });
      assert.equal(cc.code, 1, cc.stdout);
      assert.deepEqual(cc.json.conflicts, [
        { port, kind: 'host', service: 'web', instances: [s.json.name], process: { pid: holder.pid, name: 'node' } },
      ]);
      const up = await runAxi(['up', s.json.name], { env });
      assert.equal(up.code, 1, up.stdout);
      assert.match(
        up.stderr,
        new RegExp(
          `port ${port} \\(web\\) of ${s.json.name} is in use by node \\(pid ${holder.pid}\\); stop it or run axi setup .* --reassign`,
        ),
      );
      assert.doesNotMatch(up.stderr, /userland proxy|address already in use/, 'refused before Compose ran');
      assert.deepEqual(await projectContainers(s.json.project), [], 'nothing started');
    } finally {
      await holder.stop();
    }
  });

  test("the AegisX stack: its dev server's port is the checkout's own, a container's port is not", async () => {
    const dir = sb.folder(`aegisx-starter-hi${RUN}`);
    const s = await runAxiJson(['setup', dir], { env });
    assert.equal(s.code, 0, s.stderr);
    projects.push([s.json.project, dir]);
    const web = await holdPort(s.json.ports.web, '127.0.0.1', dir);
    try {
      const cc = await runAxi(['check-conflicts'], { env });
      assert.equal(cc.code, 0, cc.stdout);
      assert.match(cc.stdout, /No port or name conflicts\./);
    } finally {
      await web.stop();
    }
    const pg = await holdPort(s.json.ports.postgres, '127.0.0.1', dir);
    try {
      const cc = await runAxiJson(['check-conflicts'], { env });
      assert.equal(cc.code, 1, cc.stdout);
      assert.deepEqual(cc.json.conflicts, [
        {
          port: s.json.ports.postgres,
          kind: 'host',
          service: 'postgres',
          instances: [s.json.name],
          process: { pid: pg.pid, name: 'node' },
        },
      ]);
      const up = await runAxi(['up', s.json.name], { env });
      assert.equal(up.code, 1, up.stdout);
      assert.match(up.stderr, new RegExp(`port ${s.json.ports.postgres} \\(postgres\\) of .* is in use by node`));
      assert.deepEqual(await projectContainers(s.json.project), [], 'nothing started');
    } finally {
      await pg.stop();
    }
  });
});
