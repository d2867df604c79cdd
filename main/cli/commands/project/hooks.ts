import path from 'node:path';
import { AxiError } from '../../../shared/errors';
import type { CliCommand } from '../../command';

export const command: CliCommand<[action: string, dir: string], Record<string, never>> = {
  name: 'hooks',
  description:
    "install (or uninstall) a git post-checkout hook: `git worktree add` then applies the repository's worktrees: policy",
  args: [
    { name: '<action>', description: 'install or uninstall' },
    { name: '[dir]', description: 'a checkout of the repository', default: '.' },
  ],
  async run({ io }, [action, dir]) {
    const { installHook, uninstallHook } =
      require('../../../core/project/gitHooks') as typeof import('../../../core/project/gitHooks');
    const folder = path.resolve(dir);
    if (action === 'install') {
      const r = await installHook(folder, process.execPath, path.resolve(process.argv[1]!));
      io.out(`installed ${r.file}${r.chained ? ' (the previous hook runs first)' : ''}`);
    } else if (action === 'uninstall') {
      const r = await uninstallHook(folder);
      io.out(
        r.removed ? `removed ${r.file}${r.restored ? '; the previous hook is back' : ''}` : `no axi hook in ${r.file}`,
      );
    } else throw new AxiError('BAD_INPUT', `hooks ${JSON.stringify(action)}: use install or uninstall`);
  },
};
