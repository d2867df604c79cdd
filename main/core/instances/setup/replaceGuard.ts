import { AxiError } from '../../../shared/errors';
import type { InstanceRecord } from '../../registry/record';

/** What the engine says about a registration setup would replace (the Docker layer supplies both). */
export interface ReplaceHooks {
  /** Names of its running containers (none: nothing would be left running unregistered). */
  running?: (rec: InstanceRecord) => Promise<string[]>;
  /** Stops its containers; volumes and containers are kept. */
  stop?: (rec: InstanceRecord) => Promise<void>;
}

/**
 * A setup that gives this folder another instance (FOLDER_NAME, --name) would leave the old one's containers
 * running unregistered: refused while they run, unless `replace`, which stops them first (volumes kept) and says so.
 */
export async function guardReplacement(
  records: readonly InstanceRecord[],
  next: Pick<InstanceRecord, 'folder' | 'project' | 'name'>,
  replace: boolean | undefined,
  hooks: ReplaceHooks,
  notes: string[],
): Promise<void> {
  const olds = records.filter((r) => r.folder === next.folder && r.project !== next.project);
  for (const old of olds) {
    const running = (await hooks.running?.(old).catch(() => [])) ?? [];
    if (!running.length) continue;
    if (!replace)
      throw new AxiError(
        'IN_USE',
        `${next.folder} is registered as ${old.name}, which is running (${running.join(', ')}); setup would replace it with ${next.name}: stop it first (axi stop ${old.name}), or pass --replace to stop its containers (volumes kept)`,
      );
    await hooks.stop?.(old);
    notes.push(
      `replaced ${old.name}: stopped its containers ${running.join(', ')} (volumes kept; they are ${old.name}'s)`,
    );
  }
}
