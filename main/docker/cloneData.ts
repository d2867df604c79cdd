import type Dockerode from 'dockerode';
import { AxiError } from '../core/errors';
import { HELPER_LABEL, INSTANCE_LABEL, PROJECT_LABEL, VOLUME_KEY_LABEL } from '../core/naming';
import { lastLines } from './logs';

/** A volume of one instance with the compose key it was made for (`postgres_data`). */
export interface InstanceVolume {
  name: string;
  key: string;
}

export interface VolumePair {
  key: string;
  from: string;
  to: string;
}

/**
 * Source volumes matched to the target's by compose key: the AegisX stack's `alpha_postgres_data` →
 * `beta_postgres_data`, a `--from` stack's `shop_dbdata` → `shop_feature_x_dbdata`. What matches
 * nothing on either side is listed and left alone.
 */
export function pairVolumes(
  source: readonly InstanceVolume[],
  target: readonly InstanceVolume[],
): { pairs: VolumePair[]; unmatched: string[] } {
  const byKey = new Map(target.map((v) => [v.key, v.name]));
  const pairs = source
    .filter((v) => byKey.has(v.key))
    .map((v) => ({ key: v.key, from: v.name, to: byKey.get(v.key)! }));
  const paired = new Set(pairs.flatMap((p) => [p.from, p.to]));
  const unmatched = [...source, ...target].filter((v) => !paired.has(v.name)).map((v) => v.name);
  return { pairs, unmatched };
}

/** The volumes Compose made for a project, with their keys (read from the engine's labels, never guessed). */
export async function projectVolumes(docker: Dockerode, project: string): Promise<InstanceVolume[]> {
  const { Volumes } = await docker.listVolumes({ filters: JSON.stringify({ label: [`${PROJECT_LABEL}=${project}`] }) });
  return (Volumes ?? [])
    .filter((v) => v.Labels?.[PROJECT_LABEL] === project && v.Labels?.[VOLUME_KEY_LABEL])
    .map((v) => ({ name: v.Name, key: v.Labels[VOLUME_KEY_LABEL]! }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

// A constant script: volumes are mounted at numbered paths, so no name ever reaches the shell. The target's
// old files are moved aside (a rename) and deleted while the copy runs, not before it; what a failed copy left
// aside is ours to delete first, and never copied. Four workers per volume copy its top-level entries, each
// entry by one `cp -a`: a worker takes the next entry no other worker has claimed (mkdir is the atomic claim),
// so a database's table files and its WAL, two entries of about equal size, are copied at once and the copy
// uses the cores one `cp -a` leaves idle. The folder's own owner and mode are set as `cp -a` of the folder
// would. Hard links between two top-level entries (none in a Postgres or Redis volume) become two files. A
// failed `cp` fails the script; a failed delete of old files does not.
const COPY_SCRIPT = [
  'set -e; pids=""',
  'worker() { k=0; for e in "$1"/* "$1"/.[!.]* "$1"/..?*; do [ -e "$e" ] || [ -L "$e" ] || continue',
  'case "${e##*/}" in .axi-old-*) continue ;; esac; k=$((k+1))',
  'if mkdir "/tmp/axi-claim-$2-$k" 2>/dev/null; then cp -a "$e" "/to/$2/"; fi; done; }',
  'for d in /from/*; do i=${d##*/}; old=/to/$i/.axi-old-copy; rm -rf /to/$i/.axi-old-*; mkdir "$old"',
  // Top-level entries only, one `mv` each: BusyBox's mv (Alpine images) has no -t.
  'find /to/$i -mindepth 1 -maxdepth 1 ! -name "${old##*/}" -exec mv {} "$old"/ \\;',
  '(rm -rf "$old") & chown "$(stat -c %u:%g "$d")" /to/$i; chmod "$(stat -c %a "$d")" /to/$i',
  'for w in 1 2 3 4; do worker "$d" "$i" & pids="$pids $!"; done',
  'done',
  'for p in $pids; do wait $p; done',
  'wait',
].join('; ');

/**
 * Copies each pair inside the engine: one short-lived container of an image already present, with
 * the sources mounted read-only and the targets writable. The data never passes through this process.
 * The containers in `pause` are paused only while it runs (created before, removed after); resolves
 * with how long they stayed paused.
 */
export async function copyVolumes(
  docker: Dockerode,
  pairs: readonly VolumePair[],
  image: string,
  instance: string,
  pause: readonly string[] = [],
): Promise<number> {
  const c = await docker.createContainer({
    Image: image,
    Entrypoint: ['sh', '-c', COPY_SCRIPT],
    Cmd: [],
    User: '0',
    Labels: { [INSTANCE_LABEL]: instance, [HELPER_LABEL]: 'clone-data' },
    HostConfig: {
      Binds: pairs.flatMap((p, i) => [`${p.from}:/from/${i}:ro`, `${p.to}:/to/${i}`]),
      NetworkMode: 'none',
    },
  });
  try {
    return await whilePaused(docker, pause, async () => {
      await c.start();
      const { StatusCode } = (await c.wait()) as { StatusCode: number };
      if (StatusCode !== 0) {
        const last = (await lastLines(docker, c.id, 5)).pop()?.trim();
        throw new AxiError(
          'DOCKER',
          `copying ${pairs.map((p) => `${p.from} → ${p.to}`).join(', ')} failed (exit ${StatusCode})${last ? `: ${last}` : ''}`,
        );
      }
    });
  } finally {
    await c.remove({ force: true, v: false }).catch(() => undefined);
  }
}

/**
 * Runs `fn` with the running containers paused (a crash-consistent copy, which Postgres and Redis
 * recover from), and unpauses them whatever happens. Resolves with how long they stayed paused.
 */
export async function whilePaused(
  docker: Dockerode,
  containerIds: readonly string[],
  fn: () => Promise<void>,
): Promise<number> {
  const paused: Dockerode.Container[] = [];
  const t0 = Date.now();
  try {
    // All at once: each pause is a round trip to the engine, and the copy waits for the last.
    const results = await Promise.allSettled(
      containerIds.map(async (id) => {
        const c = docker.getContainer(id);
        await c.pause();
        paused.push(c);
      }),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    await fn();
  } finally {
    await Promise.all(paused.map((c) => c.unpause().catch(() => undefined)));
  }
  return Date.now() - t0;
}
