import { checkoutInstance, repositoryKey } from '../../core/instances/records/checkout';
import { AxiError } from '../../shared/errors';
import { instanceId, labelOf } from '../../core/registry/instanceRef';
import type { InstanceRecord } from '../../core/registry/record';
import { verifiedRepository } from '../../core/project/repoIdentity';
import type { InstanceService } from '../../core/instances/service';

/**
 * What an `axi mcp` server may act on. By default the checkout it was started in: its tools act on
 * that instance only (NAME may be left out) and listings show only that repository's instances.
 * `--all`: every registered instance, named in each call.
 */
export interface Scope {
  readonly all: boolean;
  /** The checkout's instance (absent under --all). */
  readonly home?: InstanceRecord;
  /** How calls name it: its bare name, or repo/name where another repository has the name too. */
  readonly homeName?: string;
  /** The instance a tool's `name` argument means; another one than this scope's is refused. */
  resolve(service: InstanceService, name: unknown): Promise<{ rec: InstanceRecord; name: string }>;
  /** Whether a listing shows this instance. */
  lists(rec: InstanceRecord): Promise<boolean>;
  /** Whether a folder belongs to this scope's repository (a worktree, registered or not). */
  holds(folder: string): Promise<boolean>;
  /** The server's instructions, saying the scope. */
  instructions(): string;
}

export async function makeScope(service: InstanceService, all: boolean, cwd = process.cwd()): Promise<Scope> {
  if (all) return allScope();
  const home = await checkoutInstance(service, cwd);
  return checkoutScope(home, labelOf(home, await service.records()), await repositoryKey(home));
}

export function allScope(): Scope {
  return {
    all: true,
    async resolve(service, name) {
      if (typeof name !== 'string' || !name) throw new AxiError('BAD_INPUT', 'name the instance (see get_overview)');
      return { rec: await service.find(name), name };
    },
    lists: () => Promise.resolve(true),
    holds: () => Promise.resolve(true),
    instructions: () =>
      'axi (AegisX Instances) runs many copies of a project side by side, one per git worktree. ' +
      'Scope: ALL registered instances (started with --all): every tool can act on any instance, so name it in each call. ' +
      "Destructive tools (reset, restore, clone data, down with volumes) need confirm equal to the instance's name.",
  };
}

export function checkoutScope(home: InstanceRecord, homeName: string, repository: string): Scope {
  const homeId = instanceId(home);
  return {
    all: false,
    home,
    homeName,
    async resolve(service, name) {
      if (name === undefined || name === null || name === '') return { rec: home, name: homeName };
      if (typeof name !== 'string') throw new AxiError('BAD_INPUT', 'name must be a string');
      const rec = await service.find(name);
      if (instanceId(rec) !== homeId)
        throw new AxiError(
          'OUT_OF_SCOPE',
          `this server is scoped to ${homeName} (${home.folder}) and cannot act on ${name}; start axi mcp --all to act on every instance`,
        );
      return { rec, name };
    },
    lists: async (rec) => (await repositoryKey(rec)) === repository,
    holds: async (folder) => (await verifiedRepository(folder)) === repository,
    instructions: () =>
      `axi (AegisX Instances) runs many copies of a project side by side, one per git worktree. ` +
      `Scope: this checkout only — instance ${homeName}, folder ${home.folder}. Tools act on that instance ` +
      `(leave name out) and listings show only its repository's instances; axi mcp --all widens the scope. ` +
      `Use env or urls for its ports and connection strings (never guess them). Destructive tools (reset, restore, ` +
      `clone data, down with volumes) need confirm equal to the instance's name, ${JSON.stringify(homeName)}.`,
  };
}
