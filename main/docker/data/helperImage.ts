import { readFile } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import { parsedYamlFile } from '../compose/parsedFile';
import { atomicWrite } from '../../core/registry/atomicWrite';
import { AxiError } from '../../shared/errors';
import { HELPER_LABEL } from '../../core/project/naming';
import { lastLines } from '../compose/logs';

/** What every helper container (snapshot, restore, data copy) runs; `AXI_HELPER_IMAGE` names another image. */
export const HELPER_TOOLS = ['sh', 'cp', 'find', 'stat', 'mkdir', 'rm', 'mv', 'chown', 'chmod'] as const;

// A constant script: each tool looked up, then a folder made and removed in /tmp (the copy's claims live there).
const PROBE_SCRIPT = [
  `for t in ${HELPER_TOOLS.slice(1).join(' ')}; do command -v "$t" >/dev/null 2>&1 || echo "lacks $t"; done`,
  'd=/tmp/axi-probe-$$; if mkdir "$d" 2>/dev/null; then rmdir "$d"; else echo "lacks a writable /tmp"; fi',
  'echo probed',
].join('; ');

/** Probe results by image id: the id is the hash of the image's content, so its tools are the same on any engine. */
const known = new Map<string, string[]>();

/** What the image lacks of the helper's needs (empty: it has them all). One short container, removed with its volumes. */
export async function probeImage(docker: Dockerode, image: string): Promise<string[]> {
  const c = await docker.createContainer({
    Image: image,
    Entrypoint: ['sh', '-c', PROBE_SCRIPT],
    Cmd: [],
    User: '0',
    Labels: { [HELPER_LABEL]: 'probe' },
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    try {
      await c.start();
    } catch {
      return ['a shell (sh)']; // the engine cannot exec the entrypoint
    }
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    const lines = await lastLines(docker, c.id, 20);
    if (StatusCode === 127 || StatusCode === 126) return ['a shell (sh)'];
    const lacks = lines.filter((l) => l.startsWith('lacks ')).map((l) => l.slice(6).trim());
    if (!lines.includes('probed') && !lacks.length) return [`a working shell (the probe exited ${StatusCode})`];
    return lacks;
  } finally {
    await c.remove({ force: true, v: true }).catch(() => undefined);
  }
}

async function readCache(file: string | undefined): Promise<Record<string, string[]>> {
  if (!file) return {};
  try {
    const o = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, string[]>) : {};
  } catch {
    return {};
  }
}

/** The probe's answer for one image, from the cache (this process's, then `cacheFile`) or a probe. */
async function lacksOf(docker: Dockerode, image: string, cacheFile?: string): Promise<string[] | undefined> {
  const id = await docker
    .getImage(image)
    .inspect()
    .then((i) => i.Id)
    .catch(() => undefined);
  if (!id) return undefined; // not on this engine: nothing is pulled
  const hit = known.get(id) ?? (await readCache(cacheFile))[id];
  if (Array.isArray(hit)) return (known.set(id, hit), hit);
  const lacks = await probeImage(docker, image);
  known.set(id, lacks);
  if (cacheFile) {
    const all = { ...(await readCache(cacheFile)), [id]: lacks };
    await atomicWrite(cacheFile, JSON.stringify(all) + '\n').catch(() => undefined); // a cache: losing it costs a probe
  }
  return lacks;
}

/**
 * The image a helper container runs: `AXI_HELPER_IMAGE` when set, else the first of the instance's own images
 * (its containers', then its compose file's) that is on the engine and has the helper's tools. Never some other
 * image found locally, never pulled. Refused with one line naming each image tried and what it lacks.
 */
export async function chooseHelperImage(
  docker: Dockerode,
  candidates: readonly (string | undefined)[],
  what: string,
  opts: { cacheFile?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  const forced = (opts.env ?? process.env).AXI_HELPER_IMAGE?.trim();
  const images = forced ? [forced] : [...new Set(candidates.filter((i): i is string => Boolean(i)))];
  const refused: string[] = [];
  for (const image of images) {
    const lacks = await lacksOf(docker, image, opts.cacheFile);
    if (lacks?.length === 0) return image;
    refused.push(lacks ? `${image} lacks ${lacks.join(', ')}` : `${image} is not on the engine`);
  }
  const fix = forced
    ? 'set AXI_HELPER_IMAGE to an image that has them'
    : 'start it once so its images are present, or set AXI_HELPER_IMAGE to an image that has them';
  throw new AxiError(
    'DOCKER',
    `cannot ${what}: ${refused.length ? refused.join('; ') : 'none of its images is known'} (a helper needs ${HELPER_TOOLS.join(', ')} and a writable /tmp); ${fix}`,
  );
}

/** The images a compose file names (interpolated ones left out: their value is Compose's to decide). */
export async function composeFileImages(file: string): Promise<string[]> {
  try {
    const doc = (await parsedYamlFile(file)) as { services?: Record<string, { image?: unknown }> } | null;
    return Object.values(doc?.services ?? {})
      .map((s) => s?.image)
      .filter((i): i is string => typeof i === 'string' && !i.includes('$'));
  } catch {
    return [];
  }
}
