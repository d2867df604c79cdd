import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { GIT_IDENTITY, runAxi, runAxiJson, sandbox } from '../helpers';

const COMPOSE = 'services:\n  web:\n    image: nginx:alpine\n    ports: ["38970:80"]\n';

/** A repository whose worktree `<name>-old` was branched before `commit` (the stack's files) landed on main. */
function repo(parent: string, name: string, first: Record<string, string>, later: Record<string, string>) {
  const main = path.join(parent, name);
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', main, ...args], { stdio: 'pipe', env: { ...process.env, ...GIT_IDENTITY } });
  const write = (files: Record<string, string>) => {
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(main, f)), { recursive: true });
      writeFileSync(path.join(main, f), text);
    }
  };
  execFileSync('git', ['init', '-q', '-b', 'main', main]);
  write({ 'README.md': 'hi\n', ...first });
  git('add', '.');
  git('commit', '-qm', 'first');
  const old = path.join(parent, `${name}-old`);
  git('worktree', 'add', '-q', '-b', 'old', old);
  write(later);
  git('add', '.');
  git('commit', '-qm', 'stack choice');
  return { main, old };
}

describe("a worktree branched before the repository's stack choice", () => {
  const sb = sandbox();
  after(() => sb.cleanup());

  test("follows the main checkout's .aegisx-instances.yml, and says so", async () => {
    const { main, old } = repo(
      sb.folder('a'),
      'shop',
      { 'deploy/dev.yml': COMPOSE },
      { '.aegisx-instances.yml': 'prefix: shop\nfrom: deploy/dev.yml\n' },
    );
    const r = await runAxiJson(['setup', old, '--reassign'], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.json.using, /^using deploy\/dev\.yml \(1 service: web\)/);
    assert.deepEqual(Object.keys(r.json.ports), ['web']);
    assert.equal(r.json.project, 'shop_old');
    assert.ok(
      r.json.notes.some((n: string) =>
        n.includes(
          `this branch has no .aegisx-instances.yml: following its main checkout's (${main}/.aegisx-instances.yml)`,
        ),
      ),
      r.json.notes.join('\n'),
    );
  });

  test('a main checkout set up with --from: a branch without that file is refused in one line, nothing written', async () => {
    const { main, old } = repo(sb.folder('b'), 'store', {}, { 'docker-compose.yml': COMPOSE });
    const m = await runAxiJson(['setup', main, '--from', 'docker-compose.yml', '--reassign'], { env: sb.env });
    assert.equal(m.code, 0, m.stderr);
    const r = await runAxi(['setup', old, '--reassign'], { env: sb.env });
    assert.equal(r.code, 2, r.stdout);
    assert.equal(
      r.stderr,
      `axi: ${old} has no docker-compose.yml (the stack chosen as its main checkout ${main}): bring it into this branch, or choose --template aegisx\n`,
    );
    assert.equal(existsSync(path.join(old, '.env.local')), false);
  });
});
