import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { runAxiJson, sandbox } from '../helpers';
import { composeCli, composeDown, exec, removeOwned, RUN } from './dockerHelpers';

/**
 * Issue 23 (trial): a main checkout whose own compose stack already runs, started with a plain
 * `docker compose up` (not by axi), is registered on the ports that stack publishes, and setup says so;
 * before, setup refused its own stack's port as "in use by docker-proxy".
 */
describe('a folder whose own compose stack already runs', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: 'axitest' };
  const dir = sb.folder(`ownup${RUN}`);
  const file = path.join(dir, 'docker-compose.yml');
  const adopted = sb.folder(`ownad${RUN}`);
  after(async () => {
    await composeDown(path.basename(dir), file);
    await composeDown(path.basename(adopted), path.join(adopted, 'compose.yaml'));
    await removeOwned(env);
    sb.cleanup();
  });

  test('setup registers it on the ports its running Compose project publishes, and says so', async () => {
    writeFileSync(file, 'services:\n  web:\n    image: nginx:alpine\n    ports: ["127.0.0.1:39980:80"]\n');
    const c = composeCli();
    const up = await exec(c.cmd, [...c.pre, '-f', file, 'up', '-d']);
    assert.equal(up.code, 0, up.stderr);
    const r = await runAxiJson(['setup', dir], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.project, path.basename(dir), "Compose's own project name");
    assert.deepEqual(r.json.ports, { web: 39980 });
    assert.ok(
      r.json.notes.includes(
        `its own Compose project ${path.basename(dir)} already runs here (docker compose up in this folder): registered on the ports it publishes`,
      ),
      r.json.notes.join('\n'),
    );
  });

  test('axi adopt takes it over: registered on its ports, under the same project', async () => {
    const f = path.join(adopted, 'compose.yaml');
    writeFileSync(f, 'services:\n  web:\n    image: nginx:alpine\n    ports: ["127.0.0.1:39981:80"]\n');
    const c = composeCli();
    const up = await exec(c.cmd, [...c.pre, '-f', f, 'up', '-d']);
    assert.equal(up.code, 0, up.stderr);
    const r = await runAxiJson(['adopt', adopted, '--no-start'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.project, path.basename(adopted));
    assert.deepEqual(r.json.ports, { web: 39981 });
    assert.match(
      r.json.steps[0],
      new RegExp(
        `^found project ${path.basename(adopted)} \\(docker compose up in this folder, compose\\.yaml\\): web \\(running\\)$`,
      ),
    );
  });
});
