import path from 'node:path';
import { engineLabel } from '../../shared/display/engine';
import type { InstanceRecord } from '../../core/registry/record';
import { cloneSupport } from '../data/cloneSupport';
import type { InstanceLifecycle } from '../lifecycle/lifecycle';

/** What one engine's volume storage can do, as `axi doctor` tells it. */
export interface EngineStorage {
  engine: string;
  fs?: string;
  clones?: boolean;
  /** Why it is not known (no instance's image to probe with, or the engine did not answer). */
  unknown?: string;
}

/** Each engine with registrations (the local one always): its file system and whether volumes clone. */
export async function engineStorage(
  lc: InstanceLifecycle,
  records: readonly InstanceRecord[],
): Promise<EngineStorage[]> {
  const engines = [null, ...new Set(records.flatMap((r) => (r.engine ? [r.engine] : [])))];
  const cacheFile = path.join(lc.service.paths.home, 'clone-support.json');
  const out: EngineStorage[] = [];
  for (const engine of engines) {
    const label = engineLabel(engine);
    const on = records.filter((r) => (r.engine ?? null) === engine);
    try {
      const { docker } = await lc.docker(engine);
      let image: string | undefined;
      for (const rec of on) {
        image = await lc.helperImage(docker, rec).catch(() => undefined);
        if (image) break;
      }
      if (!image) {
        out.push({ engine: label, unknown: 'no instance there has a helper image to probe with' });
        continue;
      }
      // `local` (this machine reaches the volume folders) is the copy's own business, not the doctor's.
      const { fs, clones } = await cloneSupport(docker, image, cacheFile);
      out.push({ engine: label, fs: fsName(fs), clones });
    } catch (err) {
      out.push({ engine: label, unknown: (err as Error).message });
    }
  }
  return out;
}

/** The file system as the user knows it: `stat -f` calls ext4 by its old magic number's name. */
export function fsName(fs: string): string {
  return fs === 'ext2/ext3' ? 'ext4 (or ext2/ext3)' : fs;
}

/** One line for `axi doctor` (its --json has the same names). */
export function storageLine(s: EngineStorage): string {
  if (s.unknown) return `engine ${s.engine}: volume storage not probed (${s.unknown})`;
  const fs = s.fs;
  return s.clones
    ? `engine ${s.engine}: volumes on ${fs}, clones available (data copies and snapshots are copy-on-write)`
    : `engine ${s.engine}: volumes on ${fs}, clones not available (data is copied)`;
}
