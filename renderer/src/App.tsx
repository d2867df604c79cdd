import { useCallback, useMemo, useRef, useState } from 'react';
import type { InstanceView, Overview } from '../../main/shared/api/table';
import { AddFolder } from './top/AddFolder';
import { AddResults } from './top/AddResults';
import { Dialogs, type OpenDialog } from './dialogs/Dialogs';
import { ErrorBoundary } from './ErrorBoundary';
import { HelpOverlay } from './dialogs/HelpOverlay';
import type { Panel } from './card/panel';
import { InstancesArea } from './list/InstancesArea';
import { useInertRoot } from './layers';
import { focusItem, useShowInstance, useWindowKeys } from './list/useShowInstance';
import { LogsPanel } from './logs/LogsPanel';
import { TopBanners } from './top/TopBanners';
import { TopBar } from './top/TopBar';
import { useAddResults, useListState, useSettingsPanel } from './hooks/useAppState';
import { useDropZone } from './hooks/useDropZone';
import { WorktreeOffers } from './top/WorktreeOffer';
import { useRegister } from './hooks/useRegister';
import { useStats } from './hooks/useStats';
import { Toasts, useOverview, useWindowEvents } from './hooks/useWindowEvents';
import { AskTrust, useTrustDialog } from './hooks/askTrust';
import { TrustDialog } from './dialogs/TrustDialog';

const NO_USAGE = {};

/** The window: header, add field, the list, and the layers over it (logs pane, dialogs, toasts). */
export function App({ initial }: { initial: Overview | undefined }) {
  const overview = useOverview(initial);
  const stats = useStats();
  const instances = useMemo(() => overview?.instances ?? [], [overview]);
  const conflicts = useMemo(() => overview?.conflicts ?? [], [overview]);
  const list = useListState(instances, conflicts);
  const { results, addResult, dismiss } = useAddResults();
  const { settingsOpen, openSettings, closeSettings } = useSettingsPanel();
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const [logsOf, setLogsOf] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  const shell = useRef<HTMLDivElement>(null);
  useInertRoot(shell);

  const showInstance = useShowInstance(instances, list.reveal);
  const { register, fresh } = useRegister(addResult, showInstance);
  const trust = useTrustDialog();
  const toasts = useWindowEvents({ focus: showInstance, openSettings, openTrust: trust.openStart });
  const drop = useDropZone(register, addResult);
  useWindowKeys(() => setHelp(true));

  const open = useCallback((panel: Panel, i: InstanceView) => {
    if (panel === 'logs') setLogsOf(i.id);
    else setDialog({ kind: panel, id: i.id });
  }, []);
  const { setView } = list;
  const showCard = useCallback(
    (i: InstanceView) => {
      setView('cards');
      focusItem(i.id);
    },
    [setView],
  );
  const logsInstance = instances.find((i) => i.id === logsOf);

  return (
    <AskTrust.Provider value={trust.open}>
      <div className={`app${drop.dragging ? ' dragging' : ''}`} {...drop.handlers}>
        <div className="shell" ref={shell}>
          <nav className="skips" aria-label="skip links">
            <a href="#instances">Skip to instances</a>
            <a href="#add-path">Skip to add a folder</a>
          </nav>
          <TopBar overview={overview} stats={stats} onSettings={openSettings} onHelp={() => setHelp(true)} />
          <div className={`list-area${toasts.length ? ' has-toasts' : ''}`}>
            <div className="scroller">
              <section className="add-area" aria-label="add folders">
                <AddFolder register={register} />
                <AddResults
                  results={results}
                  dismiss={dismiss}
                  register={(dirs, o) => void register(dirs, o)}
                  show={showInstance}
                />
                <WorktreeOffers offers={overview?.worktreeOffers} register={(dirs, o) => void register(dirs, o)} />
              </section>
              <TopBanners overview={overview} />
              <InstancesArea
                overview={overview}
                instances={instances}
                list={list}
                usage={stats?.instances ?? NO_USAGE}
                fresh={fresh}
                open={open}
                showCard={showCard}
              />
            </div>
            <Toasts toasts={toasts} show={showInstance} />
          </div>
          {logsInstance && (
            <ErrorBoundary key={logsInstance.id} what="The logs panel" onClose={() => setLogsOf(null)}>
              <LogsPanel instance={logsInstance} onClose={() => setLogsOf(null)} />
            </ErrorBoundary>
          )}
        </div>
        {settingsOpen && <Dialogs.Settings onClose={closeSettings} />}
        {help && <HelpOverlay onClose={() => setHelp(false)} />}
        <Dialogs.Instance dialog={dialog} instances={instances} onClose={() => setDialog(null)} />
        {trust.ask && <TrustDialog key={trust.ask.id} ask={trust.ask} onClose={trust.close} />}
        {drop.dragging && (
          <div className="dropzone" aria-hidden="true">
            Drop folders to register them
          </div>
        )}
      </div>
    </AskTrust.Provider>
  );
}
