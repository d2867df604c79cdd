import { useState } from 'react';
import type { InstanceStatsView, InstanceView } from '../../main/api/table';
import { api } from './bridge';
import { UsageLine } from './UsageLine';

const LINKS: [string, string][] = [
  ['web', 'WEB_URL'],
  ['api', 'API_URL'],
  ['admin', 'ADMIN_URL'],
  ['pgadmin', 'PGADMIN_URL'],
];
const COPIES = ['DATABASE_URL', 'REDIS_URL'];

function serviceText(s: { state: string; health: string }): string {
  return s.state === 'running' && s.health !== 'none' ? s.health : s.state;
}

export function InstanceCard(props: {
  instance: InstanceView;
  focused: boolean;
  fresh: boolean;
  desktop: boolean;
  onReset: () => void;
  onLogs: () => void;
  onCopyData: () => void;
  onPolicy: () => void;
  /** CPU, memory and disk from the last stats sample (asked only while the window is visible). */
  usage?: InstanceStatsView;
}) {
  const i = props.instance;
  const [progress, setProgress] = useState('');
  const [copied, setCopied] = useState('');
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [localError, setLocalError] = useState('');
  const busy = Boolean(i.busy);
  const up = i.status === 'running' || i.status === 'partial';

  const run = (fn: () => Promise<unknown>) => {
    setLocalError('');
    const off = api.on('progress', (p) => p.instance === i.id && setProgress(p.line));
    fn()
      .catch((e: Error) => setLocalError(e.message))
      .finally(() => {
        off();
        setProgress('');
      });
  };

  const copy = async (key: string) => {
    try {
      await navigator.clipboard.writeText(i.urls[key]!);
      setCopied(key);
      setTimeout(() => setCopied(''), 1500);
    } catch {
      setCopied('');
      setLocalError(`Copy failed; ${key} is ${i.urls[key]}`);
    }
  };

  return (
    <article
      id={`instance-${i.label}`}
      className={`card status-${i.status}${props.focused ? ' focused' : ''}${props.fresh ? ' fresh' : ''}`}
      aria-label={`instance ${i.label}`}
      aria-busy={busy}
    >
      <header>
        <h2>
          {i.label}
          {i.main && <span className="badge">main</span>}
        </h2>
        <span className={`status status-${i.status}`} data-testid="status">
          {busy ? `${i.busy}…` : i.status}
        </span>
      </header>
      {i.gone && (
        <p className="error" role="alert">
          The folder is gone (a removed worktree?). Forget this instance with Remove, or clean up its containers with{' '}
          <code>axi cleanup</code>.
        </p>
      )}
      <p className="folder" title={i.folder}>
        {i.folder}
        {i.branch && <span className="branch"> · {i.branch}</span>}
        {i.bind !== '127.0.0.1' && (
          <span className="bind" title={`ports published on ${i.bind}: reachable from other machines`}>
            {' '}
            · LAN ({i.bind})
          </span>
        )}
      </p>
      <UsageLine usage={props.usage} />
      <ul className="services" aria-label="services">
        {Object.entries(i.services).map(([name, s]) => (
          <li key={name} className={`svc svc-${serviceText(s)}`} data-service={name}>
            <span className="dot" aria-hidden="true" />
            {name} <em>{serviceText(s)}</em>
          </li>
        ))}
      </ul>
      <div className="ports" aria-label="ports">
        {LINKS.filter(([svc]) => i.ports[svc]).map(([svc, key]) => (
          <a key={svc} href={i.urls[key]} target="_blank" rel="noreferrer" className="port" data-port={svc}>
            {svc} <b>{i.ports[svc]}</b>
          </a>
        ))}
        {COPIES.filter((k) => i.urls[k]).map((k) => (
          <button
            key={k}
            type="button"
            className="port copy"
            onClick={() => void copy(k)}
            title={i.urls[k]}
            data-port={k === 'DATABASE_URL' ? 'postgres' : 'redis'}
          >
            {k === 'DATABASE_URL' ? 'postgres' : 'redis'}{' '}
            <b>{k === 'DATABASE_URL' ? i.ports.postgres : i.ports.redis}</b> {copied === k ? 'copied' : `copy ${k}`}
          </button>
        ))}
      </div>
      <div className="actions">
        <button
          type="button"
          disabled={busy || i.status === 'running'}
          onClick={() => run(() => api.startInstance(i.id))}
        >
          Start
        </button>
        <button type="button" disabled={busy || !up} onClick={() => run(() => api.stopInstance(i.id))}>
          Stop
        </button>
        <button type="button" disabled={busy} onClick={props.onReset}>
          Reset…
        </button>
        <button type="button" disabled={busy || i.gone} onClick={props.onCopyData}>
          Copy data from…
        </button>
        {(i.main || i.branch !== null) && (
          <button type="button" onClick={props.onPolicy} title="how this repository's worktrees are followed">
            Worktree policy…
          </button>
        )}
        <button type="button" disabled={i.status === 'not-created' || i.status === 'unknown'} onClick={props.onLogs}>
          Logs
        </button>
        {props.desktop && (
          <button type="button" onClick={() => run(() => api.revealFolder(i.id))}>
            Open folder
          </button>
        )}
        {confirmRemove ? (
          <span className="confirm">
            {up || i.status === 'stopped'
              ? `Stop and remove the containers of ${i.label}, and forget it? (files and volumes stay)`
              : `Forget ${i.label}? (files and volumes stay)`}
            <button type="button" onClick={() => run(() => api.removeInstance(i.id, { down: true }))}>
              Remove
            </button>
            <button type="button" onClick={() => setConfirmRemove(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" disabled={busy} onClick={() => setConfirmRemove(true)}>
            Remove
          </button>
        )}
      </div>
      {busy && progress && (
        <p className="progress" aria-live="polite">
          {progress}
        </p>
      )}
      {(localError || i.error) && (
        <p className="error" role="alert">
          {localError || i.error}
        </p>
      )}
      {props.fresh && (
        <p className="files">
          Wrote {i.files.map((f) => f.split('/').pop()).join(' and ')} in {i.folder}
        </p>
      )}
    </article>
  );
}
