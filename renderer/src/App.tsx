import { useCallback, useMemo, useRef, useState } from 'react';
import { groupInstances, visibleIds, type ListFilter } from '../../main/api/instanceDisplay';
import type { InstanceView, Overview, WorktreeView } from '../../main/api/table';
import { AddFolder, type AddResult } from './AddFolder';
import { AddResults, withResult } from './AddResults';
import { isDesktop } from './bridge';
import { Dialogs, type OpenDialog } from './Dialogs';
import { ErrorBoundary } from './ErrorBoundary';
import { HelpOverlay } from './HelpOverlay';
import { useInertRoot } from './layers';
import { focusItem, useWindowKeys } from './list/useShowInstance';
import type { Panel } from './InstanceCard';
import { InstanceList } from './list/InstanceList';
import { ListToolbar } from './list/ListToolbar';
import { useListView, useNarrow } from './list/useListView';
import { LogsPanel } from './LogsPanel';
import { TopBanners } from './TopBanners';
import { useDropZone } from './useDropZone';
import { useRegister } from './useRegister';
import { useStats } from './useStats';
import { Toasts, useOverview, useWindowEvents } from './useWindowEvents';
import { TopBar } from './TopBar';
import { EmptyState } from './EmptyState';
import { useShowInstance } from './list/useShowInstance';

const NO_USAGE = {};

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
  const [setting, setView] = useListView();
  // The compact table needs width: a narrow window shows cards and keeps the setting for when it widens.
  const narrow = useNarrow();
  const view = narrow ? 'cards' : setting;
  const shell = useRef<HTMLDivElement>(null);
  useInertRoot(shell);
  // The tray's "Settings…" opens a new window at #settings, or tells an open one with an event.
  const [settingsOpen, setSettingsOpen] = useState(() => window.location.hash === '#settings');
  const addResult = useCallback((r: Omit<AddResult, 'id'>) => {
    setResults((x) => withResult(x, { ...r, id: Date.now() + Math.random() }));
  }, []);
  const dismiss = useCallback((r: AddResult) => setResults((x) => x.filter((y) => y.id !== r.id)), []);

  const showInstance = useShowInstance(instances, () => (setQuery(''), setFilter('all')));
  const { register, fresh } = useRegister(addResult, showInstance);
  const offer = useCallback(
    (path: string, w: WorktreeView) => addResult({ dir: path, ok: true, text: 'a new worktree.', worktrees: [w] }),
    [addResult],
  );
  const openSettings = useCallback(() => setSettingsOpen(true), []);
  const toasts = useWindowEvents({ offer, focus: showInstance, openSettings });
  const drop = useDropZone(register, addResult);

  useWindowKeys(() => setHelp(true));

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
        <TopBar
          overview={overview}
          stats={stats}
          onSettings={() => setSettingsOpen(true)}
          onHelp={() => setHelp(true)}
        />
        <div className="scroller">
          <section className="add-area" aria-label="add folders">
            <AddFolder register={register} />
            <AddResults
              results={results}
              dismiss={dismiss}
              register={(dirs, o) => void register(dirs, o)}
              show={showInstance}
            />
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
                  view={narrow ? null : view}
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
        <Toasts toasts={toasts} show={showInstance} />
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
