import { useCallback, useEffect, useRef, useState } from 'react';
import type { InstanceView, NotificationView, Overview, WorktreeView } from '../../main/api/table';
import { api, droppedPaths, isDesktop } from './bridge';
import { ConflictBanner } from './ConflictBanner';
import { CopyDataDialog } from './CopyDataDialog';
import { ErrorBoundary } from './ErrorBoundary';
import { InstanceCard } from './InstanceCard';
import { LogsPanel } from './LogsPanel';
import { PolicyDialog } from './PolicyDialog';
import { ResetDialog } from './ResetDialog';
import { SettingsPanel } from './SettingsPanel';
import { WorktreeOffer } from './WorktreeOffer';
import { StatsSummary } from './StatsSummary';
import { useStats } from './useStats';

interface DropResult {
  dir: string;
  ok: boolean;
  text: string;
  /** Other worktrees of the same repository, offered for registration in one click. */
  worktrees?: WorktreeView[];
}

function useOverview(initial: Overview | undefined): Overview | undefined {
  const [overview, setOverview] = useState<Overview | undefined>(initial);
  // Pushed by main on every change, never polled.
  useEffect(() => {
    const off = api.on('overview', setOverview);
    return off;
  }, []);
  return overview;
}

export function App({ initial }: { initial: Overview | undefined }) {
  const overview = useOverview(initial);
  const stats = useStats();
  const [toasts, setToasts] = useState<(NotificationView & { id: number })[]>([]);
  const [results, setResults] = useState<DropResult[]>([]);
  const [dragging, setDragging] = useState(false);
  const [path, setPath] = useState('');
  const [focus, setFocus] = useState<string | null>(null);
  const [resetting, setResetting] = useState<InstanceView | null>(null);
  const [logsOf, setLogsOf] = useState<InstanceView | null>(null);
  const [copyingInto, setCopyingInto] = useState<string | null>(null);
  const [policyOf, setPolicyOf] = useState<InstanceView | null>(null);
  const [fresh, setFresh] = useState<string | null>(null);
  // The tray's "Settings…" opens a new window at #settings, or tells an open one with an event.
  const [settingsOpen, setSettingsOpen] = useState(() => window.location.hash === '#settings');
  const closeSettings = useCallback(() => {
    setSettingsOpen(false);
    if (window.location.hash) history.replaceState(null, '', window.location.pathname + window.location.search);
  }, []);
  const depth = useRef(0);

  useEffect(() => {
    let n = 0;
    const offN = api.on('notification', (note) => {
      // A new worktree under `register: ask`: offered in place, like the worktrees of a folder just added.
      if (note.kind === 'worktree-offer' && note.path) {
        const w: WorktreeView = { path: note.path, branch: null, state: 'unregistered', name: null, ports: {} };
        setResults((x) => [
          ...x.filter((y) => y.dir !== note.path),
          { dir: note.path!, ok: true, text: 'a new worktree.', worktrees: [w] },
        ]);
      }
      const id = ++n;
      setToasts((t) => [...t.slice(-3), { ...note, id }]);
      setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), 8000);
    });
    const offF = api.on('focus', ({ instance }) => setFocus(instance));
    const offP = api.on('openPanel', () => setSettingsOpen(true));
    return () => {
      offN();
      offF();
      offP();
    };
  }, []);

  useEffect(() => {
    if (!focus) return;
    // A notification names the instance by label, the window's own calls by id.
    const target = overview?.instances.find((i) => i.id === focus || i.label === focus);
    if (target)
      document.getElementById(`instance-${target.label}`)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [focus, overview]);

  const register = useCallback(async (dirs: string[], dataFrom?: 'main') => {
    for (const dir of dirs) {
      try {
        const r = await api.registerFolder({ dir, ...(dataFrom ? { dataFrom } : {}) });
        const files = Object.entries(r.written)
          .map(([f, what]) => `${f.split('/').pop()} ${what}`)
          .join(', ');
        const ports = Object.entries(r.instance.ports)
          .map(([s, p]) => `${s} ${p}`)
          .join(', ');
        setResults((x) => [
          ...x.filter((y) => y.dir !== dir),
          { dir, ok: true, text: `Registered ${r.instance.label}: ${ports}. ${files}.`, worktrees: r.otherWorktrees },
        ]);
        setFresh(r.instance.id);
        setFocus(r.instance.id);
      } catch (err) {
        setResults((x) => [...x.filter((y) => y.dir !== dir), { dir, ok: false, text: (err as Error).message }]);
      }
    }
  }, []);

  const onDrop = (e: React.DragEvent) => {
    e.preventDefault();
    depth.current = 0;
    setDragging(false);
    const dirs = droppedPaths(e.dataTransfer);
    if (dirs.length) void register(dirs);
    else
      setResults((x) => [
        ...x,
        {
          dir: '(drop)',
          ok: false,
          text: 'Nothing usable was dropped: drop one or more folders from your file manager.',
        },
      ]);
  };

  const instances = overview?.instances ?? [];
  const running = instances.filter((i) => i.status === 'running').length;

  return (
    <div
      className={`app${dragging ? ' dragging' : ''}`}
      onDragEnter={(e) => {
        e.preventDefault();
        depth.current++;
        setDragging(true);
      }}
      onDragOver={(e) => e.preventDefault()}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <header className="top">
        <h1>AegisX Instances</h1>
        <span className={`engine engine-${overview?.engine ?? 'connecting'}`} role="status" aria-label="Docker engine">
          Docker:{' '}
          {overview?.engine === 'connected'
            ? 'connected'
            : overview?.engine === 'unknown'
              ? 'unreachable'
              : 'connecting…'}
        </span>
        <span className="count">{instances.length ? `${running} of ${instances.length} running` : ''}</span>
        <StatsSummary stats={stats} />
        <div className="top-actions">
          <button type="button" onClick={() => void api.startAll().catch(() => undefined)} disabled={!instances.length}>
            Start all
          </button>
          <button type="button" onClick={() => void api.stopAll().catch(() => undefined)} disabled={!running}>
            Stop all
          </button>
          <button type="button" onClick={() => setSettingsOpen(true)} aria-haspopup="dialog">
            Settings
          </button>
        </div>
      </header>

      <form
        className="add"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) void register([path.trim()]).then(() => setPath(''));
        }}
      >
        <label htmlFor="add-path">Add a repository folder</label>
        <input
          id="add-path"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          placeholder="/home/me/src/aegisx-starter-feature"
          spellCheck={false}
          autoComplete="off"
        />
        <button type="submit" disabled={!path.trim()}>
          Add
        </button>
        {isDesktop && (
          <button
            type="button"
            onClick={() => void api.pickFolders().then((dirs) => (dirs.length ? register(dirs) : undefined))}
          >
            Browse…
          </button>
        )}
        <span className="hint">or drop folders anywhere on this window</span>
      </form>

      {results.length > 0 && (
        <ul className="results" aria-live="polite">
          {results.map((r) => (
            <li key={r.dir} className={r.ok ? 'ok' : 'bad'}>
              <strong>{r.dir}</strong>: {r.text}
              {r.worktrees && r.worktrees.length > 0 && (
                <WorktreeOffer worktrees={r.worktrees} register={(dirs, dataFrom) => void register(dirs, dataFrom)} />
              )}
              <button
                type="button"
                className="link"
                aria-label={`dismiss ${r.dir}`}
                onClick={() => setResults((x) => x.filter((y) => y !== r))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}

      {overview?.refreshError && (
        <div className="banner banner-failed" role="alert" aria-label="refresh failed">
          <span>
            <strong>{overview.refreshError}</strong>. What is shown may be out of date; it is tried again on every
            change and every few seconds.
          </span>
        </div>
      )}

      {(overview?.conflicts ?? []).map((c) => (
        <ConflictBanner key={`${c.kind}:${c.port}:${c.instances.join()}`} conflict={c} />
      ))}

      {overview && instances.length === 0 && !overview.refreshError ? (
        <section className="empty">
          <h2>No instances yet</h2>
          <p>Drop a checkout of your project (a clone or a git worktree) on this window, or type its path above.</p>
          <p>
            Each one gets its own ports, containers, volumes, <code>.env.local</code> and{' '}
            <code>docker-compose.instance.yml</code>, and never collides with another.
          </p>
          <p className="muted">
            From a terminal: <code>axi setup ~/src/aegisx-starter-my-feature</code>
          </p>
        </section>
      ) : (
        <main className="grid" aria-label="instances">
          {instances.map((i) => (
            <InstanceCard
              key={i.id}
              instance={i}
              focused={focus === i.id || focus === i.label}
              fresh={fresh === i.id}
              desktop={isDesktop}
              onReset={() => setResetting(i)}
              onLogs={() => setLogsOf(i)}
              onCopyData={() => setCopyingInto(i.id)}
              onPolicy={() => setPolicyOf(i)}
              usage={stats?.instances[i.id]}
            />
          ))}
        </main>
      )}

      {settingsOpen && (
        <ErrorBoundary what="The settings panel" onClose={closeSettings}>
          <SettingsPanel onClose={closeSettings} />
        </ErrorBoundary>
      )}
      {policyOf && <PolicyDialog instance={policyOf} onClose={() => setPolicyOf(null)} />}
      {resetting && <ResetDialog instance={resetting} onClose={() => setResetting(null)} />}
      {copyingInto && instances.some((i) => i.id === copyingInto) && (
        <CopyDataDialog instance={instances.find((i) => i.id === copyingInto)!} onClose={() => setCopyingInto(null)} />
      )}
      {logsOf && (
        <ErrorBoundary key={logsOf.id} what="The logs panel" onClose={() => setLogsOf(null)}>
          <LogsPanel instance={logsOf} onClose={() => setLogsOf(null)} />
        </ErrorBoundary>
      )}

      <div className="toasts" role="log" aria-label="notifications">
        {toasts.map((t) => (
          <button
            type="button"
            key={t.id}
            className={`toast toast-${t.kind}`}
            onClick={() => t.instance && setFocus(t.instance)}
          >
            <strong>{t.title}</strong>
            <span>{t.body}</span>
          </button>
        ))}
      </div>
      {dragging && (
        <div className="dropzone" aria-hidden="true">
          Drop folders to register them
        </div>
      )}
    </div>
  );
}
