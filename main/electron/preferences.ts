import * as v from 'valibot';
import { readSettings, type Settings, type SettingsStore, type StoredSettings } from '../core/settings';
import type { Bounds } from './windowPolicy';

/** What electron-store gives us; injected so the rules run in plain Node tests. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  /** The file electron-store keeps it in. */
  readonly path?: string;
}

const BoundsSchema = v.object({
  x: v.optional(v.number()),
  y: v.optional(v.number()),
  width: v.number(),
  height: v.number(),
});

/**
 * The desktop app's preferences in electron-store: the settings of the API
 * table (the same schema and rules as `$AXI_HOME/settings.json`, see
 * core/settings), plus the window's bounds, which only the app has. A bad
 * stored value reads as its default and is reported.
 */
export class PreferenceStore implements SettingsStore {
  readonly where: string;

  constructor(private readonly store: KeyValueStore) {
    this.where = store.path ? `the app's preferences (${store.path})` : "the app's preferences (electron-store)";
  }

  read(): StoredSettings {
    return readSettings((key) => this.store.get(key), this.where);
  }

  /** Values come checked (core/settings' parseSettingsPatch); electron-store writes its file atomically. */
  update(patch: Partial<Settings>): Promise<StoredSettings> {
    for (const [key, value] of Object.entries(patch)) this.store.set(key, value);
    return Promise.resolve(this.read());
  }

  windowBounds(): Bounds | undefined {
    const parsed = v.safeParse(BoundsSchema, this.store.get('windowBounds'));
    return parsed.success ? parsed.output : undefined;
  }

  setWindowBounds(bounds: Bounds): void {
    this.store.set('windowBounds', v.parse(BoundsSchema, bounds));
  }
}
