import { readFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { atomicWrite, privateHome } from './atomicWrite';
import { lockShared } from './fileLock';
import type { AxiPaths } from './paths';
import { readSettings, type Settings, type SettingsStore, type StoredSettings } from '../../shared/schemas/settings';

export const SETTINGS_FILE = 'settings.json';

/** The file as read: its object, or why it is not one (missing is an empty object, not a problem). */
type RawFile = { data: Record<string, unknown>; broken: null } | { data: null; broken: string };

/**
 * `$AXI_HOME/settings.json`: the settings of `axi serve` and the CLI. Written
 * whole through an atomic rename under a cross-process lock, so a reader sees
 * the old file or the new one, never half of either. A file that does not
 * parse reads as the defaults and says so; it is never overwritten silently:
 * the next change keeps it as `settings.json.broken` first and says that too.
 */
export class FileSettingsStore implements SettingsStore {
  readonly where: string;

  constructor(private readonly paths: Pick<AxiPaths, 'home'>) {
    this.where = path.join(paths.home, SETTINGS_FILE);
  }

  read(): StoredSettings {
    const raw = this.readRaw();
    if (raw.broken !== null)
      return { settings: readSettings(() => undefined, this.where).settings, problem: raw.broken };
    return readSettings((key) => raw.data[key], this.where);
  }

  async update(patch: Partial<Settings>): Promise<StoredSettings> {
    await privateHome(this.paths.home);
    const release = await lockShared({
      dir: this.paths.home,
      lockPath: path.join(this.paths.home, 'settings.lock'),
      what: 'settings',
    });
    try {
      const raw = this.readRaw();
      let kept: string | null = null;
      if (raw.broken !== null) {
        await copyFile(this.where, `${this.where}.broken`);
        kept = `${this.where} could not be read, so it was kept as ${this.where}.broken before this change was saved`;
      }
      // Keys this version does not know (a newer axi's) are kept as they were.
      const next = { ...(raw.data ?? {}), ...patch };
      await atomicWrite(this.where, JSON.stringify(next, null, 2) + '\n', { private: true });
      const after = this.read();
      return { settings: after.settings, problem: kept ?? after.problem };
    } finally {
      await release().catch(() => undefined);
    }
  }

  private readRaw(): RawFile {
    let text: string;
    try {
      text = readFileSync(this.where, 'utf8');
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') return { data: {}, broken: null };
      return { data: null, broken: `cannot read ${this.where} (${e.code ?? e.message}): the defaults are in use` };
    }
    const why = (what: string) =>
      `${this.where} ${what}: the defaults are in use; it is left as it is until a setting is changed (then kept as ${SETTINGS_FILE}.broken)`;
    let data: unknown;
    try {
      data = text.trim() === '' ? {} : JSON.parse(text);
    } catch (err) {
      return { data: null, broken: why(`is not valid JSON (${(err as Error).message})`) };
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data))
      return { data: null, broken: why('is not a JSON object') };
    return { data: data as Record<string, unknown>, broken: null };
  }
}
