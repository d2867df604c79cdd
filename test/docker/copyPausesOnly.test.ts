import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runAxiJson, sandbox } from '../helpers';
import { composeDown, exec, postgresService, RUN } from './dockerHelpers';

/** A project's own stack: a database on a named volume, and a web server that mounts no volume. */
const COMPOSE = `services:
${postgresService()}  web:
    image: nginx:alpine
volumes:
  dbdata:
`;

/** Each of a project's containers by its Compose service: `{ db: 'name_of_db', web: … }`. */
async function byService(project: string): Promise<Record<string, string>> {
  const r = await exec('docker', [
    'ps',
    '-a',
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--format',
    '{{.Label "com.docker.compose.service"}} {{.Names}}',
  ]);
  return Object.fromEntries(
    r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ') as [string, string]),
  );
}

/**
 * A copy pauses only the source's containers that mount a copied volume (a crash-consistent copy of them); the
 * others cannot write those volumes and keep serving. Told by the engine's own pause and unpause events over the
 * copy, so no moment of the pause can be missed.
 */
describe("a copy pauses only the source's containers that mount a copied volume", () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: `axcp${RUN}` };
  const dirs = [sb.folder(`pauseshop${RUN}`), sb.folder(`pauseshop${RUN}-copy`)];
  const made: { name: string; project: string; dir: string }[] = [];

  before(async () => {
    for (const dir of dirs) {
      writeFileSync(path.join(dir, 'docker-compose.yml'), COMPOSE);
      const r = await runAxiJson(['setup', dir], { env });
      assert.equal(r.code, 0, r.stderr);
      made.push({ name: r.json.name, project: r.json.project, dir });
    }
    const up = await runAxiJson(['up', made[0]!.name, '--wait'], { env });
    assert.equal(up.code, 0, up.stderr);
  });

  after(async () => {
    for (const m of made) {
      await composeDown(m.project, path.join(m.dir, 'docker-compose.instance.yml'));
      await exec('docker', ['volume', 'rm', `${m.project}_dbdata`]);
    }
    sb.cleanup();
  });

  test('the database is paused and unpaused; the web server, which mounts no copied volume, never', async () => {
    const [src, tgt] = made as [(typeof made)[0], (typeof made)[0]];
    const names = await byService(src.project);
    assert.ok(names.db && names.web, JSON.stringify(names));
    // The engine's clock, in whole seconds: the events asked for below are those of the copy (and of nothing before).
    const since = (await exec('docker', ['info', '--format', '{{.SystemTime}}'])).stdout.trim();
    const r = await runAxiJson(['clone-data', src.name, tgt.name, '--yes'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.json.copied.map((c: { from: string }) => c.from),
      [`${src.project}_dbdata`],
    );
    const until = Math.ceil(Date.now() / 1000) + 1;
    const events = await exec('docker', [
      'events',
      '--since',
      since,
      '--until',
      String(until),
      '--filter',
      'type=container',
      '--filter',
      'event=pause',
      '--filter',
      'event=unpause',
      '--format',
      '{{.Action}} {{.Actor.Attributes.name}}',
    ]);
    assert.equal(events.code, 0, events.stderr);
    const seen = events.stdout.split('\n').filter(Boolean);
    // The events can tell a pause: the database's, then its unpause.
    assert.deepEqual(
      seen.filter((e) => e.endsWith(` ${names.db}`)),
      [`pause ${names.db}`, `unpause ${names.db}`],
      seen.join('; '),
    );
    assert.deepEqual(
      seen.filter((e) => e.endsWith(` ${names.web}`)),
      [],
      `the web server was paused: ${seen.join('; ')}`,
    );
    const state = await exec('docker', ['inspect', '-f', '{{.State.Status}}', names.web, names.db]);
    assert.deepEqual(state.stdout.trim().split('\n'), ['running', 'running']);
  });
});
