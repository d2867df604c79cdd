import { AxiError } from '../../shared/errors';
import { parseSettingsPatch, SETTING_KEYS, type Settings, type SettingsStore } from '../../shared/schemas/settings';
import type { SettingsView } from '../../shared/api/table';

/**
 * Where the controller runs: the desktop app or `axi serve` in a browser. The app starts at login
 * where its OS allows (otherwise `loginUnsupported` says why).
 */
export type SettingsHost =
  { kind: 'app'; setStartAtLogin(on: boolean): void; loginUnsupported?: string } | { kind: 'serve' };

/** What changing the Docker endpoint takes: a ping first, then every connection (and the status model) moved. */
export interface EndpointSwitch {
  check(endpoint: string | null): Promise<void>;
  use(endpoint: string | null): Promise<void>;
  automatic(): string | null;
}

export interface SettingsManagerOptions {
  store: SettingsStore;
  host: SettingsHost;
  endpoint: EndpointSwitch;
  /** The settings changed: pushed to every window (and the tray). */
  changed(view: SettingsView): void;
}

const SERVE_LOGIN =
  'start at login belongs to the desktop app; axi serve runs from a terminal (start it from your session or a service manager)';

/** Which settings a host applies, and why not: a pure function of the host (and, in the app, its OS). */
export function supportedSettings(kind: SettingsHost['kind'], loginUnsupported?: string): SettingsView['supported'] {
  const all = Object.fromEntries(SETTING_KEYS.map((k) => [k, { ok: true }])) as SettingsView['supported'];
  const reason = kind === 'app' ? loginUnsupported : SERVE_LOGIN;
  return reason ? { ...all, startAtLogin: { ok: false, reason } } : all;
}

/** Why this host cannot start at login, if it cannot. */
function loginRefusal(host: SettingsHost): string | undefined {
  return host.kind === 'app' ? host.loginUnsupported : SERVE_LOGIN;
}

/**
 * The settings as the API table serves them: read from the host's store,
 * changed as a whole or not at all (every value checked, an unsupported one
 * refused, a new Docker endpoint pinged before anything is written), then
 * applied at once: the endpoint reconnects, the login item follows; the
 * default bind and notifications are read where they are used.
 */
export class SettingsManager {
  private chain: Promise<unknown> = Promise.resolve();
  /** See SettingsView.revision. */
  private revision = Date.now();

  constructor(private readonly o: SettingsManagerOptions) {}

  /** The current settings, read fresh from the store. */
  current(): Settings {
    return this.o.store.read().settings;
  }

  view(): SettingsView {
    const r = this.o.store.read();
    return {
      values: r.settings,
      supported: supportedSettings(this.o.host.kind, loginRefusal(this.o.host)),
      storedIn: this.o.store.where,
      problem: r.problem,
      automaticEndpoint: this.o.endpoint.automatic(),
      revision: this.revision,
    };
  }

  /** What the host must do once at start: the login item as stored. */
  applyAtStart(): void {
    if (this.o.host.kind === 'app' && !loginRefusal(this.o.host))
      this.o.host.setStartAtLogin(this.current().startAtLogin);
  }

  /** Validates and applies a change; one at a time, so two endpoint switches never interleave. */
  update(input: unknown): Promise<SettingsView> {
    const run = this.chain.then(() => this.updateNow(input));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async updateNow(input: unknown): Promise<SettingsView> {
    const patch = parseSettingsPatch(input);
    const before = this.current();
    const refusal = loginRefusal(this.o.host);
    if (patch.startAtLogin !== undefined && refusal) throw new AxiError('BAD_INPUT', `startAtLogin: ${refusal}`);
    const endpointChanged = patch.dockerEndpoint !== undefined && patch.dockerEndpoint !== before.dockerEndpoint;
    if (endpointChanged) {
      await this.o.endpoint.check(patch.dockerEndpoint!).catch((err: unknown) => {
        const kept = before.dockerEndpoint ?? `automatic (${this.o.endpoint.automatic() ?? 'none found'})`;
        throw new AxiError('DOCKER_UNAVAILABLE', `${(err as Error).message}; still using ${kept}`);
      });
    }
    // The login item first: if the OS refuses it, nothing is stored.
    if (this.o.host.kind === 'app' && patch.startAtLogin !== undefined && patch.startAtLogin !== before.startAtLogin)
      this.o.host.setStartAtLogin(patch.startAtLogin);
    const stored = await this.o.store.update(patch);
    if (endpointChanged) await this.o.endpoint.use(stored.settings.dockerEndpoint);
    this.revision++;
    const view = this.view();
    view.problem ??= stored.problem; // a save that kept a broken file aside says so, once
    this.o.changed(view);
    return view;
  }
}
