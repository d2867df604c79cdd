import { needsAcceptance, TrustStore } from '../../core/project/trust';
import { mainWorktreePath } from '../../core/worktrees/worktrees';
import { readWorktreePolicy, writeIdlePolicy, writeWorktreePolicy } from '../../core/worktrees/worktreePolicyFile';
import type { HandlerContext } from './handlerContext';
import type { ApiHandlers } from '../../shared/api/table';

/** The repository an instance belongs to: its main worktree (the folder itself outside git). */
async function repositoryOf(c: HandlerContext, name: string): Promise<string> {
  const rec = await c.service.find(name);
  return (await mainWorktreePath(rec.folder)) ?? rec.folder;
}

/** The repository's policy as its file has it, and whether it still waits for a person to accept it. */
async function policyView(c: HandlerContext, repository: string) {
  const read = await readWorktreePolicy(repository);
  const pending =
    needsAcceptance(read.policy) &&
    !(await new TrustStore(c.service.paths.home).policyAccepted(repository, read.policy));
  return { repository, ...read, pending };
}

/** The worktree policy per repository, read and written from the window. */
export function policyHandlers(
  c: HandlerContext,
): Pick<ApiHandlers, 'worktreePolicy' | 'setWorktreePolicy' | 'setIdlePolicy'> {
  return {
    worktreePolicy: async (name) => {
      const repository = await repositoryOf(c, name);
      return policyView(c, repository);
    },
    setWorktreePolicy: async (name, policy) => {
      const repository = await repositoryOf(c, name);
      await writeWorktreePolicy(repository, policy);
      return policyView(c, repository);
    },
    setIdlePolicy: async (name, idle) => {
      const repository = await repositoryOf(c, name);
      await writeIdlePolicy(repository, idle);
      return policyView(c, repository);
    },
  };
}
