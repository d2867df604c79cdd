import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { AxiError } from '../../shared/errors';
import { HELPER_LABEL, INSTANCE_LABEL } from '../../core/project/naming';
import { hostReaches } from './cloneSupport';
import { timed } from '../../core/util/debug';
import { hostFolders } from './hostClones';
import { restoreOnHost, snapshotOnHost, unmoveOnHost } from './hostSnapshots';
import { lastLines } from '../compose/logs';
import { restoreVolumes, snapshotId, type Snapshot, type SnapshotOptions, type SnapshotVolume } from './snapshots';

/**
 * Snapshots as clones (issue 27): where the engine's volumes clone, a snapshot is a cloned folder per volume in a
 * store on the same file system, a volume of this tool's, so it costs metadata only. The manifest stays on this
 * machine in the snapshot's folder, as an archive snapshot's does, and restore trusts it no more (see
 * assertSnapshotBelongs): the store's folder is derived from the instance and the snapshot's id, never read from
 * the manifest, and each volume's `file` there is a number.
 */
export const STORE_VOLUME = 'axi-snapshot-store';
const SAFE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

// Constant scripts; the store folder comes in AXI_DIR (`instance/id`, both checked against SAFE) and the volumes
// at numbered paths. The store is root's, mode 0700: nothing but root in a container reads it.
const TALLY = 'b=0; for s in $(find "$1" -type f -exec stat -c %s {} +); do b=$((b+s)); done; echo $b';
const TAKE_SCRIPT = [
  'set -e; umask 077; chmod 700 /store',
  `bytes() { ${TALLY}; }`,
  'p="/store/$AXI_DIR.partial"; rm -rf "$p"; mkdir -p "$p"',
  'for d in /from/*; do cp -a --reflink=always "$d" "$p/${d##*/}"; echo "axi-snap ${d##*/} $(bytes "$d")"; done',
  'rm -rf "/store/$AXI_DIR"; mv "$p" "/store/$AXI_DIR"; echo axi-done',
].join('; ');
// All the snapshot's folders are checked before any volume is touched; each volume is then emptied and its
// folder cloned in, the volume's own owner and mode set as the snapshot's.
const RESTORE_SCRIPT = [
  'set -e; s=/store/$AXI_DIR',
  'for f in $AXI_FILES; do [ -d "$s/$f" ] || { echo "axi-missing $f"; exit 73; }; done',
  'i=0; for f in $AXI_FILES; do find /to/$i -mindepth 1 -maxdepth 1 -exec rm -rf {} +',
  'find "$s/$f" -mindepth 1 -maxdepth 1 -exec cp -a --reflink=always {} /to/$i/ \\;',
  'chown "$(stat -c %u:%g "$s/$f")" /to/$i; chmod "$(stat -c %a "$s/$f")" /to/$i; i=$((i+1)); done',
].join('; ');
const DROP_SCRIPT = 'rm -rf "/store/$AXI_DIR" "/store/$AXI_DIR.partial"';

/** A snapshot's folder in the store, `instance/id`, both checked: the only store path any script is given. */
export function storeDir(instance: string, id: string): string {
  if (!SAFE.test(instance) || !SAFE.test(id))
    throw new AxiError(
      'BAD_INPUT',
      `snapshot ${JSON.stringify(id)} of ${JSON.stringify(instance)}: not a store folder`,
    );
  return `${instance}/${id}`;
}

/** Runs a constant script in one short helper container; its output lines (the failure's last line in the error). */
async function runHelper(
  docker: Dockerode,
  image: string,
  instance: string,
  script: string,
  binds: string[],
  env: string[],
  what: string,
): Promise<string[]> {
  const c = await docker.createContainer({
    Image: image,
    Entrypoint: ['sh', '-c', script],
    Cmd: [],
    Env: env,
    User: '0',
    Labels: { [INSTANCE_LABEL]: instance, [HELPER_LABEL]: 'snapshot' },
    HostConfig: { Binds: binds, NetworkMode: 'none' },
  });
  try {
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    const lines = (await lastLines(docker, c.id, 200)).map((l) => l.trim());
    if (StatusCode !== 0) {
      const last = lines[lines.length - 1] ?? '';
      throw new AxiError('DOCKER', `${what} failed (exit ${StatusCode})${last ? `: ${last}` : ''}`);
    }
    return lines;
  } finally {
    await c.remove({ force: true, v: true }).catch(() => undefined);
  }
}

async function ensureStore(docker: Dockerode): Promise<void> {
  await docker.createVolume({ Name: STORE_VOLUME, Labels: { [HELPER_LABEL]: 'snapshot-store' } });
}

/**
 * A clone snapshot of `volumes`, all in one helper container or on this machine; the manifest written last, as
 * takeSnapshot does. `move`: volumes whose data is replaced next (clone-data's targets): on this machine their
 * files are moved in, not cloned, and the result's `moved` names them (empty now). Any failure puts them back.
 */
export async function takeCloneSnapshot(
  docker: Dockerode,
  opts: SnapshotOptions & { move?: readonly string[] },
): Promise<Snapshot> {
  const now = opts.now ?? new Date();
  const id = snapshotId(now);
  const rel = storeDir(opts.instance, id);
  const dir = path.join(opts.root, opts.instance, id);
  const partial = `${dir}.partial`;
  await mkdir(partial, { recursive: true, mode: 0o700 });
  for (const d of [opts.root, path.dirname(dir), partial]) await chmod(d, 0o700);
  let stored: Stored | undefined;
  try {
    await timed('store', () => ensureStore(docker));
    // Side by side: the volumes' labels (for the manifest) and the clone itself, both settled before going on.
    const infos = Promise.all(opts.volumes.map((v) => docker.getVolume(v).inspect()));
    infos.catch(() => undefined);
    stored = await cloneIntoStore(docker, opts, rel);
    const labels = await infos;
    const volumes: SnapshotVolume[] = opts.volumes.map((name, i) => ({
      name,
      labels: labels[i]!.Labels ?? {},
      file: String(i),
      bytes: stored!.bytes.get(String(i)) ?? 0,
    }));
    const snap = {
      id,
      instance: opts.instance,
      createdAt: now.toISOString(),
      reason: opts.reason,
      kind: 'clone' as const,
      volumes,
    };
    await writeFile(path.join(partial, 'manifest.json'), JSON.stringify(snap, null, 2) + '\n', { mode: 0o600 });
    await rename(partial, dir);
    const moved = opts.volumes.filter((_, i) => stored!.moved[i]);
    return { ...snap, dir, ...(moved.length ? { moved } : {}) };
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    // Moved files go back before the store's folder is deleted: they are the volumes' only copy.
    if (stored?.host && stored.moved.some(Boolean))
      await unmoveOnHost(stored.host.store, rel, stored.host.dirs, stored.moved);
    await dropCloneSnapshot(docker, { instance: opts.instance, id }, opts.image).catch(() => undefined);
    throw err;
  }
}

interface Stored {
  /** Bytes per volume, by its number. */
  bytes: Map<string, number>;
  /** Per volume: its files moved into the store (on this machine only). */
  moved: boolean[];
  host?: { store: string; dirs: string[] };
}

/** Each volume's folder cloned (or moved) into the store's `rel` folder, on this machine where it can. */
async function cloneIntoStore(
  docker: Dockerode,
  opts: { instance: string; volumes: readonly string[]; image: string; move?: readonly string[] },
  rel: string,
): Promise<Stored> {
  const host = await timed('on host', () => onHost(docker, opts.volumes));
  if (host) {
    const move = opts.volumes.map((v) => Boolean(opts.move?.includes(v)));
    const { bytes, moved } = await snapshotOnHost(host.store, rel, host.dirs, move);
    return { bytes: new Map(bytes.map((b, i) => [String(i), b])), moved, host };
  }
  const binds = [...opts.volumes.map((v, i) => `${v}:/from/${i}:ro`), `${STORE_VOLUME}:/store`];
  const lines = await runHelper(docker, opts.image, opts.instance, TAKE_SCRIPT, binds, [`AXI_DIR=${rel}`], 'cloning');
  if (!lines.includes('axi-done')) throw new AxiError('DOCKER', 'the clone snapshot did not finish');
  const bytes = new Map(
    lines.flatMap((l) => {
      const m = /^axi-snap (\d+) (\d+)$/.exec(l);
      return m ? [[m[1]!, Number(m[2])] as const] : [];
    }),
  );
  return { bytes, moved: [] };
}

/** The store's and the volumes' folders when this machine reaches them (see hostClones.ts). */
async function onHost(docker: Dockerode, volumes: readonly string[]) {
  const dirs = await hostFolders(docker, [STORE_VOLUME, ...volumes], await hostReaches(docker));
  return dirs && { store: dirs[0]!, dirs: dirs.slice(1) };
}

/** Each volume emptied and the snapshot's clone put in; a volume that is gone is made again with its labels. */
export async function restoreCloneSnapshot(docker: Dockerode, snap: Snapshot, image: string): Promise<void> {
  const rel = storeDir(snap.instance, snap.id);
  await Promise.all(
    snap.volumes.map(async (v) => {
      const exists = await docker
        .getVolume(v.name)
        .inspect()
        .then(() => true)
        .catch(() => false);
      if (!exists) await docker.createVolume({ Name: v.name, Labels: v.labels });
    }),
  );
  const host = await onHost(
    docker,
    snap.volumes.map((v) => v.name),
  );
  if (host)
    return restoreOnHost(
      host.store,
      rel,
      snap.volumes.map((v) => v.file), // numbers only (assertSnapshotBelongs)
      host.dirs,
    );
  const binds = [...snap.volumes.map((v, i) => `${v.name}:/to/${i}`), `${STORE_VOLUME}:/store:ro`];
  const files = snap.volumes.map((v) => v.file).join(' '); // numbers only (assertSnapshotBelongs)
  await runHelper(
    docker,
    image,
    snap.instance,
    RESTORE_SCRIPT,
    binds,
    [`AXI_DIR=${rel}`, `AXI_FILES=${files}`],
    `restoring snapshot ${snap.id}`,
  ).catch((err: Error) => {
    throw /axi-missing/.test(err.message)
      ? new AxiError('NOT_FOUND', `snapshot ${snap.id} is missing its clone in volume ${STORE_VOLUME}`)
      : err;
  });
}

/** Deletes a clone snapshot's folders in the store (the manifest's folder is removeSnapshotDir's). */
export async function dropCloneSnapshot(
  docker: Dockerode,
  snap: Pick<Snapshot, 'instance' | 'id'>,
  image: string,
): Promise<void> {
  const rel = storeDir(snap.instance, snap.id);
  const host = await onHost(docker, []);
  if (host) {
    for (const d of [rel, `${rel}.partial`]) await rm(path.join(host.store, d), { recursive: true, force: true });
    return;
  }
  await runHelper(
    docker,
    image,
    snap.instance,
    DROP_SCRIPT,
    [`${STORE_VOLUME}:/store`],
    [`AXI_DIR=${rel}`],
    `deleting snapshot ${snap.id}`,
  );
}

/** Replaces each volume's content with the snapshot's, whichever its kind. The instance's containers must be gone. */
export async function restoreSnapshot(docker: Dockerode, snap: Snapshot, image: string): Promise<void> {
  return snap.kind === 'clone' ? restoreCloneSnapshot(docker, snap, image) : restoreVolumes(docker, snap, image);
}
