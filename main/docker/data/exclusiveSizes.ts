import { spawn } from 'node:child_process';
import type Dockerode from 'dockerode';
import { HELPER_LABEL } from '../../core/project/naming';
import { STORE_VOLUME, storeDir } from './cloneSnapshots';
import { lastLines } from '../compose/logs';
import type { InstanceLifecycle } from '../lifecycle/lifecycle';
import type { Snapshot } from './snapshots';

/**
 * What folders really cost on a copy-on-write file system (issue 27): the bytes of their extents shared with no
 * other file (what deleting them frees), beside all their extents. Read through FIEMAP by `filefrag -v`, which
 * flags an extent `shared` on btrfs and on XFS with reflink alike. Where filefrag is missing the answer is
 * "apparent only" (undefined), never a guess.
 */
export interface ExclusiveSize {
  /** Bytes of all the extents of its regular files. */
  allocated: number;
  /** Bytes of the extents no other file shares. */
  exclusive: number;
}

// A constant script over the folders in "$@"; names never printed. An inline extent (btrfs keeps small files in
// its metadata) counts as the file's size and is never shared.
const AWK = [
  '/^File size of / { sz = $0; sub(/.* is /, "", sz); sz += 0; bs = $0; sub(/.* of /, "", bs); bs += 0; next }',
  '/^ *[0-9]+: / { n = split($0, f, ":"); fl = f[n]; b = (fl ~ /inline/) ? sz : (f[4] + 0) * bs',
  'all += b; if (fl !~ /shared/) own += b }',
  'END { printf "%.0f %.0f\\n", all, own }',
].join('\n');
export const EXCLUSIVE_SCRIPT = [
  'command -v filefrag >/dev/null 2>&1 || { echo axi-apparent-only; exit 0; }',
  'sync -f "$1" 2>/dev/null || sync; i=0',
  `for d in "$@"; do echo "axi-size $i $(find "$d" -type f -exec filefrag -v {} + 2>/dev/null | awk '${AWK}')"; i=$((i+1)); done`,
].join('; ');

/** The script's lines → a size per folder index; undefined where filefrag is missing. */
export function readExclusive(lines: readonly string[], count: number): (ExclusiveSize | undefined)[] {
  const found = new Map<number, ExclusiveSize>();
  for (const l of lines) {
    const m = /^axi-size (\d+) (\d+) (\d+)$/.exec(l.trim());
    if (m) found.set(Number(m[1]), { allocated: Number(m[2]), exclusive: Number(m[3]) });
  }
  return Array.from({ length: count }, (_, i) => found.get(i));
}

/** Each volume's size in one short helper container, the volumes mounted read-only at numbered paths. */
export async function volumeExclusiveSizes(
  docker: Dockerode,
  image: string,
  volumes: readonly string[],
  /** A folder inside each volume to measure instead of the whole (the snapshot store's per-snapshot folder). */
  sub: readonly string[] = [],
): Promise<(ExclusiveSize | undefined)[]> {
  if (!volumes.length) return [];
  const c = await docker.createContainer({
    Image: image,
    Entrypoint: ['sh', '-c', EXCLUSIVE_SCRIPT, 'sh', ...volumes.map((_, i) => `/m/${i}${sub[i] ? `/${sub[i]}` : ''}`)],
    Cmd: [],
    User: '0',
    Labels: { [HELPER_LABEL]: 'sizes' },
    HostConfig: { Binds: volumes.map((v, i) => `${v}:/m/${i}:ro`), NetworkMode: 'none' },
  });
  try {
    await c.start();
    await c.wait();
    return readExclusive(await lastLines(docker, c.id, volumes.length + 5), volumes.length);
  } finally {
    await c.remove({ force: true, v: true }).catch(() => undefined);
  }
}

/** The same on this machine, for folders it reaches (an engine whose data root is here: see hostClones.ts). */
export function hostExclusiveSizes(folders: readonly string[]): Promise<(ExclusiveSize | undefined)[]> {
  return new Promise((resolve) => {
    if (!folders.length) return resolve([]);
    const child = spawn('sh', ['-c', EXCLUSIVE_SCRIPT, 'sh', ...folders], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', () => resolve(folders.map(() => undefined)));
    child.on('close', () => resolve(readExclusive(out.split('\n'), folders.length)));
  });
}

/** A clone snapshot whose store folder is a safe path (any other is apparent only). */
function inStore(s: Snapshot): boolean {
  try {
    return s.kind === 'clone' && Boolean(storeDir(s.instance, s.id));
  } catch {
    return false;
  }
}

/**
 * An instance's snapshots, each with what deleting it frees (`axi snapshots`, the window's Snapshots dialog): an
 * archive's files are its own; a clone snapshot's folders in the store are measured, in one helper container
 * (null where they cannot be: apparent only).
 */
export async function snapshotsWithOwn(
  lc: Pick<InstanceLifecycle, 'service' | 'snapshots' | 'docker' | 'helperImage'>,
  name: string,
): Promise<{ snapshot: Snapshot; ownBytes: number | null }[]> {
  const rec = await lc.service.find(name);
  const snaps = await lc.snapshots(name);
  const clones = snaps.filter(inStore);
  let sizes: (ExclusiveSize | undefined)[] = [];
  if (clones.length) {
    const { docker } = await lc.docker(rec);
    sizes = await lc
      .helperImage(docker, rec)
      .then((image) =>
        volumeExclusiveSizes(
          docker,
          image,
          clones.map(() => STORE_VOLUME),
          clones.map((s) => storeDir(s.instance, s.id)),
        ),
      )
      .catch(() => []);
  }
  return snaps.map((snapshot) => {
    if (snapshot.kind !== 'clone') return { snapshot, ownBytes: snapshot.volumes.reduce((n, v) => n + v.bytes, 0) };
    const k = clones.indexOf(snapshot);
    return { snapshot, ownBytes: k < 0 ? null : (sizes[k]?.exclusive ?? null) };
  });
}
