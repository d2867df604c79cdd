import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { GIT_IDENTITY, runAxi, runAxiJson, sandbox } from '../helpers';

/** Compose v2's own project name for a folder (`docker compose config --format json | .name`). */
function composeName(dir: string, args: string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const v2 = process.env.AXI_COMPOSE_V2_CONFIG;
  if (!v2) return Promise.resolve(undefined);
  return new Promise((resolve, reject) =>
    execFile(
      'docker',
      ['compose', ...args, 'config', '--format', 'json'],
      { cwd: dir, env: { ...env, DOCKER_CONFIG: v2 } },
      (err, stdout, stderr) =>
        err ? reject(new Error(stderr)) : resolve((JSON.parse(stdout) as { name: string }).name),
    ),
  );
}

const COMPOSE = (port: number, name?: string) =>
  `${name ? `name: ${name}\n` : ''}services:\n  web:\n    image: nginx:alpine\n    ports: ["127.0.0.1:${port}:80"]\n`;

/** A git repository with an origin, cloned into a folder named otherwise (`…/docker.git` into `chat-docker`). */
function gitRepo(dir: string, origin: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(dir, f), text);
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], { stdio: 'pipe', env: { ...process.env, ...GIT_IDENTITY } });
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  git('remote', 'add', 'origin', origin);
  git('add', '.');
  git('commit', '-qm', 'init');
  return dir;
}

describe(`the main checkout's Compose project name, from every place Compose takes it (${process.env.AXI_COMPOSE ?? 'v1'})`, () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  let port = 18610 + (process.env.AXI_COMPOSE === 'v2' ? 40 : 0);
  const cases: {
    tag: string;
    files: (p: number) => Record<string, string>;
    axi?: string[];
    compose?: string[];
    env?: Record<string, string>;
    want: string;
  }[] = [
    { tag: '_My.Proj', files: (p) => ({ 'docker-compose.yml': COMPOSE(p) }), want: 'myproj' },
    { tag: 'named', files: (p) => ({ 'docker-compose.yml': COMPOSE(p, 'shopfront') }), want: 'shopfront' },
    {
      tag: 'dotenv',
      files: (p) => ({ 'docker-compose.yml': COMPOSE(p, 'shopfront'), '.env': 'COMPOSE_PROJECT_NAME=workflow\n' }),
      want: 'workflow',
    },
    {
      tag: 'environment',
      files: (p) => ({ 'docker-compose.yml': COMPOSE(p, 'shopfront'), '.env': 'COMPOSE_PROJECT_NAME=workflow\n' }),
      env: { COMPOSE_PROJECT_NAME: 'fromenv' },
      want: 'fromenv',
    },
    {
      tag: 'flag',
      files: (p) => ({ 'docker-compose.yml': COMPOSE(p, 'shopfront'), '.env': 'COMPOSE_PROJECT_NAME=workflow\n' }),
      env: { COMPOSE_PROJECT_NAME: 'fromenv' },
      axi: ['-p', 'byflag'],
      compose: ['-p', 'byflag'],
      want: 'byflag',
    },
  ];
  for (const c of cases) {
    test(`${c.tag}: axi's main project is ${c.want}, as docker compose config says`, async () => {
      const dir = sb.folder(`pn-${process.env.AXI_COMPOSE ?? 'v1'}/${c.tag}`);
      for (const [f, text] of Object.entries(c.files(port++))) writeFileSync(path.join(dir, f), text);
      const env = { ...sb.env, ...c.env };
      const r = await runAxiJson(['setup', dir, '--from', 'docker-compose.yml', ...(c.axi ?? [])], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.json.main, true);
      assert.equal(r.json.project, c.want);
      const compose = await composeName(dir, c.compose ?? [], env);
      if (compose !== undefined) assert.equal(r.json.project, compose);
    });
  }

  // Its own registry: the cases above hold these main projects' names in theirs.
  const wsb = sandbox();
  after(() => wsb.cleanup());
  for (const c of cases) {
    test(`${c.tag}: a worktree's names derive from the main checkout's project ${c.want} (${c.want}_feat, feat.${c.want}.localhost)`, async () => {
      const tag = c.tag.startsWith('_') ? c.tag.slice(1) : `${c.tag}dir`;
      const parent = wsb.folder(`wt-${process.env.AXI_COMPOSE ?? 'v1'}-${tag}`);
      const main = gitRepo(path.join(parent, tag), `https://example.invalid/x/${tag}.git`, c.files(port++));
      const env = { ...wsb.env, ...c.env };
      const m = await runAxiJson(['setup', main, '--from', 'docker-compose.yml', ...(c.axi ?? [])], { env });
      assert.equal(m.code, 0, m.stderr);
      assert.equal(m.json.project, c.want);
      // An ordinary main checkout says which rule made it one, too.
      assert.ok(
        m.json.notes.some((n: string) => n.startsWith('the main checkout: ')),
        m.json.notes.join('\n'),
      );
      const compose = await composeName(main, c.compose ?? [], env);
      if (compose !== undefined) assert.equal(m.json.project, compose);
      const wt = `${main}-feat`;
      execFileSync('git', ['-C', main, 'worktree', 'add', '-q', '-b', 'feat', wt], { stdio: 'pipe' });
      const w = await runAxi(['setup', wt, '--from', 'docker-compose.yml'], { env });
      assert.equal(w.code, 0, w.stderr);
      assert.match(
        w.stdout,
        new RegExp(`project ${c.want}_feat, prefix ${c.want} \\(the main checkout's Compose project name\\)`),
      );
      // The repository's own `.env` names another project: plain compose there would act on it, and setup says so.
      if (c.files(0)['.env'])
        assert.match(w.stdout, new RegExp(`COMPOSE_PROJECT_NAME=workflow: .* by hand with -p ${c.want}_feat `));
      assert.match(w.stdout, new RegExp(`router http://feat\\.${c.want.replace(/_/g, '-')}\\.localhost`));
    });
  }

  test("an unregistered main's own .env (ignored by git) names its worktree: ledger_feat, not <folder>_feat", async () => {
    const parent = wsb.folder(`ignored-env-${process.env.AXI_COMPOSE ?? 'v1'}`);
    const files = {
      'docker-compose.yml': COMPOSE(port++, 'shopfront'),
      '.gitignore': '.env\n',
      '.env': 'COMPOSE_PROJECT_NAME=ledger\n',
    };
    const main = gitRepo(path.join(parent, 'erpdir'), 'https://example.invalid/x/erpdir.git', files);
    const wt = `${main}-feat`;
    execFileSync('git', ['-C', main, 'worktree', 'add', '-q', '-b', 'feat', wt], { stdio: 'pipe' });
    assert.equal(existsSync(path.join(wt, '.env')), false, "the worktree has no .env: it is main's own");
    const w = await runAxiJson(['setup', wt, '--from', 'docker-compose.yml'], { env: wsb.env });
    assert.equal(w.code, 0, w.stderr);
    assert.equal(w.json.project, 'ledger_feat');
  });

  test('a clone in a folder of its own choosing is the main checkout (git says so), its worktree and a second clone are instances', async () => {
    const parent = sb.folder(`clones-${process.env.AXI_COMPOSE ?? 'v1'}`);
    const origin = 'https://example.invalid/chat/docker.git';
    const main = gitRepo(path.join(parent, 'chat-docker'), origin, { 'docker-compose.yml': COMPOSE(port) });
    const m = await runAxiJson(['setup', main, '--from', 'docker-compose.yml'], { env: sb.env });
    assert.equal(m.code, 0, m.stderr);
    assert.equal(m.json.main, true, 'git main worktree: the main checkout');
    assert.equal(m.json.project, 'chat-docker');
    assert.equal(m.json.ports.web, port, 'the ports docker compose up uses there');
    assert.ok(
      m.json.notes.some((n: string) => /main checkout: git's main worktree/.test(n)),
      m.json.notes.join('\n'),
    );
    const wt = path.join(parent, 'chat-docker-feature');
    execFileSync('git', ['-C', main, 'worktree', 'add', '-q', '-b', 'feature', wt], { stdio: 'pipe' });
    const w = await runAxiJson(['setup', wt, '--from', 'docker-compose.yml'], { env: sb.env });
    assert.equal(w.code, 0, w.stderr);
    assert.equal(w.json.main, false);
    assert.notEqual(w.json.ports.web, port);
    assert.equal(w.json.project, 'chat-docker_feature', "named from the main checkout's project");
    assert.equal(w.json.prefix, "prefix chat-docker (the main checkout's Compose project name)");
    const second = path.join(parent, 'chat-docker-2');
    execFileSync('git', ['clone', '-q', main, second], { stdio: 'pipe' });
    execFileSync('git', ['-C', second, 'remote', 'set-url', 'origin', origin]);
    // -p names a main checkout's project: given for an instance, it is said to be unused (trial: silently ignored).
    const s = await runAxiJson(['setup', second, '--from', 'docker-compose.yml', '-p', 'mine'], { env: sb.env });
    assert.equal(s.code, 0, s.stderr);
    assert.ok(
      s.json.notes.some((n: string) => n.startsWith('--project-name mine not used: an instance is named from')),
      s.json.notes.join('\n'),
    );
    assert.equal(s.json.main, false, 'a second clone of a repository whose main is registered');
    assert.ok(
      s.json.notes.some((n: string) => /second clone of/.test(n)),
      s.json.notes.join('\n'),
    );
    assert.notEqual(s.json.ports.web, port);
    // Named from the main checkout, as its worktree is: never `docker_chat_docker_2` under the origin's name.
    assert.equal(s.json.project, 'chat-docker_2');
    assert.equal(s.json.name, '2');
    assert.equal(s.json.prefix, w.json.prefix, 'the worktree and the second clone agree');
  });

  test("the seed's sibling clones: aegisx-starter-auth-fix, registered first, stays an instance with its folder's ports", async () => {
    const parent = sb.folder(`siblings-${process.env.AXI_COMPOSE ?? 'v1'}`);
    const clone = gitRepo(path.join(parent, 'aegisx-starter-auth-fix'), 'git@github.com:org/aegisx-starter.git', {
      'docker-compose.yml': COMPOSE(port),
    });
    const r = await runAxiJson(['setup', clone, '--from', 'docker-compose.yml'], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.main, false, 'a folder named <repository>-<feature> is an instance (no "Back to base ports")');
    assert.equal(r.json.name, 'auth_fix');
    assert.equal(r.json.project, 'aegisx-starter_auth_fix');
    assert.notEqual(r.json.ports.web, port, "not the main checkout's ports");
    assert.ok(
      r.json.notes.some((n: string) => /an instance of aegisx-starter/.test(n)),
      r.json.notes.join('\n'),
    );
  });
});
