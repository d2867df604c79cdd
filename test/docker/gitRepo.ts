import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { exec } from './dockerHelpers';

/** The worktree suites' repository at `main`: `git` there (failing the test on an error), and its first commit. */
export function gitRepo(main: string, env: NodeJS.ProcessEnv) {
  const git = async (...args: string[]) => {
    const r = await exec('git', ['-C', main, ...args], env);
    assert.equal(r.code, 0, `git ${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  return {
    git,
    /** `git init`, then the repository's `.aegisx-instances.yml` (its worktree policy) committed. */
    init: async (config: string) => {
      await git('init', '-q', '-b', 'main');
      writeFileSync(path.join(main, '.aegisx-instances.yml'), config);
      await git('add', '.aegisx-instances.yml');
      await git('commit', '-qm', 'policy');
    },
  };
}
