import * as v from 'valibot';
import {
  checkSetting,
  DEFAULT_SETTINGS,
  readSettings,
  SHARED_SETTING_KEYS,
  type SettingKey,
  type Settings,
  type SettingsStore,
  type StoredSettings,
} from '../shared/schemas/settings';
import type { Bounds } from './windowPolicy';

/** What electron-store gives us; injected so the rules run in plain Node tests. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /** The file electron-store keeps it in. */
  readonly path?: string;
}

const BoundsSchema = v.object({
  x: v.optional(v.number()),
  y: v.optional(v.number()),
  width: v.number(),
  height: v.number(),
});

const isShared = (key: string) => (SHARED_SETTING_KEYS as readonly string[]).includes(key);

/**
 * The desktop app's settings: what `axi` shares (the Docker endpoint, the
 * default bind) in `$AXI_HOME/settings.json` through the same store as
 * `axi serve`; what only the app has (notifications, start at login, the list
 * view, the window's bounds) in electron-store. One schema for both (core/settings).
 */
export class PreferenceStore implements SettingsStore {
  readonly where: string;
  private readonly local: string;

  constructor(
    private readonly store: KeyValueStore,
    private readonly shared: SettingsStore,
  ) {
    this.local = store.path ? `the app's preferences (${store.path})` : "the app's preferences (electron-store)";
    this.where = `${shared.where} (Docker endpoint, default bind) and ${this.local}`;
  }

  read(): StoredSettings {
    const own = readSettings((key) => (isShared(key) ? undefined : this.store.get(key)), this.local);
    const shared = this.shared.read();
    const settings = { ...own.settings };
    for (const key of SHARED_SETTING_KEYS) (settings as Record<string, unknown>)[key] = shared.settings[key];
    const problem = [shared.problem, own.problem].filter(Boolean).join('; ') || null;
    return { settings, problem };
  }

  /** Values come checked (core/settings' parseSettingsPatch); both stores write their files atomically. */
  async update(patch: Partial<Settings>): Promise<StoredSettings> {
    const entries = Object.entries(patch);
    const shared = entries.filter(([k]) => isShared(k));
    const kept = shared.length ? (await this.shared.update(Object.fromEntries(shared))).problem : null;
    for (const [key, value] of entries) if (!isShared(key)) this.store.set(key, value);
    const after = this.read();
    return { settings: after.settings, problem: kept ?? after.problem };
  }

  /**
   * An install from before the shared file kept the endpoint and bind in
   * electron-store: a value there moves to settings.json unless that file
   * already sets its own; electron-store then forgets it either way.
   */
  async migrate(): Promise<void> {
    const current = this.shared.read();
    const moved: Partial<Record<SettingKey, unknown>> = {};
    for (const key of SHARED_SETTING_KEYS) {
      const old = this.store.get(key);
      // settings.json's own value wins; a file that does not read is left for its own message.
      const free = current.problem === null && current.settings[key] === DEFAULT_SETTINGS[key];
      if (old === undefined || !free) continue;
      try {
        moved[key] = checkSetting(key, old);
      } catch {
        // A bad old value is dropped: it read as the default all along.
      }
    }
    if (Object.keys(moved).length) await this.shared.update(moved as Partial<Settings>);
    for (const key of SHARED_SETTING_KEYS) if (this.store.get(key) !== undefined) this.store.delete(key);
  }

  windowBounds(): Bounds | undefined {
    const parsed = v.safeParse(BoundsSchema, this.store.get('windowBounds'));
    return parsed.success ? parsed.output : undefined;
  }

  setWindowBounds(bounds: Bounds): void {
    this.store.set('windowBounds', v.parse(BoundsSchema, bounds));
  }
}
