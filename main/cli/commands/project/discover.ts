import { JSON_OPTION, type CliCommand } from '../../command';
import { table } from '../../../api/report/format';

export const command: CliCommand<[dir: string], { json?: boolean }> = {
  name: 'discover',
  description: "a repository's git worktrees: branch, registration state, ports",
  args: [{ name: '[dir]', description: 'any worktree of the repository', default: '.' }],
  options: [JSON_OPTION],
  async run({ backend, io, json }, [dir], opts) {
    const { discoverWorktrees, worktreeRows } =
      require('../../../core/worktrees/worktrees') as typeof import('../../../core/worktrees/worktrees');
    const list = await discoverWorktrees(backend().service, dir);
    if (opts.json) return json(list);
    io.out(table(['NAME', 'STATE', 'BRANCH', 'PORTS', 'PATH'], worktreeRows(list)));
    const todo = list.filter((w) => w.state === 'unregistered').length;
    const gone = list.filter((w) => w.state === 'gone').map((w) => w.name);
    if (todo) io.out(`\n${todo} not registered: axi setup PATH (the ports above are what setup would give now)`);
    if (gone.length) io.out(`Gone (worktree removed): ${gone.join(', ')}; forget with axi cleanup`);
  },
};
