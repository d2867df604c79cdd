import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { preferredSlot } from '../../main/core/ports/portAllocator';
import { AEGISX_PRESET, portsForSlot } from '../../main/core/project/preset';
import { runAxi, runAxiJson, sandbox } from '../helpers';

/** Issue 32, point 7: what someone coming from the team's scripts types. No engine needed. */
describe('coming from the scripts', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, DOCKER_HOST: 'unix:///nonexistent.sock' };
  after(() => sb.cleanup());

  test('with --json, an error is JSON on stdout with its code and exit code (and one line on stderr)', async () => {
    const r = await runAxi(['status', 'nosuch', '--json'], { env });
    assert.equal(r.code, 2);
    const out = JSON.parse(r.stdout);
    assert.equal(out.error.code, 'NOT_FOUND');
    assert.equal(out.error.exitCode, 2);
    assert.match(out.error.message, /no registered instance named or in "nosuch"/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  test("the seed's template file name templates/NAME-template.yml is found", async () => {
    const dir = sb.folder('aegisx-starter-tplname');
    mkdirSync(path.join(dir, 'templates'));
    writeFileSync(
      path.join(dir, 'templates', 'microservice-template.yml'),
      'services:\n  app:\n    image: redis:7-alpine\n    container_name: {{containers.postgres}}\n    ports: ["127.0.0.1:{{ports.api}}:6379"]\n',
    );
    const r = await runAxiJson(['setup', dir, '--template', 'microservice'], { env });
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(path.join(dir, 'docker-compose.instance.yml'), 'utf8');
    assert.match(text, /from templates\/microservice-template\.yml/);
    assert.match(text, /container_name: aegisx_tplname_postgres/);
  });

  test('--template aegisx names the built-in stack', async () => {
    const dir = sb.folder('aegisx-starter-builtin');
    const r = await runAxiJson(['setup', dir, '--template', 'aegisx'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.template, null);
    assert.match(readFileSync(path.join(dir, 'docker-compose.instance.yml'), 'utf8'), /aegisx_builtin_pgadmin/);
  });

  test('setup says why the folder’s own slot was not used', async () => {
    const suffix = 'moved';
    const p = portsForSlot(AEGISX_PRESET, preferredSlot(AEGISX_PRESET, suffix));
    writeFileSync(sb.env.AXI_PORT_REGISTRY!, `old:${p.postgres}:0:0:0:0:0:2025-01-01_00:00\n`);
    const r = await runAxiJson(['setup', sb.folder(`aegisx-starter-${suffix}`)], { env });
    assert.equal(r.code, 0, r.stderr);
    const note = r.json.notes.find((n: string) => n.startsWith("not the folder's own slot"));
    assert.match(
      note,
      new RegExp(`slot \\d+ → ${r.json.slot}: port ${p.postgres} of slot \\d+ is old \\(postgres, reserved`),
    );
  });
});
