import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FileSettingsStore } from '../../main/core/registry/settingsFile';
import { runAxi, runAxiJson, sandbox } from '../helpers';

const modeOf = (p: string) => (statSync(p).mode & 0o777).toString(8);

/** $AXI_HOME, the registry, its mirror, settings and .env.local (database passwords) are private whatever the umask. */
describe('private files under umask 022', () => {
  const sb = sandbox();
  let umask: number;
  before(() => {
    umask = process.umask(0o022); // inherited by the axi processes below
  });
  after(() => {
    process.umask(umask);
    sb.cleanup();
  });

  test('setup makes $AXI_HOME 0700 and instances.json, the mirror and .env.local 0600', async () => {
    const dir = sb.folder('aegisx-starter-private');
    const r = await runAxi(['setup', dir], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    const home = sb.env.AXI_HOME!;
    assert.equal(modeOf(home), '700');
    assert.equal(modeOf(path.join(home, 'instances.json')), '600');
    assert.equal(modeOf(sb.env.AXI_PORT_REGISTRY!), '600');
    assert.equal(modeOf(path.join(dir, '.env.local')), '600');
    assert.equal(modeOf(path.join(dir, 'docker-compose.instance.yml')), '644', 'the compose file holds no secret');
  });

  test('an $AXI_HOME made before at 0755 is made 0700 on the next write; settings.json is 0600', async () => {
    const sb2 = sandbox();
    try {
      mkdirSync(sb2.env.AXI_HOME!, { recursive: true });
      chmodSync(sb2.env.AXI_HOME!, 0o755);
      await new FileSettingsStore({ home: sb2.env.AXI_HOME! }).update({ defaultBind: '127.0.0.1' });
      assert.equal(modeOf(sb2.env.AXI_HOME!), '700');
      assert.equal(modeOf(path.join(sb2.env.AXI_HOME!, 'settings.json')), '600');
      // A settings.json the user had left 0644 is private after the next change too.
      chmodSync(path.join(sb2.env.AXI_HOME!, 'settings.json'), 0o644);
      await new FileSettingsStore({ home: sb2.env.AXI_HOME! }).update({ defaultBind: '0.0.0.0' });
      assert.equal(modeOf(path.join(sb2.env.AXI_HOME!, 'settings.json')), '600');
    } finally {
      sb2.cleanup();
    }
  });

  test('an .env.local the user gave another mode keeps it, and setup says so', async () => {
    const dir = sb.folder('aegisx-starter-shared');
    assert.equal((await runAxi(['setup', dir], { env: sb.env })).code, 0);
    const env = path.join(dir, '.env.local');
    chmodSync(env, 0o640);
    const r = await runAxiJson(['setup', dir, '--reassign', '--all'], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(modeOf(env), '640');
    assert.ok(
      (r.json.notes as string[]).some((n) => /\.env\.local keeps the mode 0640/.test(n)),
      JSON.stringify(r.json.notes),
    );
    assert.match(readFileSync(env, 'utf8'), /POSTGRES/);
  });
});
