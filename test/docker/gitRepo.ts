import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { exec } from './dockerHelpers';

/** A test's repository at `main` (an existing folder): `git` there (failing the test on an error), and its first commit. */
export function gitRepo(main: string, env: NodeJS.ProcessEnv) {
  const git = async (...args: string[]) => {
    const r = await exec('git', ['-C', main, ...args], env);
    assert.equal(r.code, 0, `git ${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  /** `git init`, then `files` (text by path in the repository) written and committed as its first commit. */
  const initWith = async (files: Record<string, string>, message: string) => {
    await git('init', '-q', '-b', 'main');
    for (const [file, text] of Object.entries(files)) writeFileSync(path.join(main, file), text);
    await git('add', ...Object.keys(files));
    await git('commit', '-qm', message);
  };
  return {
    git,
    initWith,
    /** `git init`, then the repository's `.aegisx-instances.yml` (its worktree policy) committed. */
    init: (config: string) => initWith({ '.aegisx-instances.yml': config }, 'policy'),
  };
}
