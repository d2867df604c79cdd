import { AxiError } from '../../shared/errors';
import { instanceId } from '../../core/registry/instanceRef';
import type { InstanceRecord } from '../../core/registry/record';
import { loadRepoConfig } from '../../core/project/repoConfig';
import { sha256 } from '../../core/project/instanceFiles';
import { needsAcceptance, policyHash, TrustStore } from '../../core/project/trust';
import { mainWorktreePath } from '../../core/worktrees/worktrees';
import { acceptHostAccess, allowOnce, hostAccess } from '../../docker/compose/hostAccess';
import type { HandlerContext } from './handlerContext';
import type { ApiHandlers, HostAccessView } from '../../shared/api/table';

/** The repository's committed policy, when it acts on its own and nobody accepted it yet (what `axi trust` accepts). */
async function pendingPolicy(home: string, folder: string) {
  const repository = (await mainWorktreePath(folder)) ?? folder;
  const policy = (await loadRepoConfig(repository)).config.worktrees;
  const pending = needsAcceptance(policy) && !(await new TrustStore(home).policyAccepted(repository, policy));
  return { repository, policy: pending ? policy : null };
}

async function view(c: HandlerContext, rec: InstanceRecord) {
  const home = c.service.paths.home;
  const a = await hostAccess(home, rec);
  const { repository, policy } = await pendingPolicy(home, rec.folder);
  const out: HostAccessView = {
    id: instanceId(rec),
    label: await c.service.label(rec),
    file: a.file,
    items: a.items.map(({ service, key, value }) => ({ service, key, value })),
    // What the person reads: the reach and a pending policy both, so a policy changed since is never accepted unseen.
    hash: policy ? sha256(a.hash + policyHash(policy)) : a.hash,
    accepted: a.accepted,
    policy: policy && `register ${policy.register}, start ${policy.start}, dataFrom ${policy.dataFrom}`,
    repository,
  };
  return { a, policy, view: out };
}

/**
 * The window's host-access dialog: what a compose file reaches, and a person's answer to it. Neither is an
 * MCP tool (METHOD_INFO: window): an agent is refused with the words to ask a person for `axi trust`.
 */
export function trustHandlers(c: HandlerContext): Pick<ApiHandlers, 'hostAccess' | 'trustHostAccess'> {
  return {
    hostAccess: async (name) => (await view(c, await c.service.find(name))).view,
    trustHostAccess: async (name, { hash, remember }) => {
      const rec = await c.service.find(name);
      const home = c.service.paths.home;
      const { a, policy, view: seen } = await view(c, rec);
      if (seen.hash !== hash)
        throw new AxiError(
          'BAD_INPUT',
          `what ${seen.label}'s ${a.file} reaches on the host, or its repository's worktree policy, changed since it was shown: nothing was accepted; read it again`,
        );
      if (remember === 'once') allowOnce(home, a);
      else {
        // As `axi trust DIR`: the repository's worktree policy, and what this file reaches (a change asks again).
        if (policy) await new TrustStore(home).accept({ repo: seen.repository, policy });
        await acceptHostAccess(home, a);
      }
      void c.recheck.refreshRegistry(); // the card and the tray stop saying it needs acceptance
      return remember === 'once' ? seen : (await view(c, rec)).view;
    },
  };
}
