import type { Overview, StatsView } from '../../../main/shared/api/table';
import { BulkButtons } from '../list/BulkButtons';
import { StatsSummary } from './StatsSummary';

/** The header: the engine, how many run, their cost, Start all / Stop all, Settings and the shortcuts. */
export function TopBar(props: {
  overview: Overview | undefined;
  stats: StatsView | undefined;
  onSettings: () => void;
  onHelp: () => void;
}) {
  const { overview, stats } = props;
  const instances = overview?.instances ?? [];
  const running = instances.filter((i) => i.status === 'running').length;
  return (
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
      {/* One flow of text in a narrow window (it wraps as lines, not as a row per item); spread out when wide. */}
      <div className="summary">
        <span className="count">{instances.length ? `${running} of ${instances.length} running` : ''}</span>
        <StatsSummary stats={stats} />
      </div>
      <div className="top-actions">
        <BulkButtons instances={instances} />
        <button type="button" onClick={props.onSettings} aria-haspopup="dialog">
          Settings
        </button>
        <button type="button" onClick={props.onHelp} aria-haspopup="dialog" aria-label="Keyboard shortcuts">
          ?
        </button>
      </div>
    </header>
  );
}
