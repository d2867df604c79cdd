import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, lstat, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type Dockerode from 'dockerode';
import { AxiError } from '../../shared/errors';
import { HELPER_LABEL, INSTANCE_LABEL } from '../../core/project/naming';

export interface SnapshotVolume {
  name: string;
  labels: Record<string, string>;
  file: string;
  bytes: number;
}

export interface Snapshot {
  id: string;
  instance: string;
  createdAt: string;
  reason: string;
  /** `clone`: cloned folders in the engine's snapshot store (cloneSnapshots.ts); absent: tar archives here. */
  kind?: 'archive' | 'clone';
  volumes: SnapshotVolume[];
  dir: string;
  /** Just taken: volumes whose files were moved into it, not cloned (empty now; never in the manifest). */
  moved?: string[];
}

/** Sortable, filesystem-safe: 2026-11-27T09-15-30-123Z. */
export function snapshotId(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/**
 * A created (never started) container with the volume at /volume: the
 * engine's archive API reads and writes through it, so no shell, no
 * bind-mounted host path and no running process touches the data. Removed
 * with its anonymous volumes (an image's VOLUME lines make one each).
 */
async function withVolumeContainer<T>(
  docker: Dockerode,
  volume: string,
  image: string,
  instance: string,
  fn: (c: Dockerode.Container) => Promise<T>,
): Promise<T> {
  const c = await docker.createContainer({
    Image: image,
    Entrypoint: ['/bin/true'],
    Cmd: [],
    Labels: { [INSTANCE_LABEL]: instance, [HELPER_LABEL]: 'snapshot' },
    HostConfig: { Binds: [`${volume}:/volume`] },
  });
  try {
    return await fn(c);
  } finally {
    await c.remove({ force: true, v: true }).catch(() => undefined);
  }
}

/** What a snapshot is of, where it is kept, and why (both kinds: archives and clones). */
export interface SnapshotOptions {
  instance: string;
  volumes: readonly string[];
  image: string;
  root: string;
  reason: string;
  now?: Date;
}

export async function takeSnapshot(
  docker: Dockerode,
  opts: SnapshotOptions & {
    /** Told as each volume's copy begins (1-based). */
    onVolume?: (k: number, name: string) => void;
  },
): Promise<Snapshot> {
  const now = opts.now ?? new Date();
  const id = snapshotId(now);
  const dir = path.join(opts.root, opts.instance, id);
  const partial = `${dir}.partial`;
  // Database contents: readable by this user only, whatever the umask.
  await mkdir(partial, { recursive: true, mode: 0o700 });
  for (const d of [opts.root, path.dirname(dir), partial]) await chmod(d, 0o700);
  const volumes: SnapshotVolume[] = [];
  try {
    for (const [k, name] of opts.volumes.entries()) {
      opts.onVolume?.(k + 1, name);
      const info = await docker.getVolume(name).inspect();
      const file = `${name}.tar`;
      await withVolumeContainer(docker, name, opts.image, opts.instance, async (c) => {
        const archive = await c.getArchive({ path: '/volume' });
        await pipeline(archive, createWriteStream(path.join(partial, file), { mode: 0o600 }));
      });
      volumes.push({ name, labels: info.Labels ?? {}, file, bytes: (await stat(path.join(partial, file))).size });
    }
    const snap = { id, instance: opts.instance, createdAt: now.toISOString(), reason: opts.reason, volumes };
    await writeFile(path.join(partial, 'manifest.json'), JSON.stringify(snap, null, 2) + '\n', { mode: 0o600 });
    // Only a complete snapshot gets its final name: a crash leaves a `.partial` folder, never a wrong one.
    await rename(partial, dir);
    return { ...snap, dir };
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    throw err;
  }
}

export async function listSnapshots(root: string, instance: string): Promise<Snapshot[]> {
  const base = path.join(root, instance);
  const ids = await readdir(base).catch(() => [] as string[]);
  const out: Snapshot[] = [];
  for (const id of ids.filter((i) => !i.endsWith('.partial')).sort()) {
    try {
      // Listed as written; restore checks that a manifest belongs to its instance before it is used.
      const m = JSON.parse(await readFile(path.join(base, id, 'manifest.json'), 'utf8')) as Omit<
        Snapshot,
        'id' | 'dir'
      >;
      out.push({ ...m, id, dir: path.join(base, id) });
    } catch {
      // A folder without a readable manifest is not a snapshot we can restore.
    }
  }
  return out;
}

/** Removes a snapshot's folder: only a real folder directly inside the instance's folder of `root`. */
export async function removeSnapshotDir(root: string, snap: Snapshot): Promise<void> {
  const dir = path.resolve(snap.dir);
  if (path.dirname(path.dirname(dir)) !== path.resolve(root) || !(await lstat(dir)).isDirectory())
    throw new AxiError('BAD_INPUT', `snapshot folder ${dir} is not inside ${root}: not deleted`);
  await rm(dir, { recursive: true });
}

const ARCHIVE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*\.tar$/;
/** A clone snapshot's volumes are numbered folders in the store's folder for that snapshot. */
const CLONE_NAME = /^\d{1,4}$/;

/**
 * Restore trusts nothing in a manifest: it must be this instance's, name only `allowed` volumes, and
 * name archives that are plain files in the snapshot's own folder. A crafted manifest could
 * otherwise delete an unrelated volume or read a file from anywhere.
 */
export function assertSnapshotBelongs(snap: Snapshot, instance: string, allowed: ReadonlySet<string>): void {
  const bad = (why: string) =>
    new AxiError(
      'BAD_INPUT',
      `snapshot ${snap.id} of ${instance} is refused: ${why} (${path.join(snap.dir, 'manifest.json')})`,
    );
  if (snap.instance !== instance) throw bad(`its manifest names instance ${JSON.stringify(snap.instance)}`);
  if (!Array.isArray(snap.volumes) || !snap.volumes.length) throw bad('its manifest lists no volumes');
  if (snap.kind !== undefined && snap.kind !== 'archive' && snap.kind !== 'clone')
    throw bad(`kind ${JSON.stringify(snap.kind)} is not archive or clone`);
  const name = snap.kind === 'clone' ? CLONE_NAME : ARCHIVE_NAME;
  for (const v of snap.volumes) {
    if (typeof v?.name !== 'string' || !allowed.has(v.name))
      throw bad(`volume ${JSON.stringify(v?.name)} is not one of ${instance}'s`);
    if (typeof v.file !== 'string' || !name.test(v.file) || path.basename(v.file) !== v.file)
      throw bad(`archive ${JSON.stringify(v.file)} is not a file in the snapshot's folder`);
  }
}

/** Replaces each volume's content with the snapshot's. The instance's containers must be gone. */
export async function restoreVolumes(docker: Dockerode, snap: Snapshot, image: string): Promise<void> {
  for (const v of snap.volumes) {
    const file = path.join(snap.dir, v.file);
    await stat(file).catch(() => {
      throw new AxiError('NOT_FOUND', `snapshot ${snap.id} is missing ${file}`);
    });
    await docker
      .getVolume(v.name)
      .remove()
      .catch((err: { statusCode?: number; message: string }) => {
        if (err.statusCode !== 404) throw new AxiError('DOCKER', `cannot replace volume ${v.name}: ${err.message}`);
      });
    await docker.createVolume({ Name: v.name, Labels: v.labels });
    await withVolumeContainer(docker, v.name, image, snap.instance, async (c) => {
      // The archive's entries start with `volume/`, so extracting at / lands in the mounted volume.
      await c.putArchive(createReadStream(file), { path: '/' });
    });
  }
}
