import * as v from 'valibot';
import type { Bounds } from './windowPolicy';

/** What electron-store gives us; injected so the rules run in plain Node tests. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

const Schema = {
  windowBounds: v.optional(
    v.object({ x: v.optional(v.number()), y: v.optional(v.number()), width: v.number(), height: v.number() }),
  ),
  notifications: v.optional(v.boolean(), true),
  startAtLogin: v.optional(v.boolean(), false),
  dockerEndpoint: v.optional(v.nullable(v.pipe(v.string(), v.regex(/^(unix|tcp|npipe|ssh|https?):\/\//))), null),
};

export interface Preferences {
  windowBounds?: Bounds;
  notifications: boolean;
  startAtLogin: boolean;
  dockerEndpoint: string | null;
}

/** Window bounds, notifications on/off, start at login, Docker endpoint override. A bad stored value reads as its default. */
export class PreferenceStore {
  constructor(private readonly store: KeyValueStore) {}

  get<K extends keyof Preferences>(key: K): Preferences[K] {
    const parsed = v.safeParse(Schema[key], this.store.get(key));
    return (parsed.success ? parsed.output : v.getDefault(Schema[key])) as Preferences[K];
  }

  set<K extends keyof Preferences>(key: K, value: Preferences[K]): void {
    const parsed = v.safeParse(Schema[key], value);
    if (!parsed.success) throw new Error(`invalid preference ${key}: ${parsed.issues[0].message}`);
    this.store.set(key, parsed.output);
  }

  all(): Preferences {
    return {
      windowBounds: this.get('windowBounds'),
      notifications: this.get('notifications'),
      startAtLogin: this.get('startAtLogin'),
      dockerEndpoint: this.get('dockerEndpoint'),
    };
  }
}
