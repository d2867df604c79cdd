import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { runAxi, sandbox } from './helpers';

const REGISTRY = 'dev.aegisx-instances.registry';
const FOLDER = 'dev.aegisx-instances.folder';

/** Issue 32: what a template or `--from` file makes (volumes, networks) carries this registry's labels too. */
describe('volumes and networks from templates and --from carry the ownership labels', () => {
  const sb = sandbox();
  const env = { ...sb.env, AXI_PREFIX: 'axitest' };
  after(() => sb.cleanup());
  const instanceFile = (dir: string) => readFileSync(path.join(dir, 'docker-compose.instance.yml'), 'utf8');

  test('a template: its volumes (map or empty) and default network labelled, an external one left alone, comments kept', async () => {
    const dir = sb.folder('aegisx-starter-tpl');
    mkdirSync(path.join(dir, 'templates'));
    writeFileSync(
      path.join(dir, 'templates', 'micro.yml'),
      `services:
  db:
    image: postgres:15-alpine
    container_name: {{containers.postgres}}
    volumes: ['{{volumes.postgres}}:/var/lib/postgresql/data', 'shared:/shared']
# the team's note about volumes
volumes:
  {{volumes.postgres}}:
  shared:
    external: true
  cache:
    labels: [team=payments]
`,
    );
    const r = await runAxi(['setup', dir, '--template', 'micro'], { env });
    assert.equal(r.code, 0, r.stderr);
    const text = instanceFile(dir);
    assert.match(text, /# the team's note about volumes/);
    const doc = parse(text);
    const pg = doc.volumes.tpl_postgres_data ?? Object.values(doc.volumes)[0];
    assert.equal(pg.labels[FOLDER], dir);
    assert.ok(pg.labels[REGISTRY]);
    assert.deepEqual(doc.volumes.shared, { external: true });
    assert.ok(doc.volumes.cache.labels.includes('team=payments'));
    assert.ok(doc.volumes.cache.labels.includes(`${FOLDER}=${dir}`));
    assert.equal(doc.networks.default.labels[FOLDER], dir);
  });

  test('--from: its named volumes and networks labelled', async () => {
    const dir = sb.folder('shop');
    writeFileSync(
      path.join(dir, 'docker-compose.yml'),
      `services:
  web:
    image: nginx:alpine
    ports: ['8080:80']
    networks: [front]
    volumes: ['data:/data']
volumes:
  data: {}
networks:
  front: {}
`,
    );
    const r = await runAxi(['setup', dir, '--from', 'docker-compose.yml'], { env });
    assert.equal(r.code, 0, r.stderr);
    const doc = parse(instanceFile(dir));
    assert.equal(doc.volumes.data.labels[FOLDER], dir);
    assert.equal(doc.networks.front.labels[FOLDER], dir);
    assert.ok(doc.networks.front.labels[REGISTRY]);
    assert.equal(doc.networks.default, undefined, 'no default network where no service uses it');
  });
});
