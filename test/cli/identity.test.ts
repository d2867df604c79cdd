import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import {
  baseFromFolderName,
  identifyFolder,
  systemFolderReason,
  instanceNameFromSuffix,
  repoNameFromUrl,
  suffixOf,
} from '../../main/core/project/identity';
import { instanceNames } from '../../main/core/project/naming';
import { AEGISX_PRESET } from '../../main/core/project/preset';
import { runAxi, runAxiJson, sandbox } from '../helpers';

const sb = sandbox();
after(() => sb.cleanup());

function gitInit(dir: string, origin?: string): void {
  execFileSync('git', ['init', '-q', dir]);
  if (origin) execFileSync('git', ['-C', dir, 'remote', 'add', 'origin', origin]);
}

describe('folder identity', () => {
  test('repository name from the usual origin URL forms', () => {
    assert.equal(repoNameFromUrl('git@github.com:aegisx-platform/aegisx-starter.git'), 'aegisx-starter');
    assert.equal(repoNameFromUrl('https://github.com/aegisx-platform/aegisx-starter.git'), 'aegisx-starter');
    assert.equal(repoNameFromUrl('https://github.com/aegisx-platform/aegisx-starter/'), 'aegisx-starter');
    assert.equal(repoNameFromUrl('/srv/git/shop.git'), 'shop');
    assert.equal(repoNameFromUrl('ssh://git@host:2222/team/api'), 'api');
  });

  test('seed rules: base from the first two words, suffix after `<base>-`', () => {
    assert.equal(baseFromFolderName('aegisx-starter-auth-fix'), 'aegisx-starter');
    assert.equal(suffixOf('aegisx-starter-auth-fix', 'aegisx-starter'), 'auth-fix');
    assert.equal(suffixOf('aegisx-starter', 'aegisx-starter'), '');
    assert.equal(suffixOf('my-feature', 'aegisx-starter'), 'my-feature');
    assert.equal(instanceNameFromSuffix('auth-fix'), 'auth_fix');
    assert.equal(instanceNameFromSuffix('--Feature..X--'), 'feature_x');
    assert.equal(instanceNameFromSuffix('Ünïcödé'), 'unicode');
  });

  test('without a git origin the folder name decides; FOLDER_NAME overrides the basename', async () => {
    const dir = sb.folder('aegisx-starter-payment');
    const id = await identifyFolder(dir, {});
    assert.deepEqual([id.base, id.baseSource, id.suffix, id.main], ['aegisx-starter', 'folder-name', 'payment', false]);
    const ci = await identifyFolder(dir, { FOLDER_NAME: 'aegisx-starter-mobile-api' });
    assert.deepEqual([ci.folderName, ci.suffix], ['aegisx-starter-mobile-api', 'mobile-api']);
  });

  test('the git origin names the base: a clone in any folder name gets the whole name as suffix', async () => {
    const feature = sb.folder('aegisx-starter-auth');
    gitInit(feature, 'git@github.com:aegisx-platform/aegisx-starter.git');
    assert.equal((await identifyFolder(feature, {})).suffix, 'auth');
    const other = sb.folder('my-feature');
    gitInit(other, 'git@github.com:aegisx-platform/aegisx-starter.git');
    const id = await identifyFolder(other, {});
    assert.deepEqual([id.base, id.baseSource, id.suffix], ['aegisx-starter', 'git-origin', 'my-feature']);
    const main = sb.folder('aegisx-starter');
    gitInit(main, 'https://github.com/aegisx-platform/aegisx-starter.git');
    assert.equal((await identifyFolder(main, {})).main, true);
  });

  test('Docker names follow the seed', () => {
    const names = instanceNames(AEGISX_PRESET, { name: 'auth_fix', main: false });
    assert.equal(names.containers.postgres, 'aegisx_auth_fix_postgres');
    assert.equal(names.containers.pgadmin, 'aegisx_auth_fix_pgadmin');
    assert.equal(names.volumes.postgres, 'auth_fix_postgres_data');
    assert.equal(names.project, 'aegisx_auth_fix');
    const main = instanceNames(AEGISX_PRESET, { name: 'aegisx_starter', main: true });
    assert.equal(main.containers.postgres, 'aegisx_postgres');
    assert.equal(main.project, 'aegisx');
  });

  test('a non-default prefix isolates volumes and networks too (the seed names stay for aegisx only)', () => {
    const test = instanceNames({ ...AEGISX_PRESET, prefix: 'axitest' }, { name: 'auth_fix', main: false });
    assert.equal(test.volumes.postgres, 'axitest_auth_fix_postgres_data');
    assert.equal(test.volumes.redis, 'axitest_auth_fix_redis_data');
    assert.equal(test.network, 'axitest_auth_fix_net');
    assert.notEqual(
      test.volumes.postgres,
      instanceNames(AEGISX_PRESET, { name: 'auth_fix', main: false }).volumes.postgres,
    );
    // A repository's own prefix in the default namespace keeps the seed's volume names (its data stays in use).
    const repo = instanceNames(
      { ...AEGISX_PRESET, prefix: 'shop', namespace: 'aegisx' },
      { name: 'auth_fix', main: false },
    );
    assert.deepEqual(
      [repo.volumes.postgres, repo.containers.postgres],
      ['auth_fix_postgres_data', 'shop_auth_fix_postgres'],
    );
  });

  test('a missing folder or a file is refused naming the path', async () => {
    await assert.rejects(identifyFolder(`${sb.dir}/nope`, {}), /folder does not exist: .*\/nope/);
    await assert.rejects(identifyFolder(__filename, {}), /not a folder: /);
  });

  test('a system folder or the home folder is refused by the CLI, and nothing is written there', async () => {
    const home = os.homedir();
    for (const dir of ['/etc', '/', home]) {
      const r = await runAxi(['setup', dir], { env: sb.env });
      assert.equal(r.code, 2, `${dir}: ${r.stderr}`);
      assert.match(r.stderr, /^axi: \S+ is (a system folder|your home folder), not a project checkout; /);
      assert.equal(existsSync(path.join(dir, '.env.local')), false, `${dir}/.env.local written`);
    }
  });

  test('anything under a system folder, or in a hidden folder of the home folder, is refused with why', async () => {
    const home = path.join(sb.dir, 'user-home');
    const ssh = path.join(home, '.ssh');
    mkdirSync(ssh, { recursive: true });
    for (const dir of ['/etc/ssh', '/usr/local/bin', '/var/lib', ssh]) {
      const r = await runAxi(['setup', dir], { env: { ...sb.env, HOME: home } });
      assert.equal(r.code, 2, `${dir}: ${r.stderr}`);
      assert.match(r.stderr, /^axi: \S+ is inside .*, not a project checkout; [^\n]*\n$/);
      assert.equal(existsSync(path.join(dir, '.env.local')), false, `${dir}/.env.local written`);
    }
    assert.deepEqual(readdirSync(ssh), [], 'files were written into ~/.ssh');
    assert.match(systemFolderReason('/lib64/x', '/home/u') ?? '', /system folder/);
    assert.match(systemFolderReason('/home/u/.config/app', '/home/u') ?? '', /hidden folder of your home/);
    for (const fine of ['/tmp/x', '/var/tmp/x', '/home/u/src/app', '/opt/app', '/srv/app', '/home/u/my.app'])
      assert.equal(systemFolderReason(fine, '/home/u'), undefined, fine);
  });

  test('a suffix with nothing usable is refused', () => {
    assert.throws(() => instanceNameFromSuffix('---'), /no letters or digits/);
    assert.throws(() => instanceNameFromSuffix('日本語'), /no letters or digits/);
  });
});

describe('a main checkout set up again stays the main checkout', () => {
  const git = (dir: string, ...args: string[]) =>
    execFileSync('git', ['-C', dir, '-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args]);
  /** A compose project in `folder`, committed; `origin` makes git name the repository. */
  const project = (folder: string, port: number, origin?: string) => {
    const dir = path.join(sb.dir, 'again', folder);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'docker-compose.yml'), `services:\n  app: {image: redis, ports: ["${port}:6379"]}\n`);
    gitInit(dir, origin);
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'x');
    return dir;
  };
  const setup = async (dir: string) => {
    const r = await runAxiJson(['setup', dir], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    return r.json as { name: string; main: boolean; project: string; ports: Record<string, number> };
  };

  // Failed before: the second setup registered `hostzz`, a new project on new ports, replacing the main checkout.
  for (const [what, folder, port, origin] of [
    ['no sibling named as its base (seed rule: aegisx-starter + hostzz)', 'aegisx-starter-hostzz', 18731, undefined],
    [
      "git's main worktree of …/docker.git cloned into chat-docker",
      'chat-docker',
      18732,
      'https://example.invalid/docker.git',
    ],
  ] as const)
    test(what, async () => {
      const dir = project(folder, port, origin);
      const first = await setup(dir);
      assert.equal(first.main, true);
      git(dir, 'worktree', 'add', '-q', `${dir}-feat`);
      const again = await setup(dir);
      assert.deepEqual(
        [again.name, again.main, again.project, again.ports],
        [first.name, true, first.project, { app: port }],
        'same name, project and ports',
      );
      const list = await runAxiJson(['list'], { env: sb.env });
      assert.equal((list.json as { folder: string }[]).filter((i) => i.folder === dir).length, 1);
    });
});
