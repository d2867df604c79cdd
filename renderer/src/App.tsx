import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { groupInstances, visibleIds, type ListFilter } from '../../main/api/instanceDisplay';
import type { InstanceView, Overview, WorktreeView } from '../../main/api/table';
import { AddFolder, AddResults, type AddResult } from './AddFolder';
import { api, isDesktop } from './bridge';
import { Dialogs, type OpenDialog } from './Dialogs';
import { ErrorBoundary } from './ErrorBoundary';
import { HelpOverlay } from './HelpOverlay';
import { installLayerKeys, layerOpen, useInertRoot } from './layers';
import type { Panel } from './InstanceCard';
import { InstanceList } from './list/InstanceList';
import { ListToolbar } from './list/ListToolbar';
import { useListView } from './list/useListView';
import { LogsPanel } from './LogsPanel';
import { StatsSummary } from './StatsSummary';
import { TopBanners } from './TopBanners';
import { useDropZone } from './useDropZone';
import { useRegister } from './useRegister';
import { useStats } from './useStats';
import { useOverview, useWindowEvents } from './useWindowEvents';

const NO_USAGE = {};

/** Focuses an instance's card or row once it is rendered, and brings it into view. */
function focusItem(id: string): void {
  requestAnimationFrame(() => {
    const el = document.querySelector<HTMLElement>(`[data-instance="${CSS.escape(id)}"]`);
    el?.scrollIntoView({ block: 'center' });
    el?.focus({ preventScroll: true });
  });
}

function typing(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.matches('input, select, textarea') || t.isContentEditable);
}

export function App({ initial }: { initial: Overview | undefined }) {
  const overview = useOverview(initial);
  const stats = useStats();
  const instances = useMemo(() => overview?.instances ?? [], [overview]);
  const [results, setResults] = useState<AddResult[]>([]);
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const [logsOf, setLogsOf] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<ListFilter>('all');
  const [view, setView] = useListView();
  const shell = useRef<HTMLDivElement>(null);
  useInertRoot(shell);
  // The tray's "Settings…" opens a new window at #settings, or tells an open one with an event.
  const [settingsOpen, setSettingsOpen] = useState(() => window.location.hash === '#settings');
  const addResult = useCallback((r: Omit<AddResult, 'id'>) => {
    setResults((x) => [...x.filter((y) => y.dir !== r.dir), { ...r, id: Date.now() + Math.random() }]);
  }, []);
  const dismiss = useCallback((r: AddResult) => setResults((x) => x.filter((y) => y.id !== r.id)), []);

  // An instance to bring into view and focus (just registered, or named by a notification or the tray):
  // kept until the overview has it, since a registration's result may arrive before the new overview.
  const showing = useRef<string | null>(null);
  const [showTick, setShowTick] = useState(0);
  const showInstance = useCallback((ref: string) => {
    showing.current = ref;
    setQuery('');
    setFilter('all');
    setShowTick((n) => n + 1);
  }, []);
  useEffect(() => {
    const ref = showing.current;
    const target = ref && instances.find((i) => i.id === ref || i.label === ref);
    if (!target) return;
    showing.current = null;
    focusItem(target.id);
  }, [showTick, instances]);
  const { register, fresh } = useRegister(addResult, showInstance);
  const offer = useCallback(
    (path: string, w: WorktreeView) => addResult({ dir: path, ok: true, text: 'a new worktree.', worktrees: [w] }),
    [addResult],
  );
  const openSettings = useCallback(() => setSettingsOpen(true), []);
  const toasts = useWindowEvents({ offer, focus: showInstance, openSettings });
  const drop = useDropZone(register, addResult);

  useEffect(() => installLayerKeys(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey || layerOpen()) return;
      if (e.key === '/') document.getElementById('instance-search')?.focus();
      else if (e.key === '?') setHelp(true);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const closeSettings = useCallback(() => {
    setSettingsOpen(false);
    if (window.location.hash) history.replaceState(null, '', window.location.pathname + window.location.search);
  }, []);
  const conflicts = useMemo(() => overview?.conflicts ?? [], [overview]);
  // The order and groups change with the instances only; typing changes which are shown.
  const groups = useMemo(() => groupInstances(instances), [instances]);
  const visible = useMemo(
    () => visibleIds(instances, { query, filter, conflicts }),
    [instances, query, filter, conflicts],
  );
  const shown = visible.size;
  const running = instances.filter((i) => i.status === 'running').length;
  const open = useCallback((panel: Panel, i: InstanceView) => {
    if (panel === 'logs') setLogsOf(i.id);
    else setDialog({ kind: panel, id: i.id });
  }, []);
  const showCard = useCallback(
    (i: InstanceView) => {
      setView('cards');
      focusItem(i.id);
    },
    [setView],
  );
  const logsInstance = instances.find((i) => i.id === logsOf);

  return (
    <div className={`app${drop.dragging ? ' dragging' : ''}`} {...drop.handlers}>
      <div className="shell" ref={shell}>
        <nav className="skips" aria-label="skip links">
          <a href="#instances">Skip to instances</a>
          <a href="#add-path">Skip to add a folder</a>
        </nav>
        <header className="top">
          <h1>AegisX Instances</h1>
          <span
            className={`engine engine-${overview?.engine ?? 'connecting'}`}
            role="status"
            aria-label="Docker engine"
          >
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
            <BulkButtons instances={instances} />
            <button type="button" onClick={() => setSettingsOpen(true)} aria-haspopup="dialog">
              Settings
            </button>
            <button type="button" onClick={() => setHelp(true)} aria-haspopup="dialog" aria-label="Keyboard shortcuts">
              ?
            </button>
          </div>
        </header>
        <div className="scroller">
          <section className="add-area" aria-label="add folders">
            <AddFolder register={register} />
            <AddResults results={results} dismiss={dismiss} register={(dirs, d) => void register(dirs, d)} />
          </section>
          <TopBanners overview={overview} />
          <main id="instances" tabIndex={-1} aria-label="instances">
            {overview && instances.length === 0 && !overview.refreshError ? (
              <EmptyState />
            ) : (
              <>
                <ListToolbar
                  query={query}
                  onQuery={setQuery}
                  filter={filter}
                  onFilter={setFilter}
                  view={view}
                  onView={setView}
                  shown={shown}
                  total={instances.length}
                />
                {shown === 0 && instances.length > 0 && <p className="muted">No instance matches.</p>}
                <InstanceList
                  groups={groups}
                  shown={visible}
                  view={view}
                  engine={overview?.engine}
                  conflicts={conflicts}
                  usage={stats?.instances ?? NO_USAGE}
                  fresh={fresh}
                  desktop={isDesktop}
                  open={open}
                  showCard={showCard}
                />
              </>
            )}
          </main>
        </div>
        {logsInstance && (
          <ErrorBoundary key={logsInstance.id} what="The logs panel" onClose={() => setLogsOf(null)}>
            <LogsPanel instance={logsInstance} onClose={() => setLogsOf(null)} />
          </ErrorBoundary>
        )}
        <aside className="toasts" aria-label="notifications">
          {toasts.map((t) => (
            <button
              type="button"
              key={t.id}
              className={`toast toast-${t.kind}`}
              onClick={() => t.instance && showInstance(t.instance)}
            >
              <strong>{t.title}</strong>
              <span>{t.body}</span>
            </button>
          ))}
        </aside>
      </div>
      {settingsOpen && <Dialogs.Settings onClose={closeSettings} />}
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
      <Dialogs.Instance dialog={dialog} instances={instances} onClose={() => setDialog(null)} />
      {drop.dragging && (
        <div className="dropzone" aria-hidden="true">
          Drop folders to register them
        </div>
      )}
    </div>
  );
}

/** Start all / Stop all: busy while they work, one instance after another, with the count as they go. */
function BulkButtons({ instances }: { instances: InstanceView[] }) {
  const [bulk, setBulk] = useState<string>('');
  const running = instances.filter((i) => i.status === 'running' || i.status === 'partial').length;
  const working = instances.filter((i) => i.busy === 'start' || i.busy === 'stop');
  const run = (what: string, fn: () => Promise<{ started?: string[]; stopped?: string[] }>) => {
    setBulk(what);
    fn()
      .then((r) => setBulk(`${what === 'start' ? 'Started' : 'Stopped'} ${(r.started ?? r.stopped ?? []).length}`))
      .catch((e: Error) => setBulk(`Failed: ${e.message}`))
      .finally(() => setTimeout(() => setBulk(''), 5000));
  };
  const active = bulk === 'start' || bulk === 'stop';
  return (
    <>
      <button
        type="button"
        aria-disabled={active || !instances.length}
        onClick={active ? undefined : () => run('start', () => api.startAll())}
      >
        Start all
      </button>
      <button
        type="button"
        aria-disabled={active || !running}
        onClick={active || !running ? undefined : () => run('stop', () => api.stopAll())}
      >
        Stop all
      </button>
      {bulk && (
        <span className="bulk" role="status">
          {active ? `${bulk === 'start' ? 'Starting' : 'Stopping'} ${working.map((i) => i.label).join(', ')}…` : bulk}
        </span>
      )}
    </>
  );
}

function EmptyState() {
  return (
    <section className="empty" aria-labelledby="empty-title">
      <h2 id="empty-title">No instances yet</h2>
      <p>Drop a checkout of your project (a clone or a git worktree) on this window, or type its path above.</p>
      <p>
        Each one gets its own ports, containers, volumes, <code>.env.local</code> and{' '}
        <code>docker-compose.instance.yml</code>, and never collides with another.
      </p>
      <p className="muted">
        From a terminal: <code>axi setup ~/src/aegisx-starter-my-feature</code>
      </p>
    </section>
  );
}
