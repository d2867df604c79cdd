import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * "Paused for a copy": a data copy pauses the source's running containers. Any process may run the copy
 * (the CLI, the window, `axi serve`), and the engine cannot tell our pause from anyone else's, so the copy
 * leaves a marker in AXI_HOME that every status reader sees: while it pauses, and for a while after, as
 * health checks missed during the pause catch up. A marker whose process died counts only for that while.
 */
export type CopyPause = 'paused' | 'recovering';

/** How long after the unpause the instance is still "resuming" (missed health checks pass again). */
export const RECOVER_MS = 90_000;

interface Marker {
  pid: number;
  /** When the copy unpaused the containers; absent while they are paused. */
  unpausedAt?: number;
  startedAt: number;
}

const dirOf = (home: string) => path.join(home, 'copy-pauses');
const fileOf = (home: string, project: string) => path.join(dirOf(home), `${encodeURIComponent(project)}.json`);

function write(home: string, project: string, m: Marker): void {
  mkdirSync(dirOf(home), { recursive: true, mode: 0o700 });
  writeFileSync(fileOf(home, project), JSON.stringify(m), { mode: 0o600 });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `fn` (which pauses and unpauses `project`'s containers) with the marker set. */
export async function markedCopyPause<T>(home: string, project: string, fn: () => Promise<T>): Promise<T> {
  const startedAt = Date.now();
  write(home, project, { pid: process.pid, startedAt });
  try {
    return await fn();
  } finally {
    try {
      write(home, project, { pid: process.pid, startedAt, unpausedAt: Date.now() });
    } catch {
      // The marker is a display hint: a full disk must not fail the copy.
    }
  }
}

/** Every project under a copy's pause, or resuming from one, at `now`; stale markers are removed. */
export function copyPauses(home: string, now = Date.now()): Map<string, CopyPause> {
  const out = new Map<string, CopyPause>();
  let names: string[];
  try {
    names = readdirSync(dirOf(home));
  } catch {
    return out;
  }
  for (const name of names) {
    const file = path.join(dirOf(home), name);
    let m: Marker;
    try {
      m = JSON.parse(readFileSync(file, 'utf8')) as Marker;
    } catch {
      continue; // being written
    }
    const project = decodeURIComponent(name.replace(/\.json$/, ''));
    const ended = m.unpausedAt ?? (alive(m.pid) ? undefined : m.startedAt);
    if (ended === undefined) out.set(project, 'paused');
    else if (now - ended < RECOVER_MS) out.set(project, 'recovering');
    else rmSync(file, { force: true });
  }
  return out;
}
