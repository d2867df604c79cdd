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

/** One volume: the source's tar stream (the engine's archive API) piped into the target's container. */
async function copyOne(from: CopySide, to: CopySide, pair: VolumePair): Promise<void> {
  const reader = await helper(from, pair.from, ['/bin/true'], true);
  const writer = await helper(to, pair.to, ['sh', '-c', EMPTY_SCRIPT], false);
  try {
    await emptyVolume(to.docker, writer, pair.to);
    // Entries start with `volume/`: extracted at / of the writer, they land in its mounted volume.
    const archive = await reader.getArchive({ path: '/volume' });
    await writer.putArchive(archive, { path: '/' });
  } catch (err) {
    if (err instanceof AxiError) throw err;
    throw new AxiError('DOCKER', `copying ${pair.from} → ${pair.to} between engines failed: ${(err as Error).message}`);
  } finally {
    await Promise.all([
      reader.remove({ force: true, v: false }).catch(() => undefined),
      writer.remove({ force: true, v: false }).catch(() => undefined),
    ]);
  }
}

/**
 * Copies each pair from one engine to another. Neither engine can reach the other's volumes, so the
 * data passes through this process once, as a stream (never a file on this machine): the source's
 * archive read through a created container, written into the target's after its old content is
 * removed. The containers in `pause` (the source's, on its engine) stay paused only while the data is
 * read and are unpaused whatever happens. Resolves with how long they stayed paused.
 */
export async function copyAcrossEngines(
  from: CopySide,
  to: CopySide,
  pairs: readonly VolumePair[],
  pause: readonly string[] = [],
): Promise<number> {
  return whilePaused(from.docker, pause, async () => {
    for (const pair of pairs) await copyOne(from, to, pair);
  });
}
