import type Dockerode from 'dockerode';
import { AxiError } from '../../shared/errors';
import { HELPER_LABEL, INSTANCE_LABEL, PROJECT_LABEL, VOLUME_KEY_LABEL } from '../../core/project/naming';
import { HELPER_TOOLS } from './helperImage';
import { lastLines } from '../compose/logs';

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

/**
 * A copy worker: `worker SOURCE I TARGET` copies each top-level entry of SOURCE into TARGET by one `cp -a`, once
 * it has claimed the entry by name (`mkdir $claims/I/NAME` is atomic: one worker wins). A claim by name holds
 * however the workers' listings differ (an entry added or gone between two globs) and whenever a worker runs
 * again: an entry is never copied twice, nor skipped for another's. Each copy adds a line to `$claims/I.copies`.
 * AXI_CLONE lists the volumes that clone (" 0 2 "): --reflink=always fails rather than copying, so a volume
 * decided as a clone is never half cloned, half copied. Needs `claims` set and `$claims/I` made.
 */
export const COPY_WORKER = [
  'worker() { for e in "$1"/* "$1"/.[!.]* "$1"/..?*; do [ -e "$e" ] || [ -L "$e" ] || continue',
  'n=${e##*/}; case "$n" in .axi-old-*) continue ;; esac',
  'if mkdir "$claims/$2/$n" 2>/dev/null; then case "$AXI_CLONE" in *" $2 "*) cp -a --reflink=always "$e" "$3/" ;; *) cp -a "$e" "$3/" ;; esac',
  'echo >> "$claims/$2.copies"',
  // A claim that failed with no claim there (not another worker's) fails the script: nothing is skipped silently.
  'elif [ ! -d "$claims/$2/$n" ]; then echo "axi-claim failed for an entry of volume $2"; exit 71; fi; done; }',
].join('; ');

// A constant script: volumes are mounted at numbered paths, so no name ever reaches the shell. It fails before
// touching anything when a tool or a writable /tmp (the claims) is missing. The target's old files are moved
// aside (a rename) and deleted only once the copy is verified. Four workers per volume (COPY_WORKER) share its
// top-level entries, so a database's table files and its WAL, two entries of about equal size, are copied at
// once. The folder's own owner and mode are set as `cp -a` of the folder would. Then each side is tallied
// (entries, and bytes of regular files) while the source is still paused, and the source's top-level entries,
// the claims and the copies must be as many: a difference exits 72 with the old files kept aside (deleted by
// DROP_OLD_SCRIPT only after a match). Hard links between two top-level entries (none in a Postgres or Redis
// volume) become two files.
const COPY_SCRIPT = [
  'set -e; pids=""',
  `for t in ${HELPER_TOOLS.slice(1).join(' ')}; do command -v "$t" >/dev/null 2>&1 || { echo "axi-lacks $t"; exit 70; }; done`,
  'claims=/tmp/axi-claims-$$; mkdir "$claims" 2>/dev/null && [ -d "$claims" ] || { echo "axi-lacks a writable /tmp"; exit 70; }',
  COPY_WORKER,
  // Entries, and bytes of regular files; names never printed. find's failure (an unreadable folder) fails the script.
  'tally() { find "$1" -mindepth 1 ! -path "$1/.axi-old-*" -exec stat -c "%F|%s" {} + > "$claims/t"; n=0; b=0',
  'while IFS="|" read -r t s; do n=$((n+1)); case "$t" in regular*) b=$((b+s)) ;; esac; done < "$claims/t"; echo "$n $b"; }',
  // Top-level entries of a folder (as the workers see them), and lines of a file.
  'tops() { c=0; for e in "$1"/* "$1"/.[!.]* "$1"/..?*; do if [ -e "$e" ] || [ -L "$e" ]; then case "${e##*/}" in .axi-old-*) ;; *) c=$((c+1)) ;; esac; fi; done; echo $c; }',
  'lines() { c=0; if [ -f "$1" ]; then while read -r _; do c=$((c+1)); done < "$1"; fi; echo $c; }',
  'for d in /from/*; do i=${d##*/}; old=/to/$i/.axi-old-copy; rm -rf /to/$i/.axi-old-*; mkdir "$old" "$claims/$i"',
  // Top-level entries only, one `mv` each: BusyBox's mv (Alpine images) has no -t.
  'find /to/$i -mindepth 1 -maxdepth 1 ! -name "${old##*/}" -exec mv {} "$old"/ \\;',
  'chown "$(stat -c %u:%g "$d")" /to/$i; chmod "$(stat -c %a "$d")" /to/$i',
  'for w in 1 2 3 4; do worker "$d" "$i" "/to/$i" & pids="$pids $!"; done',
  'done',
  'for p in $pids; do wait $p; done',
  'bad=0; for d in /from/*; do i=${d##*/}; s=$(tally "$d"); t=$(tally /to/$i)',
  'a=$(tops "$d"); m=$(tops "$claims/$i"); c=$(lines "$claims/$i.copies")',
  'if [ "$s" != "$t" ]; then echo "axi-mismatch $i $s $t"; bad=1',
  'elif [ "$a" != "$m" ] || [ "$m" != "$c" ]; then echo "axi-claims $i $a $m $c"; bad=1',
  'else echo "axi-copied $i $s"; fi; done',
  '[ $bad = 0 ] || exit 72',
].join('; ');

/** Run once the copy is verified and the source unpaused: deleting a large target's old files takes a while. */
const DROP_OLD_SCRIPT = 'rm -rf /to/*/.axi-old-copy';

/** A volume copied and verified: both sides hold `entries` entries and `bytes` bytes of regular files. */
export interface CopiedVolume extends VolumePair {
  entries: number;
  bytes: number;
  /** Cloned (copy-on-write, blocks shared until either side writes) rather than copied. */
  cloned?: boolean;
}

/** A copy that failed; `touched`: the target may hold part of it (restore it from the snapshot taken before). */
export class CopyFailed extends AxiError {
  constructor(
    message: string,
    readonly touched: boolean,
  ) {
    super('DOCKER', message);
  }
}

/** The script's figures (`axi-copied I N B`) per pair, or the mismatch it found, as one line. */
function readFigures(pairs: readonly VolumePair[], lines: readonly string[]): CopiedVolume[] | string {
  const bad = lines
    .map((l) => /^axi-mismatch (\d+) (\d+) (\d+) (\d+) (\d+)$/.exec(l.trim()))
    .filter((m) => m !== null)
    .map((m) => {
      const p = pairs[Number(m[1])]!;
      return `${p.to} has ${m[4]} entries and ${m[5]} bytes, ${p.from} ${m[2]} and ${m[3]}`;
    });
  const claims = lines
    .map((l) => /^axi-claims (\d+) (\d+) (\d+) (\d+)$/.exec(l.trim()))
    .filter((m) => m !== null)
    .map((m) => `${pairs[Number(m[1])]!.from} has ${m[2]} top-level entries, ${m[3]} claimed, ${m[4]} copied`);
  if (bad.length || claims.length) return [...bad, ...claims].join('; ');
  const figures = new Map(
    lines
      .map((l) => /^axi-copied (\d+) (\d+) (\d+)$/.exec(l.trim()))
      .filter((m) => m !== null)
      .map((m) => [Number(m[1]), { entries: Number(m[2]), bytes: Number(m[3]) }] as const),
  );
  if (pairs.some((_, i) => !figures.has(i))) return 'the copy reported no figures for some volumes';
  return pairs.map((p, i) => ({ ...p, ...figures.get(i)! }));
}

/**
 * Copies each pair inside the engine: one short-lived container of `image` (chosen and probed by
 * chooseHelperImage), with the sources mounted read-only and the targets writable. The data never passes
 * through this process. The containers in `pause` are paused only while it runs (created before, removed
 * after). Resolves with each volume's verified figures and how long the source stayed paused.
 */
export async function copyVolumes(
  docker: Dockerode,
  pairs: readonly VolumePair[],
  image: string,
  instance: string,
  pause: readonly string[] = [],
  /** Per pair, decided before the copy starts: clone it (`cp --reflink=always`). */
  clones: readonly boolean[] = [],
): Promise<{ copied: CopiedVolume[]; pausedMs: number }> {
  const c = await docker.createContainer({
    Image: image,
    Entrypoint: ['sh', '-c', COPY_SCRIPT],
    Cmd: [],
    Env: [`AXI_CLONE= ${pairs.flatMap((_, i) => (clones[i] ? [i] : [])).join(' ')} `],
    User: '0',
    Labels: { [INSTANCE_LABEL]: instance, [HELPER_LABEL]: 'clone-data' },
    HostConfig: {
      Binds: pairs.flatMap((p, i) => [`${p.from}:/from/${i}:ro`, `${p.to}:/to/${i}`]),
      NetworkMode: 'none',
    },
  });
  const what = pairs.map((p) => `${p.from} → ${p.to}`).join(', ');
  let copied: CopiedVolume[] = [];
  try {
    const pausedMs = await whilePaused(docker, pause, async () => {
      try {
        await c.start();
      } catch (err) {
        throw new CopyFailed(
          `copying ${what} failed: helper image ${image} cannot run: ${(err as Error).message}`,
          false,
        );
      }
      const { StatusCode } = (await c.wait()) as { StatusCode: number };
      const lines = await lastLines(docker, c.id, 2 * pairs.length + 10);
      const last = lines[lines.length - 1]?.trim();
      if (StatusCode === 70)
        throw new CopyFailed(`copying ${what} refused: helper image ${image} ${last?.replace(/^axi-/, '')}`, false);
      const figures = StatusCode === 0 || StatusCode === 72 ? readFigures(pairs, lines) : undefined;
      if (typeof figures === 'string') throw new CopyFailed(`copying ${what} failed verification: ${figures}`, true);
      if (StatusCode !== 0 || !figures)
        throw new CopyFailed(`copying ${what} failed (exit ${StatusCode})${last ? `: ${last}` : ''}`, true);
      copied = figures.map((f, i) => ({ ...f, cloned: Boolean(clones[i]) }));
    });
    await dropOldFiles(docker, pairs, image, instance);
    return { copied, pausedMs };
  } finally {
    await c.remove({ force: true, v: true }).catch(() => undefined);
  }
}

/**
 * The targets' old files, set aside by a copy now verified, deleted by a container that removes itself (and its
 * anonymous volumes) when done: nobody waits for it (~0.6 s for 1.4 GB). Should it not finish, the next copy
 * deletes what is left before it starts.
 */
async function dropOldFiles(docker: Dockerode, pairs: readonly VolumePair[], image: string, instance: string) {
  try {
    const c = await docker.createContainer({
      Image: image,
      Entrypoint: ['sh', '-c', DROP_OLD_SCRIPT],
      Cmd: [],
      User: '0',
      Labels: { [INSTANCE_LABEL]: instance, [HELPER_LABEL]: 'clone-data' },
      HostConfig: { Binds: pairs.map((p, i) => `${p.to}:/to/${i}`), NetworkMode: 'none', AutoRemove: true },
    });
    await c.start();
  } catch {
    // Only disk is lost: the next copy deletes them first.
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
