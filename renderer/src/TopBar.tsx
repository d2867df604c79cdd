import { useState } from 'react';
import type { InstanceView, Overview, StatsView } from '../../main/api/table';
import { api } from './bridge';
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
      <span className="count">{instances.length ? `${running} of ${instances.length} running` : ''}</span>
      <StatsSummary stats={stats} />
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
