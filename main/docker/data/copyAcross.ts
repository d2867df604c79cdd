import { Transform, type Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { HELPER_LABEL, INSTANCE_LABEL } from '../../core/project/naming';
import type { CopiedVolume, VolumePair } from './cloneData';
import { CopyFailed, whilePaused } from './cloneData';
import { HELPER_TOOLS } from './helperImage';
import { lastLines } from '../compose/logs';

/** One side of a copy between engines: its connection and the image its helper containers run. */
export interface CopySide {
  docker: Dockerode;
  image: string;
  /** The instance the helper containers are labelled with (cleanup knows them by it). */
  instance: string;
}

// Constant scripts (the volume is always at /volume). Before the copy: the tools checked (exit 70 touches
// nothing), then the target's old content, dot-files included, moved aside, to be deleted once the copy is
// verified. After it: each side's tally (entries, bytes of regular files), and on the target the old files deleted.
const CHECK = `for t in ${HELPER_TOOLS.slice(1).join(' ')}; do command -v "$t" >/dev/null 2>&1 || { echo "axi-lacks $t"; exit 70; }; done`;
const ASIDE_SCRIPT = [
  'set -e',
  CHECK,
  'rm -rf /volume/.axi-old-*; mkdir /volume/.axi-old-copy',
  'find /volume -mindepth 1 -maxdepth 1 ! -name .axi-old-copy -exec mv {} /volume/.axi-old-copy/ \\;',
].join('; ');
const TALLY_SCRIPT = [
  'set -e',
  CHECK,
  'find /volume -mindepth 1 ! -path "/volume/.axi-old-*" -exec stat -c "%F|%s" {} + > /tmp/axi-tally-$$; n=0; b=0',
  'while IFS="|" read -r t s; do n=$((n+1)); case "$t" in regular*) b=$((b+s)) ;; esac; done < /tmp/axi-tally-$$',
  'echo "axi-tally $n $b"',
].join('; ');
// The target's old files go only when its tally is the source's (AXI_WANT: two numbers, set by us).
const TALLY_AND_DROP_SCRIPT = `${TALLY_SCRIPT}; if [ "$n $b" = "$AXI_WANT" ]; then rm -rf /volume/.axi-old-copy || true; fi`;

async function helper(side: CopySide, volume: string, entrypoint: string[], readOnly: boolean, env: string[] = []) {
  return side.docker.createContainer({
    Image: side.image,
    Entrypoint: entrypoint,
    Cmd: [],
    Env: env,
    User: '0',
    Labels: { [INSTANCE_LABEL]: side.instance, [HELPER_LABEL]: 'clone-data' },
    HostConfig: { Binds: [`${volume}:/volume${readOnly ? ':ro' : ''}`], NetworkMode: 'none' },
  });
}

/** Runs a script to its end in `c`: its last line; a failure names the volume and that line. */
async function runScript(side: CopySide, c: Dockerode.Container, volume: string, step: string): Promise<string> {
  try {
    await c.start();
  } catch (err) {
    throw new CopyFailed(`${step} ${volume}: helper image ${side.image} cannot run: ${(err as Error).message}`, false);
  }
  const { StatusCode } = (await c.wait()) as { StatusCode: number };
  const last = (await lastLines(side.docker, c.id, 5)).pop()?.trim() ?? '';
  if (StatusCode === 70)
    throw new CopyFailed(`${step} ${volume} refused: helper image ${side.image} ${last.replace(/^axi-/, '')}`, false);
  if (StatusCode !== 0)
    throw new CopyFailed(`${step} ${volume} failed (exit ${StatusCode})${last ? `: ${last}` : ''}`, true);
  return last;
}

interface Figures {
  entries: number;
  bytes: number;
}

/** One side's tally of a volume (a new container each time: a container runs once). */
async function tally(side: CopySide, volume: string, made: Dockerode.Container[], want?: Figures): Promise<Figures> {
  const script = want ? TALLY_AND_DROP_SCRIPT : TALLY_SCRIPT;
  const c = await helper(
    side,
    volume,
    ['sh', '-c', script],
    !want,
    want ? [`AXI_WANT=${want.entries} ${want.bytes}`] : [],
  );
  made.push(c);
  const m = /^axi-tally (\d+) (\d+)$/.exec(await runScript(side, c, volume, 'counting'));
  if (!m) throw new CopyFailed(`counting ${volume} gave no figures`, true);
  return { entries: Number(m[1]), bytes: Number(m[2]) };
}

/** A pair's two containers: made, and the target emptied, before the source is paused. */
interface PreparedPair {
  pair: VolumePair;
  reader: Dockerode.Container;
  writer: Dockerode.Container;
}

async function prepare(from: CopySide, to: CopySide, pair: VolumePair, made: Dockerode.Container[]) {
  const reader = await helper(from, pair.from, ['/bin/true'], true);
  made.push(reader);
  const aside = await helper(to, pair.to, ['sh', '-c', ASIDE_SCRIPT], false);
  made.push(aside);
  await runScript(to, aside, pair.to, 'setting aside the old files of');
  const writer = await helper(to, pair.to, ['/bin/true'], false);
  made.push(writer);
  return { pair, reader, writer };
}

/** How long the stream may go without a byte before the copy is given up (a network that stalls without a reset). */
const STALL_MS = 60_000;

/**
 * One volume: the source's tar stream (the engine's archive API) piped into the target's container. A stream
 * that stalls is aborted, so the source is never left paused on a network that hangs.
 */
async function streamPair({ pair, reader, writer }: PreparedPair, stallMs: number): Promise<void> {
  const abort = new AbortController();
  let last = Date.now();
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      last = Date.now();
      cb(null, chunk);
    },
  });
  const watchdog = setInterval(
    () => {
      if (Date.now() - last > stallMs) abort.abort(new Error(`no data for ${Math.round(stallMs / 1000)} s`));
    },
    Math.min(5000, stallMs),
  );
  let archive: Readable | undefined;
  try {
    archive = (await reader.getArchive({ path: '/volume', abortSignal: abort.signal })) as Readable;
    archive.on('error', (err) => meter.destroy(err));
    archive.pipe(meter);
    // Entries start with `volume/`: extracted at / of the writer, they land in its mounted volume.
    await writer.putArchive(meter, { path: '/', abortSignal: abort.signal });
  } catch (err) {
    archive?.destroy(); // the source's side too: an open response would keep this process alive
    const why = abort.signal.aborted ? (abort.signal.reason as Error).message : (err as Error).message;
    throw new CopyFailed(`copying ${pair.from} → ${pair.to} between engines failed: ${why}`, true);
  } finally {
    clearInterval(watchdog);
  }
}

/**
 * Copies each pair from one engine to another. Neither engine can reach the other's volumes, so the
 * data passes through this process once, as a stream (never a file on this machine): the source's
 * archive read through a created container, written into the target's. The target's old content is
 * set aside first and deleted once both sides' tallies agree (the source's taken while still paused).
 * The containers in `pause` (the source's, on its engine) are paused only while the data is read and
 * counted, unpaused whatever happens. Resolves with each volume's figures and how long they stayed paused.
 */
export async function copyAcrossEngines(
  from: CopySide,
  to: CopySide,
  pairs: readonly VolumePair[],
  pause: readonly string[] = [],
  stallMs = STALL_MS,
): Promise<{ copied: CopiedVolume[]; pausedMs: number }> {
  const made: Dockerode.Container[] = [];
  try {
    const prepared: PreparedPair[] = [];
    for (const pair of pairs) prepared.push(await prepare(from, to, pair, made));
    const sources: Figures[] = [];
    const pausedMs = await whilePaused(from.docker, pause, async () => {
      for (const p of prepared) {
        await streamPair(p, stallMs);
        sources.push(await tally(from, p.pair.from, made));
      }
    });
    const copied: CopiedVolume[] = [];
    for (const [k, { pair }] of prepared.entries()) {
      const want = sources[k]!;
      const got = await tally(to, pair.to, made, want);
      if (got.entries !== want.entries || got.bytes !== want.bytes)
        throw new CopyFailed(
          `copying ${pair.from} → ${pair.to} between engines failed verification: ${pair.to} has ${got.entries} entries and ${got.bytes} bytes, ${pair.from} ${want.entries} and ${want.bytes}`,
          true,
        );
      copied.push({ ...pair, ...got });
    }
    return { copied, pausedMs };
  } finally {
    await Promise.all(made.map((c) => c.remove({ force: true, v: true }).catch(() => undefined)));
  }
}
