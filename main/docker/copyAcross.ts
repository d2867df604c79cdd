import { Transform, type Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { AxiError } from '../core/errors';
import { HELPER_LABEL, INSTANCE_LABEL } from '../core/naming';
import type { VolumePair } from './cloneData';
import { whilePaused } from './cloneData';
import { lastLines } from './logs';

/** One side of a copy between engines: its connection and the image its helper containers run. */
export interface CopySide {
  docker: Dockerode;
  image: string;
  /** The instance the helper containers are labelled with (cleanup knows them by it). */
  instance: string;
}

// A constant script (the volume is always at /volume): the target's old content goes before the new
// arrives, dot-files included, the mount point itself kept.
const EMPTY_SCRIPT = 'find /volume -mindepth 1 -maxdepth 1 -exec rm -rf {} +';

async function helper(side: CopySide, volume: string, entrypoint: string[], readOnly: boolean) {
  return side.docker.createContainer({
    Image: side.image,
    Entrypoint: entrypoint,
    Cmd: [],
    User: '0',
    Labels: { [INSTANCE_LABEL]: side.instance, [HELPER_LABEL]: 'clone-data' },
    HostConfig: { Binds: [`${volume}:/volume${readOnly ? ':ro' : ''}`], NetworkMode: 'none' },
  });
}

/** Runs the target's emptying script to its end in `c`; a failure names the volume and the script's last line. */
async function emptyVolume(docker: Dockerode, c: Dockerode.Container, volume: string): Promise<void> {
  await c.start();
  const { StatusCode } = (await c.wait()) as { StatusCode: number };
  if (StatusCode === 0) return;
  const last = (await lastLines(docker, c.id, 5)).pop()?.trim();
  throw new AxiError(
    'DOCKER',
    `emptying volume ${volume} before the copy failed (exit ${StatusCode})${last ? `: ${last}` : ''}`,
  );
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
  const writer = await helper(to, pair.to, ['sh', '-c', EMPTY_SCRIPT], false);
  made.push(writer);
  await emptyVolume(to.docker, writer, pair.to);
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
    throw new AxiError('DOCKER', `copying ${pair.from} → ${pair.to} between engines failed: ${why}`);
  } finally {
    clearInterval(watchdog);
  }
}

/**
 * Copies each pair from one engine to another. Neither engine can reach the other's volumes, so the
 * data passes through this process once, as a stream (never a file on this machine): the source's
 * archive read through a created container, written into the target's. The target's old content is
 * removed first (its snapshot was taken before), and the containers in `pause` (the source's, on its
 * engine) are paused only while the data is read, unpaused whatever happens. Resolves with how long
 * they stayed paused.
 */
export async function copyAcrossEngines(
  from: CopySide,
  to: CopySide,
  pairs: readonly VolumePair[],
  pause: readonly string[] = [],
  stallMs = STALL_MS,
): Promise<number> {
  const made: Dockerode.Container[] = [];
  try {
    const prepared: PreparedPair[] = [];
    for (const pair of pairs) prepared.push(await prepare(from, to, pair, made));
    return await whilePaused(from.docker, pause, async () => {
      for (const p of prepared) await streamPair(p, stallMs);
    });
  } finally {
    await Promise.all(made.map((c) => c.remove({ force: true, v: false }).catch(() => undefined)));
  }
}
