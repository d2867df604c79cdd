import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { runAxiJson, sandbox } from '../helpers';

const byCompose = process.env.AXI_COMPOSE === 'v2';

/** An ERP project's shape: variables in fields Compose validates, in x- anchors merged as a list, a main file, three overrides, defaults in .env. */
const FILES = (port: number): Record<string, string> => ({
  'compose.yaml': `x-pull: &pull
  pull_policy: \${PULL_POLICY:-always}
x-restart: &restart
  restart: \${RESTART_POLICY:-unless-stopped}
x-limits: &limits
  mem_limit: \${MEM_LIMIT:-256m}
x-backend: &backend
  <<: [*pull, *restart, *limits]
  image: redis:7-alpine
services:
  queue:
    <<: *backend
  web:
    <<: *backend
    ports:
      - "127.0.0.1:\${WEB_PORT:-${port}}:6379"
  admin:
    <<: *backend
    ports:
      - "127.0.0.1:${port + 1}:6379"
`,
  'compose.override.yaml': 'services:\n  queue:\n    environment:\n      ROLE: queue\n',
  'compose.worker.yaml':
    'services:\n  worker:\n    <<: {image: "redis:7-alpine", pull_policy: "${PULL_POLICY:-always}"}\n',
  'compose.ports.yaml': 'services:\n  web:\n    environment:\n      ROLE: web\n',
  // Compose's merge tags: admin publishes nothing, queue's environment is this one alone.
  'compose.reset.yaml':
    'services:\n  admin:\n    ports: !reset []\n  queue:\n    environment: !override\n      MODE: alone\n',
  '.env': `PULL_POLICY=never\nRESTART_POLICY=unless-stopped\nMEM_LIMIT=128m\nWEB_PORT=${port}\n`,
});

function composeV2Config(dir: string, files: string[]): Promise<{ code: number; out: string }> {
  const v2 = process.env.AXI_COMPOSE_V2_CONFIG;
  if (!v2) return Promise.resolve({ code: 0, out: '' });
  return new Promise((resolve) =>
    execFile(
      'docker',
      ['compose', ...files.flatMap((f) => ['-f', f]), 'config', '--format', 'json'],
      { cwd: dir, env: { ...process.env, DOCKER_CONFIG: v2 } },
      (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: stdout + stderr }),
    ),
  );
}

describe(`variables in fields Compose validates, merged from x- anchors over several files (${byCompose ? 'Compose v2' : 'v1'})`, () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  const from = [
    'compose.yaml',
    'compose.override.yaml',
    'compose.worker.yaml',
    'compose.ports.yaml',
    'compose.reset.yaml',
  ];

  test('setup --from accepts what Compose accepts; the instance file keeps the variables; worktree gets its own port', async () => {
    const port = byCompose ? 18731 : 18721;
    const made: Record<string, { json: any; text: string }> = {};
    for (const name of ['erp-x', 'erp-x-wt']) {
      const dir = sb.folder(`${byCompose ? 'v2' : 'v1'}/${name}`);
      for (const [f, text] of Object.entries(FILES(port))) writeFileSync(path.join(dir, f), text);
      const src = await composeV2Config(dir, from);
      assert.equal(src.code, 0, 'Compose itself accepts the project');
      const r = await runAxiJson(['setup', dir, ...from.flatMap((f) => ['--from', f])], { env: sb.env });
      assert.equal(r.code, 0, r.stderr);
      const text = readFileSync(path.join(dir, 'docker-compose.instance.yml'), 'utf8');
      assert.match(text, /pull_policy: \$\{PULL_POLICY:-always\}/);
      assert.match(text, /restart: \$\{RESTART_POLICY:-unless-stopped\}/);
      assert.match(text, /mem_limit: \$\{MEM_LIMIT:-256m\}/);
      assert.doesNotMatch(text, /pull_policy: never/, 'no value from .env is copied out');
      const own = await composeV2Config(dir, ['docker-compose.instance.yml']);
      assert.equal(own.code, 0, own.out);
      const services = parse(text).services;
      assert.equal(services.admin.ports, undefined, '!reset: admin publishes nothing');
      assert.deepEqual(services.queue.environment, { MODE: 'alone' }, '!override: that environment alone');
      if (src.out) {
        const compose = JSON.parse(src.out).services;
        assert.equal(compose.admin.ports, undefined, 'as Compose reads the project');
        assert.deepEqual(compose.queue.environment, { MODE: 'alone' });
      }
      made[name] = { json: r.json, text };
    }
    assert.equal(made['erp-x']!.json.main, true);
    assert.equal(made['erp-x']!.json.ports.web, port);
    assert.notEqual(made['erp-x-wt']!.json.ports.web, port);
    assert.deepEqual(Object.keys(made['erp-x-wt']!.json.ports).sort(), ['web']);
  });
});
