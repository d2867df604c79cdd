import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { runAxi, sandbox } from '../helpers';

/** `docker stack config -c FILE`: the docker CLI's own reading of a stack file (no swarm needed). */
function stackConfig(file: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) =>
    execFile('docker', ['stack', 'config', '-c', file], (err, so, se) => resolve({ code: err ? 1 : 0, out: so + se })),
  );
}

/** Issue 32, point 8: the Swarm file as the seed's sample has it (replicas per service, a constraint per instance). */
describe('swarm settings as the seed shows them', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, DOCKER_HOST: 'unix:///nonexistent.sock' };
  after(() => sb.cleanup());

  test('swarm.replicas per service, {{name}} substituted per instance, per-instance extras; docker stack config accepts it', async () => {
    const dir = sb.folder('aegisx-starter-auth');
    writeFileSync(
      path.join(dir, '.aegisx-instances.yml'),
      [
        'swarm:',
        '  constraints: ["node.labels.instance == {{name}}"]',
        '  replicas: { postgres: 1, redis: 2 }',
        '  instances:',
        '    auth: { replicas: { redis: 3 }, constraints: ["node.role == manager"] }',
        '',
      ].join('\n'),
    );
    assert.equal((await runAxi(['setup', dir], { env })).code, 0);
    const r = await runAxi(['stack', 'auth'], { env });
    assert.equal(r.code, 0, r.stderr);
    const doc = parse(r.stdout);
    assert.deepEqual(doc.services.redis.deploy.replicas, 3);
    assert.deepEqual(doc.services.postgres.deploy.replicas, 1);
    assert.deepEqual(doc.services.postgres.deploy.placement.constraints, [
      'node.labels.instance == auth',
      'node.role == manager',
    ]);
    const file = path.join(sb.dir, 'stack.yml');
    writeFileSync(file, r.stdout);
    const cfg = await stackConfig(file);
    assert.equal(cfg.code, 0, cfg.out);
    assert.match(cfg.out, /node\.labels\.instance == auth/);
  });

  test('an unknown {{field}} in a constraint is one line naming it and the known ones', async () => {
    const dir = sb.folder('aegisx-starter-bad');
    writeFileSync(path.join(dir, '.aegisx-instances.yml'), 'swarm:\n  constraints: ["node.labels.x == {{team}}"]\n');
    assert.equal((await runAxi(['setup', dir], { env })).code, 0);
    const r = await runAxi(['stack', 'bad'], { env });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown \{\{team\}\}; known: name, project, suffix, folderName, base/);
  });
});
