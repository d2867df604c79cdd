import { chmod, chown, lstat, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { AxiError } from '../../shared/errors';
import { timed } from '../../core/util/debug';
import { dropLater, entries, reflinkCopy, tally } from './hostClones';

/**
 * Clone snapshots taken and put back by this process, in the snapshot store's folder on this machine (see
 * hostClones.ts). A volume whose data is about to be replaced (clone-data's target) need not be cloned: its files
 * are moved into the snapshot (renames, metadata only, on one file system), and the copy then fills the emptied
 * volume, so a copy clones once. Any failure before the snapshot is complete moves them back.
 */

/** Whether `a` and `b` are on one file system (a rename between them moves no data). */
async function sameFileSystem(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([stat(a), stat(b)]);
  return x.dev === y.dev;
}

/** `dir`'s entries (but `.axi-old-*`) moved into `to`, made with `dir`'s owner and mode; moved back on failure. */
async function moveInto(dir: string, to: string): Promise<void> {
  const st = await lstat(dir);
  await mkdir(to, { mode: 0o700 });
  await chown(to, st.uid, st.gid);
  await chmod(to, st.mode & 0o7777);
  try {
    for (const e of await entries(dir)) await rename(e, path.join(to, path.basename(e)));
  } catch (err) {
    await moveBack(to, dir);
    throw err;
  }
}

/** Every entry of `from` renamed back into `dir` (a snapshot whose files were moved, not completed). */
async function moveBack(from: string, dir: string): Promise<void> {
  for (const n of await readdir(from)) await rename(path.join(from, n), path.join(dir, n));
}

/**
 * A snapshot folder in the store on this machine: each volume's folder as `N`, with its tally. `move[i]`: volume
 * i's files may be moved in rather than cloned (its data is replaced next), done where the store shares its file
 * system. Resolves with the bytes per volume and which were moved (those volumes are empty now).
 */
export async function snapshotOnHost(
  store: string,
  rel: string,
  dirs: readonly string[],
  move: readonly boolean[] = [],
): Promise<{ bytes: number[]; moved: boolean[] }> {
  const partial = path.join(store, `${rel}.partial`);
  const final = path.join(store, rel);
  await chmod(store, 0o700);
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true, mode: 0o700 });
  const moved = await Promise.all(dirs.map(async (d, i) => Boolean(move[i]) && sameFileSystem(d, store)));
  try {
    // All at once, each volume tallied while its clone runs (the instance is stopped: nothing writes it). Each
    // settled before a failure is handled: none may still be moving files while they are moved back.
    const settled = await Promise.allSettled(
      dirs.map(async (d, i) => {
        const to = path.join(partial, String(i));
        if (moved[i]) return timed('snapshot move', () => moveInto(d, to)).then(() => tally(to).bytes);
        const cp = timed('snapshot cp', () => reflinkCopy(['--', d, to]));
        cp.catch(() => undefined); // awaited below, after the tally
        const b = tally(d).bytes;
        await cp;
        return b;
      }),
    );
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const bytes = settled.map((r) => (r as PromiseFulfilledResult<number>).value);
    await rm(final, { recursive: true, force: true });
    await rename(partial, final);
    return { bytes, moved };
  } catch (err) {
    await unmoveOnHost(store, `${rel}.partial`, dirs, moved);
    throw err;
  }
}

/** The moved volumes' files put back from the store's `rel` folder (a snapshot that could not be completed). */
export async function unmoveOnHost(
  store: string,
  rel: string,
  dirs: readonly string[],
  moved: readonly boolean[],
): Promise<void> {
  for (const [i, d] of dirs.entries()) {
    const from = path.join(store, rel, String(i));
    if (moved[i] && (await lstat(from).catch(() => undefined))?.isDirectory()) await moveBack(from, d);
  }
}

/** Each volume emptied and the snapshot's folder `files[i]` cloned in, its owner and mode set as the snapshot's. */
export async function restoreOnHost(store: string, rel: string, files: readonly string[], dirs: readonly string[]) {
  const from = files.map((f) => path.join(store, rel, f));
  for (const [i, f] of from.entries()) {
    const st = await lstat(f).catch(() => undefined);
    if (!st?.isDirectory()) throw new AxiError('NOT_FOUND', `the snapshot is missing its clone of volume ${i}`);
  }
  // Each volume's current files set aside (renames) and deleted later: a snapshot of them was taken before.
  await Promise.all(
    dirs.map(async (d, i) => {
      const old = path.join(d, '.axi-old-restore');
      await rm(old, { recursive: true, force: true });
      await mkdir(old, { mode: 0o700 });
      for (const n of await readdir(d)) if (n !== path.basename(old)) await rename(path.join(d, n), path.join(old, n));
      const src = await entries(from[i]!);
      if (src.length) await reflinkCopy(['-t', d, '--', ...src]);
      const st = await lstat(from[i]!);
      await chown(d, st.uid, st.gid);
      await chmod(d, st.mode & 0o7777);
      await dropLater(old);
    }),
  );
}
