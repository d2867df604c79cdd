/**
 * `$AXI_HOME/idle.json`: which instances are pinned (never sleep) and which are asleep, since when and
 * why. Shared by the app, `axi serve` and the CLI, so written under the lock through an atomic rename.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { atomicWrite } from './atomicWrite';
import { lockShared } from './fileLock';

export interface SleepMark {
  /** When it was put to sleep (ms since the epoch). */
  since: number;
  why: string;
  /** The repository asked for a notification when one is put to sleep. */
  notify?: boolean;
}

export interface SleepState {
  pinned: string[];
  asleep: Record<string, SleepMark>;
}

const FILE = 'idle.json';
const empty = (): SleepState => ({ pinned: [], asleep: {} });

export async function readSleepState(home: string): Promise<SleepState> {
  let text: string;
  try {
    text = await readFile(path.join(home, FILE), 'utf8');
  } catch {
    return empty();
  }
  try {
    const s = JSON.parse(text) as Partial<SleepState>;
    return {
      pinned: Array.isArray(s.pinned) ? s.pinned.filter((x) => typeof x === 'string') : [],
      asleep: s.asleep && typeof s.asleep === 'object' ? s.asleep : {},
    };
  } catch {
    return empty(); // a damaged file only loses marks: the instances' state is the engine's
  }
}

/** One read-modify-write of the file under the lock. */
export async function updateSleepState(home: string, change: (s: SleepState) => void): Promise<SleepState> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  const release = await lockShared({ dir: home, lockPath: path.join(home, `${FILE}.lock`), what: 'idle state' });
  try {
    const s = await readSleepState(home);
    change(s);
    s.pinned = [...new Set(s.pinned)].sort();
    await atomicWrite(path.join(home, FILE), `${JSON.stringify(s, null, 2)}\n`);
    return s;
  } finally {
    await release();
  }
}

export const markAsleep = (home: string, id: string, mark: SleepMark) =>
  updateSleepState(home, (s) => void (s.asleep[id] = mark));

/** A start or a stop by the user ends the sleep (a stopped instance is then stopped, not asleep). */
export async function clearAsleep(home: string, id: string): Promise<void> {
  if (!(await readSleepState(home)).asleep[id]) return;
  await updateSleepState(home, (s) => void delete s.asleep[id]);
}

export const setPinned = (home: string, id: string, pinned: boolean) =>
  updateSleepState(home, (s) => {
    s.pinned = pinned ? [...s.pinned, id] : s.pinned.filter((x) => x !== id);
  });
