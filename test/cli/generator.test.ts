import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { healthTiming } from '../../main/core/instances/setup/generator';
import { runAxi, runAxiJson, sandbox } from '../helpers';

function composeConfig(dir: string, project: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      'docker-compose',
      ['-f', 'docker-compose.instance.yml', '-p', project, 'config'],
      { cwd: dir },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 127) : 0, out: stdout + stderr }),
    );
  });
}

function envMap(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe('generated instance files', () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  const dir = sb.folder('aegisx-starter-auth-fix');
  let ports: Record<string, number>;

  test('.env.local has every variable of the seed, from the allocation', async () => {
    const r = await runAxiJson(['setup', dir], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    ports = r.json.ports;
    const env = envMap(readFileSync(path.join(dir, '.env.local'), 'utf8'));
    assert.deepEqual(env, {
      INSTANCE_NAME: 'auth_fix',
      FOLDER_NAME: 'aegisx-starter-auth-fix',
      COMPOSE_PROJECT_NAME: 'aegisx_auth_fix',
      DATABASE_URL: `postgresql://postgres:postgres@localhost:${ports.postgres}/aegisx_db`,
      POSTGRES_HOST: 'localhost',
      POSTGRES_PORT: String(ports.postgres),
      POSTGRES_DATABASE: 'aegisx_db',
      REDIS_URL: `redis://localhost:${ports.redis}`,
      REDIS_HOST: 'localhost',
      REDIS_PORT: String(ports.redis),
      API_PORT: String(ports.api),
      API_URL: `http://localhost:${ports.api}`,
      WEB_PORT: String(ports.web),
      ADMIN_PORT: String(ports.admin),
      WEB_URL: `http://localhost:${ports.web}`,
      ADMIN_URL: `http://localhost:${ports.admin}`,
      PGADMIN_PORT: String(ports.pgadmin),
      POSTGRES_CONTAINER: 'aegisx_auth_fix_postgres',
      REDIS_CONTAINER: 'aegisx_auth_fix_redis',
      PGADMIN_CONTAINER: 'aegisx_auth_fix_pgadmin',
      POSTGRES_VOLUME: 'auth_fix_postgres_data',
      REDIS_VOLUME: 'auth_fix_redis_data',
    });
  });

  test('docker-compose.instance.yml is complete and standalone, and Compose accepts it', async () => {
    const text = readFileSync(path.join(dir, 'docker-compose.instance.yml'), 'utf8');
    assert.match(text, /^# docker-compose\.instance\.yml\n# Instance-specific Docker Compose file for: auth-fix/);
    assert.match(text, /# axi-checksum: sha256:[0-9a-f]{64}\n/);
    assert.doesNotMatch(text, /pgladmin|PGLADMIN/i);
    const doc = parse(text);
    assert.deepEqual(Object.keys(doc.services), ['postgres', 'redis', 'pgadmin']);
    assert.equal(doc.services.postgres.image, 'postgres:15-alpine');
    // Published on loopback: fixed passwords and no Redis auth must not be reachable from the LAN.
    assert.deepEqual(doc.services.postgres.ports, [`127.0.0.1:${ports.postgres}:5432`]);
    assert.deepEqual(doc.services.redis.ports, [`127.0.0.1:${ports.redis}:6379`]);
    assert.deepEqual(doc.services.pgadmin.ports, [`127.0.0.1:${ports.pgadmin}:80`]);
    assert.equal(doc.services.redis.command, 'redis-server --appendonly yes');
    assert.equal(doc.services.pgadmin.container_name, 'aegisx_auth_fix_pgadmin');
    assert.equal(doc.services.pgadmin.environment.PGADMIN_DEFAULT_PASSWORD, 'admin');
    assert.equal(doc.services.postgres.deploy.resources.limits.memory, '512M');
    assert.deepEqual(doc.services.postgres.healthcheck.test, ['CMD-SHELL', 'pg_isready -U postgres -h 127.0.0.1']);
    // The sandbox has Docker probe each second (AXI_HEALTH_INTERVAL=1), still allowing ~25 s of failures; 5 s by default.
    assert.deepEqual([doc.services.redis.healthcheck.interval, doc.services.redis.healthcheck.retries], ['1s', 25]);
    assert.deepEqual(healthTiming({}), { interval: '5s', timeout: '5s', retries: 5 });
    // Whose they are: this registry (its id, stored in AXI_HOME) and this folder, on the volumes and the network.
    const owned = {
      'dev.aegisx-instances.registry': readFileSync(path.join(sb.env.AXI_HOME!, 'registry-id'), 'utf8').trim(),
      'dev.aegisx-instances.registry-home': sb.env.AXI_HOME,
      'dev.aegisx-instances.folder': dir,
    };
    assert.deepEqual(doc.volumes, {
      auth_fix_postgres_data: { name: 'auth_fix_postgres_data', labels: owned },
      auth_fix_redis_data: { name: 'auth_fix_redis_data', labels: owned },
    });
    assert.deepEqual(doc.networks, { default: { name: 'aegisx_auth_fix_net', labels: owned } });
    const cfg = await composeConfig(dir, 'aegisx_auth_fix');
    assert.equal(cfg.code, 0, cfg.out);
    assert.match(cfg.out, /aegisx_auth_fix_postgres/);
  });

  test("a folder outside git: its .gitignore is the user's, never edited (see gitClean for checkouts)", async () => {
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n/.env.local\n');
    await runAxi(['setup', dir], { env: sb.env });
    assert.equal(readFileSync(path.join(dir, '.gitignore'), 'utf8'), 'node_modules\n/.env.local\n');
  });

  test('setup again leaves unchanged files alone', async () => {
    const r = await runAxiJson(['setup', dir], { env: sb.env });
    assert.deepEqual(Object.values(r.json.written), ['unchanged', 'unchanged']);
  });

  test('a hand-edited instance file is kept; --force regenerates it after a .bak copy', async () => {
    const file = path.join(dir, 'docker-compose.instance.yml');
    const edited = readFileSync(file, 'utf8').replace(/retries: \d+/, 'retries: 50');
    assert.match(edited, /retries: 50/);
    writeFileSync(file, edited);
    const envBefore = readFileSync(path.join(dir, '.env.local'), 'utf8');
    const r = await runAxi(['setup', dir, '--reassign'], { env: sb.env });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `axi: ${file} was edited by hand since axi generated it; keeping it. Use --force to regenerate (a .bak copy is kept)\n`,
    );
    assert.equal(readFileSync(file, 'utf8'), edited);
    assert.equal(readFileSync(path.join(dir, '.env.local'), 'utf8'), envBefore, 'nothing half-written');
    const listed = (await runAxiJson(['list'], { env: sb.env })).json;
    assert.deepEqual(listed[0].ports, ports, 'the refused --reassign did not change the registry');

    const forced = await runAxiJson(['setup', dir, '--force'], { env: sb.env });
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(forced.json.written[file], 'replaced');
    assert.equal(readFileSync(`${file}.bak`, 'utf8'), edited);
    assert.doesNotMatch(readFileSync(file, 'utf8'), /retries: 50/);
  });

  test('a file axi did not write (no checksum) is not replaced without --force', async () => {
    const d = sb.folder('aegisx-starter-seeded');
    writeFileSync(path.join(d, '.env.local'), 'MY_SECRET=1\n');
    const r = await runAxi(['setup', d], { env: sb.env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\.env\.local was not generated by axi/);
    assert.equal(readFileSync(path.join(d, '.env.local'), 'utf8'), 'MY_SECRET=1\n');
  });

  test("--template uses the repository's templates/NAME.yml with {{placeholders}}", async () => {
    const d = sb.folder('aegisx-starter-micro');
    mkdirSync(path.join(d, 'templates'));
    writeFileSync(
      path.join(d, 'templates', 'microservice.yml'),
      [
        '# microservice template',
        'services:',
        '  db:',
        '    image: postgres:15-alpine',
        '    container_name: {{containers.postgres}}',
        "    ports: ['{{ports.postgres}}:5432']",
        '    volumes: ["{{volumes.postgres}}:/var/lib/postgresql/data"]',
        '    labels: ["{{label}}"]',
        'volumes:',
        '  {{volumes.postgres}}:',
        '    name: {{volumes.postgres}}',
        'networks:',
        '  default:',
        '    name: {{network}}',
        '',
      ].join('\n'),
    );
    const r = await runAxiJson(['setup', d, '--template', 'microservice'], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.template, 'microservice');
    const doc = parse(readFileSync(path.join(d, 'docker-compose.instance.yml'), 'utf8'));
    assert.equal(doc.services.db.container_name, 'aegisx_micro_postgres');
    assert.deepEqual(doc.services.db.ports, [`${r.json.ports.postgres}:5432`]);
    assert.equal((await composeConfig(d, 'aegisx_micro')).code, 0);
    // The template is remembered.
    const again = await runAxiJson(['setup', d], { env: sb.env });
    assert.equal(again.json.template, 'microservice');

    writeFileSync(path.join(d, 'templates', 'bad.yml'), 'services:\n  x:\n    image: {{nope}}\n');
    const bad = await runAxi(['setup', d, '--template', 'bad'], { env: sb.env });
    assert.equal(bad.code, 2);
    assert.equal(
      bad.stderr.trim(),
      `axi: ${path.join(d, 'templates', 'bad.yml')}:3: unknown placeholder {{nope}}; known: ${bad.stderr.split('known: ')[1]!.trim()}`,
    );
    const missing = await runAxi(['setup', d, '--template', 'nothere'], { env: sb.env });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /template not found: .*templates\/nothere\.yml/);
    const traversal = await runAxi(['setup', d, '--template', '../../etc/passwd'], { env: sb.env });
    assert.equal(traversal.code, 2);
    assert.match(traversal.stderr, /template name "..\/..\/etc\/passwd" is not valid/);
  });
});
