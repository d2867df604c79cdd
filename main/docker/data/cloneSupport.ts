import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import { atomicWrite } from '../../core/registry/atomicWrite';
import { HELPER_LABEL } from '../../core/project/naming';
import { reflinkCopy } from './hostClones';
import { lastLines } from '../compose/logs';

/** What an engine's volume storage can do: its file system, and whether a file copied between two volumes clones. */
export interface CloneSupport {
  /** As `stat -f` names it: btrfs, xfs, ext2/ext3 (ext4), zfs… */
  fs: string;
  clones: boolean;
  /**
   * This machine reaches the engine's volume folders (an engine here, its data root writable by this user): the
   * probe's token read back from the volume's Mountpoint, and this machine's cp cloned a file there.
   */
  local?: boolean;
}

// A constant script: a small file written in one volume, then copied to another with --reflink=always, which
// fails rather than copying where the file system cannot share blocks (or cp has no --reflink: busybox).
const PROBE_SCRIPT = [
  'fs=$(stat -f -c %T /a 2>/dev/null || echo unknown)',
  'head -c 65536 /dev/zero > /a/f 2>/dev/null || : > /a/f; printf %s "$AXI_TOKEN" > /a/axi-token',
  'if cp --reflink=always /a/f /b/f 2>/dev/null; then echo "axi-clone yes $fs"; else echo "axi-clone no $fs"; fi',
].join('; ');

/** Answers by engine and data root, for this process. */
const known = new Map<string, CloneSupport>();

/** Each connection's engine key, asked at most every 10 s: `docker info` is a slow call, and a copy asks it thrice. */
const keys = new WeakMap<Dockerode, { at: number; key: Promise<string> }>();

export async function engineKey(docker: Dockerode): Promise<string> {
  const hit = keys.get(docker);
  if (hit && Date.now() - hit.at < 10_000) return hit.key;
  const key = docker
    .info()
    .then((i: { ID?: string; DockerRootDir?: string }) => `${i.ID ?? '?'} ${i.DockerRootDir ?? '?'}`);
  keys.set(docker, { at: Date.now(), key });
  key.catch(() => keys.delete(docker));
  return key;
}

/** One probe: two throwaway volumes and one short container, all removed. */
export async function probeClones(docker: Dockerode, image: string): Promise<CloneSupport> {
  const tag = `axi-clone-probe-${process.pid}-${Date.now().toString(36)}`;
  const labels = { [HELPER_LABEL]: 'clone-probe' };
  const vols = [`${tag}-a`, `${tag}-b`];
  for (const Name of vols) await docker.createVolume({ Name, Labels: labels });
  try {
    const token = randomBytes(16).toString('hex');
    const c = await docker.createContainer({
      Image: image,
      Entrypoint: ['sh', '-c', PROBE_SCRIPT],
      Cmd: [],
      Env: [`AXI_TOKEN=${token}`],
      User: '0',
      Labels: labels,
      HostConfig: { Binds: [`${vols[0]}:/a`, `${vols[1]}:/b`], NetworkMode: 'none' },
    });
    try {
      await c.start();
      await c.wait();
      const line = (await lastLines(docker, c.id, 5)).map((l) => l.trim()).find((l) => l.startsWith('axi-clone '));
      const m = /^axi-clone (yes|no) (\S+)/.exec(line ?? '');
      const clones = m?.[1] === 'yes';
      return { fs: m?.[2] ?? 'unknown', clones, local: clones && (await reachesVolumes(docker, vols, token)) };
    } finally {
      await c.remove({ force: true, v: true }).catch(() => undefined);
    }
  } finally {
    for (const v of vols)
      await docker
        .getVolume(v)
        .remove()
        .catch(() => undefined);
  }
}

/** Whether the probe's volumes are folders of this machine that its own cp clones between. */
async function reachesVolumes(docker: Dockerode, vols: string[], token: string): Promise<boolean> {
  try {
    const [a, b] = await Promise.all(vols.map((v) => docker.getVolume(v).inspect()));
    if ((await readFile(path.join(a!.Mountpoint, 'axi-token'), 'utf8')) !== token) return false;
    await reflinkCopy(['--', path.join(a!.Mountpoint, 'f'), path.join(b!.Mountpoint, 'host-f')]);
    return true;
  } catch {
    return false; // another machine's engine, or its data root is not this user's
  }
}

async function readCache(file: string): Promise<Record<string, CloneSupport>> {
  try {
    const o = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, CloneSupport>) : {};
  } catch {
    return {};
  }
}

/**
 * Whether this engine's volumes can be cloned, remembered per engine id and data root (this process, then
 * `cacheFile`): one probe per engine ever, unless its data root moves. `AXI_CLONES=0` turns cloning off.
 */
export async function cloneSupport(
  docker: Dockerode,
  /** The helper image, for a probe (awaited only when the engine's answer is not known yet). */
  image: string | Promise<string>,
  cacheFile: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CloneSupport> {
  const key = await engineKey(docker);
  let found = known.get(key) ?? (await readCache(cacheFile))[key];
  // An answer from before `local` was asked is probed again, once.
  if (!found || typeof found.clones !== 'boolean' || (found.clones && typeof found.local !== 'boolean')) {
    // A probe that cannot run (no volume could be made) leaves the copy as it always was, and is not remembered.
    found = await Promise.resolve(image)
      .then((i) => probeClones(docker, i))
      .catch(() => undefined);
    if (!found) return { fs: 'unknown', clones: false };
    const all = { ...(await readCache(cacheFile)), [key]: found };
    await atomicWrite(cacheFile, JSON.stringify(all) + '\n').catch(() => undefined); // a cache: losing it costs a probe
  }
  known.set(key, found);
  return env.AXI_CLONES === '0' ? { ...found, clones: false } : found;
}

/** Whether this process reaches the engine's volume folders, as its probe found (this process's answer only). */
export async function hostReaches(docker: Dockerode, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (env.AXI_CLONES === '0') return false;
  return known.get(await engineKey(docker))?.local === true;
}

/** The answer already known for this engine, without a probe (for `axi doctor` on an engine never copied on). */
export async function knownCloneSupport(docker: Dockerode, cacheFile: string): Promise<CloneSupport | undefined> {
  const key = await engineKey(docker);
  return known.get(key) ?? (await readCache(cacheFile))[key];
}

/**
 * Whether one volume is on the engine's data root, where the probe's answer holds: the local driver without
 * options. A volume bound elsewhere (driver options) or of another driver is copied.
 */
export function volumeClones(
  info: { Driver?: string; Options?: Record<string, string> | null },
  support: CloneSupport,
): boolean {
  return support.clones && (info.Driver ?? 'local') === 'local' && !Object.keys(info.Options ?? {}).length;
}

/** Whether every one of `volumes` clones on this engine (a snapshot is then a clone, else archives). */
export async function clonesAll(
  docker: Dockerode,
  image: string,
  home: string,
  volumes: readonly string[],
): Promise<boolean> {
  const support = await cloneSupport(docker, image, path.join(home, 'clone-support.json'));
  if (!support.clones) return false;
  const infos = await Promise.all(volumes.map((v) => docker.getVolume(v).inspect()));
  return infos.every((i) => volumeClones(i, support));
}
