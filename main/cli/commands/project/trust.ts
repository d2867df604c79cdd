import path from 'node:path';
import type { CliCommand } from '../../command';

/**
 * `axi trust [DIR]`: the user accepts what a repository's committed files ask for: its `worktrees:` policy
 * (`register: auto`, `start: true`, `dataFrom: main` act on their own only after this), and what DIR's
 * compose file reaches on the host. Each is recorded with a hash, so a change asks again.
 */
export const command: CliCommand<[dir: string], Record<string, never>> = {
  name: 'trust',
  description:
    "accept a repository's worktrees: policy (register: auto, start, dataFrom) and what its compose file reaches on the host",
  args: [{ name: '[dir]', description: 'a checkout of the repository', default: '.' }],
  async run({ backend, io }, [dir]) {
    const { mainWorktreePath } =
      require('../../../core/worktrees/worktrees') as typeof import('../../../core/worktrees/worktrees');
    const { loadRepoConfig } =
      require('../../../core/project/repoConfig') as typeof import('../../../core/project/repoConfig');
    const { needsAcceptance, TrustStore } =
      require('../../../core/project/trust') as typeof import('../../../core/project/trust');
    const { hostAccess, acceptHostAccess } =
      require('../../../docker/compose/hostAccess') as typeof import('../../../docker/compose/hostAccess');
    const { describeReach } =
      require('../../../core/project/hostReach') as typeof import('../../../core/project/hostReach');
    const service = backend().service;
    const folder = path.resolve(dir);
    const repo = (await mainWorktreePath(folder)) ?? folder;
    const policy = (await loadRepoConfig(repo)).config.worktrees;
    if (needsAcceptance(policy)) {
      await new TrustStore(service.paths.home).accept({ repo, policy });
      io.out(
        `accepted ${repo}'s worktrees: register ${policy.register}, start ${policy.start}, dataFrom ${policy.dataFrom}`,
      );
    } else io.out(`${repo}'s config asks for nothing that acts on its own`);
    const rec = await service.find(folder).catch(() => undefined);
    if (!rec) return;
    const a = await hostAccess(service.paths.home, rec);
    if (!a.items.length) return;
    await acceptHostAccess(service.paths.home, a);
    io.out(`accepted what ${a.file} reaches on the host: ${describeReach(a.items)}`);
  },
};
