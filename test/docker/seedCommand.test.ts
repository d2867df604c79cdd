import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { runAxi, runAxiJson, sandbox } from '../helpers';
import { composeCli, composeDown, RUN } from './dockerHelpers';

/** The seed's documented command, exactly, run in the folder (no -p): `docker-compose -f FILE up -d`. */
function seedUp(folder: string): Promise<{ code: number; out: string }> {
  const c = composeCli();
  return new Promise((resolve) =>
    execFile(c.cmd, [...c.pre, '-f', 'docker-compose.instance.yml', 'up', '-d'], { cwd: folder }, (err, so, se) =>
      resolve({ code: err ? 1 : 0, out: so + se }),
    ),
  );
}

/**
 * Issue 32, case 3: the seed's own `docker-compose -f docker-compose.instance.yml up -d` in the folder and
 * `axi up` act on one project (the Compose version under test: v1 here, v2 in composeV2/).
 */
describe("the seed's docker-compose command and axi act on the same project", () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: 'axitest' };
  const name = `seedcmd${RUN}`;
  const dir = sb.folder(`aegisx-starter-${name}`);

  after(async () => {
    await composeDown(`axitest_${name}`, path.join(dir, 'docker-compose.instance.yml'));
    sb.cleanup();
  });

  test("a user's .env is kept, with one marked line added", async () => {
    writeFileSync(path.join(dir, '.env'), 'API_KEY=secret\n');
    const s = await runAxiJson(['setup', dir], { env });
    assert.equal(s.code, 0, s.stderr);
    const text = readFileSync(path.join(dir, '.env'), 'utf8');
    assert.ok(text.startsWith('API_KEY=secret\n'), text);
    assert.match(text, new RegExp(`^# axi: .*\\nCOMPOSE_PROJECT_NAME=axitest_${name}\\n$`, 'm'));
    const again = await runAxiJson(['setup', dir], { env });
    assert.equal(readFileSync(path.join(dir, '.env'), 'utf8'), text, 'setup again changes nothing');
    assert.equal(again.code, 0);
  });

  test('the seed’s command starts the project axi knows: status running, axi up has nothing to start, down removes it', async () => {
    const up = await seedUp(dir);
    assert.equal(up.code, 0, up.out);
    const st = await runAxiJson(['status', name], { env });
    assert.equal(st.json.status, 'running', JSON.stringify(st.json));
    const again = await runAxi(['up', name], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already running/);
    const down = await runAxi(['down', name], { env });
    assert.equal(down.code, 0, down.stderr);
    const gone = await runAxiJson(['status', name], { env });
    assert.equal(gone.json.status, 'not-created');
  });
});
