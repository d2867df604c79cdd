/**
 * The user's settings: one schema and one set of rules for the desktop app
 * (electron-store) and `axi serve` (`$AXI_HOME/settings.json`). No Node
 * imports: the API table, and so the renderer, compiles this too.
 */
import * as v from 'valibot';
import { AxiError } from '../errors';

/** The default host address: a dev stack with fixed passwords is reachable from this machine only. */
export const DEFAULT_BIND = '127.0.0.1';

export interface Settings {
  /** OS notifications and the window's toasts for changes nobody asked for (conflicts, health, the engine). */
  notifications: boolean;
  /** The OS starts the desktop app at login. */
  startAtLogin: boolean;
  /** The Docker engine to use; null: DOCKER_HOST, then the docker context, then the usual sockets. */
  dockerEndpoint: string | null;
  /** Host address ports are published on when neither `setup --bind` nor the repository's `bind:` says. */
  defaultBind: string;
  /** The window's list: cards, or the compact table. */
  listView: 'cards' | 'table';
  /** The local router's port on 127.0.0.1; null: 80 where this user may bind it, else 7080. */
  routerPort: number | null;
  /** The router answers HTTPS too (its local CA, `axi router tls on`), and URLs use https. */
  routerTls: boolean;
}

export type SettingKey = keyof Settings;
export const SETTING_KEYS: readonly SettingKey[] = [
  'notifications',
  'startAtLogin',
  'dockerEndpoint',
  'defaultBind',
  'listView',
  'routerPort',
  'routerTls',
];

/** What the desktop app and `axi` share, kept in `$AXI_HOME/settings.json` by both; the rest is the app's own. */
export const SHARED_SETTING_KEYS = [
  'dockerEndpoint',
  'defaultBind',
  'routerPort',
  'routerTls',
] as const satisfies readonly SettingKey[];

export const DEFAULT_SETTINGS: Readonly<Settings> = {
  notifications: true,
  startAtLogin: false,
  dockerEndpoint: null,
  defaultBind: DEFAULT_BIND,
  listView: 'cards',
  routerPort: null,
  routerTls: false,
};

const ENDPOINT_HINT =
  'use unix:///path/to/docker.sock, tcp://host:2375, https://host:2376, ssh://user@host or npipe://…';

/** A Docker endpoint as Docker's own CLI takes it in DOCKER_HOST: a known scheme and somewhere to go. */
export function isDockerEndpoint(s: string): boolean {
  const m = /^(unix|npipe|tcp|https?|ssh):\/\/(.+)$/.exec(s);
  if (!m) return false;
  const [, scheme, rest] = m;
  if (scheme === 'unix') return rest!.startsWith('/') && !/\s/.test(rest!);
  if (scheme === 'npipe') return rest!.startsWith('/');
  try {
    return new URL(s).hostname !== '';
  } catch {
    return false;
  }
}

const shown = (x: unknown) => (typeof x === 'string' ? JSON.stringify(x) : String(x));
const boolean = (key: SettingKey) =>
  v.boolean((i) => `${key} must be true or false, not ${shown(i.input)}`) as v.GenericSchema<unknown, boolean>;

/** The one schema: what each setting accepts, with an error that names the key and the value. */
export const SettingsSchema: { [K in SettingKey]: v.GenericSchema<unknown, Settings[K]> } = {
  notifications: boolean('notifications'),
  startAtLogin: boolean('startAtLogin'),
  dockerEndpoint: v.pipe(
    v.nullable(v.string((i) => `dockerEndpoint must be a URL or empty, not ${shown(i.input)}`)),
    v.transform((s) => (s === null || s.trim() === '' ? null : s.trim())),
    v.check(
      (s) => s === null || isDockerEndpoint(s),
      (i) => `dockerEndpoint ${shown(i.input)} is not a Docker endpoint: ${ENDPOINT_HINT}`,
    ),
  ),
  defaultBind: v.pipe(
    v.string((i) => `defaultBind must be an IP address, not ${shown(i.input)}`),
    v.trim(),
    v.ip((i) => `defaultBind ${shown(i.input)} is not an IP address (e.g. 127.0.0.1, or 0.0.0.0 for the LAN)`),
  ),
  listView: v.picklist(['cards', 'table'], (i) => `listView must be "cards" or "table", not ${shown(i.input)}`),
  routerPort: v.pipe(
    v.nullable(
      v.union([v.number(), v.string()], (i) => `routerPort must be a port number or empty, not ${shown(i.input)}`),
    ),
    v.check(
      (x) => {
        const n = x === null || String(x).trim() === '' ? null : Number(x);
        return n === null || (Number.isInteger(n) && n >= 1 && n <= 65535);
      },
      (i) => `routerPort ${shown(i.input)} is not a port number (1-65535, or empty for automatic)`,
    ),
    v.transform((x) => (x === null || String(x).trim() === '' ? null : Number(x))),
  ),
  routerTls: boolean('routerTls'),
};

function isKey(k: string): k is SettingKey {
  return (SETTING_KEYS as readonly string[]).includes(k);
}

/** One setting checked: its normalised value, or a one-line BAD_INPUT naming the key and the value. */
export function checkSetting<K extends SettingKey>(key: K, value: unknown): Settings[K] {
  const parsed = v.safeParse(SettingsSchema[key], value);
  if (!parsed.success) throw new AxiError('BAD_INPUT', parsed.issues[0].message);
  return parsed.output as Settings[K];
}

/** A change from a window or the tray: an object of known keys, each value checked. */
export function parseSettingsPatch(input: unknown): Partial<Settings> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new AxiError(
      'BAD_INPUT',
      `settings must be an object like {"defaultBind": "127.0.0.1"}, not ${shown(input)}`,
    );
  const out: Partial<Record<SettingKey, unknown>> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!isKey(key))
      throw new AxiError('BAD_INPUT', `unknown setting ${JSON.stringify(key)} (known: ${SETTING_KEYS.join(', ')})`);
    out[key] = checkSetting(key, value);
  }
  return out as Partial<Settings>;
}

/** What a store read: every setting (a bad stored value reads as its default), and what was wrong, if anything. */
export interface StoredSettings {
  settings: Settings;
  /** One line saying what could not be read and that defaults are in use; null when all was well. */
  problem: string | null;
}

/** Reads each setting through `get`: absent is its default, silently; a bad value is its default, reported. */
export function readSettings(get: (key: SettingKey) => unknown, where: string): StoredSettings {
  const settings = { ...DEFAULT_SETTINGS };
  const bad: string[] = [];
  for (const key of SETTING_KEYS) {
    const raw = get(key);
    if (raw === undefined) continue;
    try {
      (settings as Record<SettingKey, unknown>)[key] = checkSetting(key, raw);
    } catch (err) {
      bad.push(`${(err as Error).message} (the default, ${shown(DEFAULT_SETTINGS[key])}, is in use)`);
    }
  }
  return { settings, problem: bad.length ? `${where}: ${bad.join('; ')}` : null };
}

/**
 * Where settings are kept: `$AXI_HOME/settings.json` under `axi serve` and the CLI; in the desktop app,
 * the same file for the shared keys and electron-store for the app's own.
 */
export interface SettingsStore {
  /** Where they are, for people: a file path, or the app's own store. */
  readonly where: string;
  /** The current settings, read fresh (another process may have written them). Never throws. */
  read(): StoredSettings;
  /** Writes checked values over a fresh read; resolves with what is stored now. */
  update(patch: Partial<Settings>): Promise<StoredSettings>;
}

/** A store in memory: tests, and hosts that keep nothing. */
export function memorySettings(initial: Partial<Settings> = {}): SettingsStore {
  let settings: Settings = { ...DEFAULT_SETTINGS, ...initial };
  return {
    where: 'memory',
    read: () => ({ settings: { ...settings }, problem: null }),
    update: (patch) => {
      settings = { ...settings, ...patch };
      return Promise.resolve({ settings: { ...settings }, problem: null });
    },
  };
}
