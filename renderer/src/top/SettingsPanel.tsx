import { useEffect, useState } from 'react';
import type { SettingKey, Settings } from '../../../main/shared/schemas/settings';
import type { SettingsView } from '../../../main/shared/api/table';
import { api, isDesktop } from '../bridge';
import { Modal } from '../dialogs/Modal';

type Errors = Partial<Record<SettingKey, string>>;

/** A text setting applied with its own button (or Enter); its refusal shown right under it. */
function TextSetting(props: {
  id: string;
  label: string;
  value: string;
  placeholder?: string;
  hint: React.ReactNode;
  error?: string;
  busy: boolean;
  saved: boolean;
  onApply: (text: string) => void;
}) {
  const [text, setText] = useState(props.value);
  const [shown, setShown] = useState(props.value);
  if (props.value !== shown) {
    // The stored value changed (applied here, or in another tab): the field follows it.
    setShown(props.value);
    setText(props.value);
  }
  const described = `${props.id}-hint${props.error ? ` ${props.id}-error` : ''}`;
  return (
    <form
      className="setting"
      onSubmit={(e) => {
        e.preventDefault();
        props.onApply(text);
      }}
    >
      <label htmlFor={props.id}>{props.label}</label>
      <div className="setting-row">
        <input
          id={props.id}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={props.placeholder}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={props.error ? true : undefined}
          aria-describedby={described}
        />
        <button type="submit" disabled={props.busy || text.trim() === props.value}>
          {props.busy ? 'Checking…' : 'Apply'}
        </button>
        {props.saved && <span className="saved">Saved</span>}
      </div>
      <p className="hint" id={`${props.id}-hint`}>
        {props.hint}
      </p>
      {props.error && (
        <p className="error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      )}
    </form>
  );
}

/** A switch applied as soon as it changes. */
function CheckSetting(props: {
  id: string;
  label: string;
  checked: boolean;
  disabled: boolean;
  hint: React.ReactNode;
  error?: string;
  onChange: (on: boolean) => void;
}) {
  return (
    <div className="setting">
      <label className="check">
        <input
          type="checkbox"
          id={props.id}
          checked={props.checked}
          disabled={props.disabled}
          aria-describedby={`${props.id}-hint`}
          onChange={(e) => props.onChange(e.target.checked)}
        />{' '}
        {props.label}
      </label>
      <p className="hint" id={`${props.id}-hint`}>
        {props.hint}
      </p>
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** The settings as main has them, kept current by its `settings` event, and one change at a time. */
function useSettings() {
  const [view, setView] = useState<SettingsView | null>(null);
  const [loadError, setLoadError] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState<SettingKey | null>(null);
  const [saved, setSaved] = useState<SettingKey | null>(null);

  useEffect(() => {
    api.getSettings().then(setView, (e: Error) => setLoadError(e.message));
    return api.on('settings', setView); // changed from another tab or the tray
  }, []);

  // The patch as main takes it (its schema's input): a typed field's text is main's to read and refuse.
  const save = (key: SettingKey, patch: Parameters<typeof api.updateSettings>[0], optimistic = false) => {
    setBusy(key);
    setSaved(null);
    setErrors((x) => ({ ...x, [key]: undefined }));
    // A switch moves at once; a refusal puts it back as stored.
    if (optimistic) setView((x) => x && { ...x, values: { ...x.values, ...(patch as Partial<Settings>) } });
    api
      .updateSettings(patch)
      .then((next) => {
        setView(next);
        setSaved(key);
      })
      .catch((e: Error) => {
        setErrors((x) => ({ ...x, [key]: e.message }));
        if (optimistic) void api.getSettings().then(setView, () => undefined);
      })
      .finally(() => setBusy(null));
  };
  return { view, loadError, errors, busy, saved, save };
}

/** The four settings, each with what it does and, when refused, why, right under it. */
function SettingsFields({ s, view }: { s: ReturnType<typeof useSettings>; view: SettingsView }) {
  const { values: v, supported } = view;
  const login = supported.startAtLogin;
  const where = isDesktop ? ': OS notifications and this window’s pop-ups' : ': this page’s pop-ups';
  return (
    <>
      <CheckSetting
        id="set-notifications"
        label="Notifications"
        checked={v.notifications}
        disabled={s.busy !== null}
        error={s.errors.notifications}
        onChange={(on) => s.save('notifications', { notifications: on }, true)}
        hint={`Port conflicts, instances that become healthy or fail, the Docker engine lost and back${where}. The banners stay either way.`}
      />
      <CheckSetting
        id="set-login"
        label="Start at login"
        checked={v.startAtLogin}
        disabled={s.busy !== null || !login.ok}
        error={s.errors.startAtLogin}
        onChange={(on) => s.save('startAtLogin', { startAtLogin: on }, true)}
        hint={login.ok ? 'Open AegisX Instances in the tray when you log in.' : `Not here: ${login.reason}.`}
      />
      <TextSetting
        id="set-endpoint"
        label="Docker endpoint"
        value={v.dockerEndpoint ?? ''}
        placeholder={`automatic${view.automaticEndpoint ? ` (${view.automaticEndpoint})` : ''}`}
        busy={s.busy === 'dockerEndpoint'}
        saved={s.saved === 'dockerEndpoint'}
        error={s.errors.dockerEndpoint}
        onApply={(text) => s.save('dockerEndpoint', { dockerEndpoint: text.trim() || null })}
        hint="unix:///var/run/docker.sock, tcp://host:2375, ssh://user@host, …; empty: DOCKER_HOST, the docker context, then the usual sockets. The engine must answer a ping before it is used."
      />
      <TextSetting
        id="set-bind"
        label="Default bind address"
        value={v.defaultBind}
        busy={s.busy === 'defaultBind'}
        saved={s.saved === 'defaultBind'}
        error={s.errors.defaultBind}
        onApply={(text) => s.save('defaultBind', { defaultBind: text })}
        hint="Where a new instance publishes its ports when neither setup --bind nor the repository’s bind: says: 127.0.0.1 is this machine only, 0.0.0.0 the LAN."
      />
      <TextSetting
        id="set-router-port"
        label="Router port"
        value={v.routerPort === null ? '' : String(v.routerPort)}
        placeholder="automatic (80 where allowed, else 7080)"
        busy={s.busy === 'routerPort'}
        saved={s.saved === 'routerPort'}
        error={s.errors.routerPort}
        // The text as typed: main's schema reads the number and refuses `abc` by name (Number() would send null).
        onApply={(text) => s.save('routerPort', { routerPort: text.trim() === '' ? null : text.trim() })}
        hint="Where http://NAME.REPO.localhost answers, on 127.0.0.1. Applies when the router next starts."
      />
      <p className="muted stored">Stored in {view.storedIn}</p>
    </>
  );
}

/** Notifications, start at login, the Docker endpoint and the default bind address; each applied on its own. */
export function SettingsPanel({ onClose }: { onClose: () => void }) {
  const s = useSettings();
  const loaded = s.view !== null;
  useEffect(() => {
    // Focus starts on the dialog itself; the first field takes it once the settings are read.
    const dialog = document.querySelector<HTMLElement>('.dialog.settings');
    if (loaded && document.activeElement === dialog)
      dialog?.querySelector<HTMLElement>('input:not([disabled])')?.focus();
  }, [loaded]);

  return (
    <Modal labelledBy="settings-title" onClose={onClose} className="settings" focusDialog>
      <h2 id="settings-title">Settings</h2>
      {s.loadError && <p className="error" role="alert">{`The settings could not be read: ${s.loadError}`}</p>}
      {s.view?.problem && (
        <p className="error" role="alert">
          {s.view.problem}
        </p>
      )}
      {s.view && <SettingsFields s={s} view={s.view} />}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
