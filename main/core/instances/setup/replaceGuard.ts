import { AxiError } from '../../../shared/errors';
import path from 'node:path';
import { shellQuote } from '../../util/shellQuote';
import { COMPOSE_FILE, ENV_FILE, readState } from '../../project/instanceFiles';
import type { InstanceRecord } from '../../registry/record';

/** What the engine says about a registration setup would replace (the Docker layer supplies both). */
export interface ReplaceHooks {
  /** Names of its running containers (none: nothing would be left running unregistered). */
  running?: (rec: InstanceRecord) => Promise<string[]>;
  /** Stops its containers; volumes and containers are kept. */
  stop?: (rec: InstanceRecord) => Promise<void>;
  /** The containers the seed's own command made from the folder's instance file (not axi's), running or not. */
  seedStack?: (folder: string) => Promise<{ project: string; names: string[]; running: boolean } | undefined>;
}

/**
 * `setup --force` over the seed's instance files while the seed's containers exist (running or stopped): they hold
 * the user's data and their container names, so Compose would end on "already in use" and the data would be left
 * behind. Refused in one line pointing at `axi adopt` (no engine: nothing known, setup goes on).
 */
export async function guardSeedStack(folder: string, seedFiles: boolean, hooks: ReplaceHooks): Promise<void> {
  if (!seedFiles) return;
  const stack = await hooks.seedStack?.(folder).catch(() => undefined);
  if (!stack) return;
  throw new AxiError(
    'IN_USE',
    `${folder} is a seed instance whose containers ${stack.running ? 'still run' : 'still exist, stopped'} (${stack.names.join(', ')}, project ${stack.project}) on its data: axi adopt ${shellQuote(folder)} takes them over with their ports and data; or remove them first (docker compose -p ${stack.project} -f docker-compose.instance.yml down, volumes kept)`,
  );
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

/** Whether the folder's instance files are the seed's own (`isSeedFile` by their header). */
export async function hasSeedFiles(folder: string): Promise<boolean> {
  for (const f of [COMPOSE_FILE, ENV_FILE])
    if ((await readState(path.join(folder, f)).catch(() => undefined))?.seed) return true;
  return false;
}
