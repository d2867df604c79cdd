import { spawn } from 'node:child_process';
import { chmod, chown, lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { AxiError } from '../../shared/errors';
import { CopyFailed, whilePaused, type CopiedVolume, type VolumePair } from './cloneData';

/**
 * Clones done by this process where it reaches the engine's volume folders (issue 27): an engine on this machine
 * whose data root this user may write (root, or a rootless engine's own user), as the clone probe found
 * (cloneSupport.ts). The file system does the work in ~0.1 s for 2 GB; a helper container's start alone costs
 * 0.3–0.5 s, and a copy with its snapshot took three. Same guarantees as the helper's scripts: the target's old
 * files set aside and deleted only once the copy's tally matches, `--reflink=always` (clone or fail, never half
 * copied), symlinks copied as links (`cp -a`), never followed. `AXI_HOST_CLONES=0` keeps the helper containers.
 */
const OLD = '.axi-old-copy';

/** Runs the host's cp with an argument array; fails with its last line. */
export function reflinkCopy(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('cp', ['-a', '--reflink=always', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(err.trim().split('\n').pop() || `cp exited ${code}`)),
    );
  });
}

/** A volume's folder on this machine: the local driver without options, a real folder (no link) this user owns or is root for. */
async function hostFolder(docker: Dockerode, volume: string): Promise<string | undefined> {
  const info = await docker.getVolume(volume).inspect();
  const dir = info.Mountpoint;
  if ((info.Driver ?? 'local') !== 'local' || Object.keys(info.Options ?? {}).length || !path.isAbsolute(dir ?? ''))
    return undefined;
  const st = await lstat(dir).catch(() => undefined);
  const me = process.getuid?.();
  return st?.isDirectory() && (me === 0 || st.uid === me) ? dir : undefined;
}

/** Each volume's folder, or undefined unless all are reachable here (and host clones are on). */
export async function hostFolders(
  docker: Dockerode,
  volumes: readonly string[],
  local: boolean | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string[] | undefined> {
  if (!local || env.AXI_HOST_CLONES === '0') return undefined;
  const dirs = await Promise.all(volumes.map((v) => hostFolder(docker, v).catch(() => undefined)));
  return dirs.every((d): d is string => d !== undefined) ? dirs : undefined;
}

/** Entries, and bytes of regular files, under `dir` (its top-level `.axi-old-*` left out): the copy's tally. */
export async function tally(dir: string, top = true): Promise<{ entries: number; bytes: number }> {
  const list = (await readdir(dir, { withFileTypes: true })).filter((e) => !(top && e.name.startsWith('.axi-old-')));
  // Side by side: the source stays paused while both sides are tallied.
  const parts = await Promise.all(
    list.map(async (e) => {
      const p = path.join(dir, e.name);
      if (e.isFile()) return { entries: 1, bytes: (await lstat(p)).size };
      if (!e.isDirectory()) return { entries: 1, bytes: 0 };
      const t = await tally(p, false);
      return { entries: t.entries + 1, bytes: t.bytes };
    }),
  );
  return parts.reduce((a, t) => ({ entries: a.entries + t.entries, bytes: a.bytes + t.bytes }), {
    entries: 0,
    bytes: 0,
  });
}

/** Top-level entries of `dir`, as absolute paths (a name starting with `-` cannot read as an option). */
async function entries(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => !n.startsWith('.axi-old-')).map((n) => path.join(dir, n));
}

/** `to` emptied into its `.axi-old-copy` (renames), and given `from`'s owner and mode, as `cp -a` of the folder would. */
async function setAside(from: string, to: string): Promise<void> {
  for (const n of await readdir(to)) if (n.startsWith('.axi-old-')) await rm(path.join(to, n), { recursive: true });
  await mkdir(path.join(to, OLD), { mode: 0o700 });
  for (const e of await entries(to)) await rename(e, path.join(to, OLD, path.basename(e)));
  const st = await lstat(from);
  await chown(to, st.uid, st.gid);
  await chmod(to, st.mode & 0o7777);
}

/**
 * clone-data on this machine: each target set aside (before the pause), then, with the source paused, each
 * source's entries cloned in and both sides tallied; the old files deleted once all match.
 */
export async function cloneOnHost(
  docker: Dockerode,
  pairs: readonly VolumePair[],
  dirs: { from: string; to: string }[],
  pause: readonly string[],
): Promise<{ copied: CopiedVolume[]; pausedMs: number }> {
  const what = pairs.map((p) => `${p.from} → ${p.to}`).join(', ');
  try {
    for (const d of dirs) await setAside(d.from, d.to);
  } catch (err) {
    throw new CopyFailed(`cloning ${what} failed before copying: ${(err as Error).message}`, true);
  }
  const copied: CopiedVolume[] = [];
  const pausedMs = await whilePaused(docker, pause, async () => {
    for (const [i, d] of dirs.entries()) {
      const from = await entries(d.from);
      try {
        if (from.length) await reflinkCopy(['-t', d.to, '--', ...from]);
      } catch (err) {
        throw new CopyFailed(`cloning ${pairs[i]!.from} → ${pairs[i]!.to} failed: ${(err as Error).message}`, true);
      }
      const [s, t] = await Promise.all([tally(d.from), tally(d.to)]);
      if (s.entries !== t.entries || s.bytes !== t.bytes)
        throw new CopyFailed(
          `copying ${what} failed verification: ${pairs[i]!.to} has ${t.entries} entries and ${t.bytes} bytes, ${pairs[i]!.from} ${s.entries} and ${s.bytes}`,
          true,
        );
      copied.push({ ...pairs[i]!, ...s, cloned: true });
    }
  });
  // Verified: the old files go (a failure only costs disk; the next copy deletes them first).
  await Promise.all(dirs.map((d) => rm(path.join(d.to, OLD), { recursive: true, force: true }).catch(() => undefined)));
  return { copied, pausedMs };
}

/** A snapshot folder in the store on this machine: each volume's folder cloned in as `N`, with its tally. */
export async function snapshotOnHost(store: string, rel: string, dirs: readonly string[]): Promise<number[]> {
  const partial = path.join(store, `${rel}.partial`);
  const final = path.join(store, rel);
  await chmod(store, 0o700);
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true, mode: 0o700 });
  const bytes: number[] = [];
  for (const [i, d] of dirs.entries()) {
    await reflinkCopy(['--', d, path.join(partial, String(i))]);
    bytes.push((await tally(d)).bytes);
  }
  await rm(final, { recursive: true, force: true });
  await rename(partial, final);
  return bytes;
}

/** Each volume emptied and the snapshot's folder `files[i]` cloned in, its owner and mode set as the snapshot's. */
export async function restoreOnHost(store: string, rel: string, files: readonly string[], dirs: readonly string[]) {
  const from = files.map((f) => path.join(store, rel, f));
  for (const [i, f] of from.entries()) {
    const st = await lstat(f).catch(() => undefined);
    if (!st?.isDirectory()) throw new AxiError('NOT_FOUND', `the snapshot is missing its clone of volume ${i}`);
  }
  for (const [i, d] of dirs.entries()) {
    for (const e of await readdir(d)) await rm(path.join(d, e), { recursive: true, force: true });
    const src = await entries(from[i]!);
    if (src.length) await reflinkCopy(['-t', d, '--', ...src]);
    const st = await lstat(from[i]!);
    await chown(d, st.uid, st.gid);
    await chmod(d, st.mode & 0o7777);
  }
}
