import { useRef, useState } from 'react';
import type { InstanceView } from '../../../main/shared/api/table';
import { api } from '../bridge';
import { useLayer } from '../layers';

/** Starting more than this many at once is confirmed first: each one is a whole stack. */
const CONFIRM_OVER = 3;

type What = 'start' | 'stop';
interface Bulk {
  what: What;
  /** The instances it works on, by id. */
  ids: string[];
  /** Those seen busy with it so far: once no longer busy, they are done. */
  begun: string[];
}

const startable = (i: InstanceView) => i.status !== 'running' && !i.busy;
const isUp = (i: InstanceView) => i.status === 'running' || i.status === 'partial';

/** "Start 5 instances?" in the header; focus on Cancel, Escape cancels. */
function StartAllConfirm(props: { count: number; onStart: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLSpanElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useLayer(ref, props.onCancel, {
    modal: false,
    initial: cancel,
    fallback: () => document.getElementById('start-all'),
  });
  return (
    <span className="confirm" ref={ref}>
      Start {props.count} instances, two at a time?
      <button type="button" onClick={props.onStart}>
        Start {props.count}
      </button>
      <button type="button" ref={cancel} onClick={props.onCancel}>
        Cancel
      </button>
    </span>
  );
}

/** What a bulk action is doing now: who is being worked on, and how many are done. */
function progressText(bulk: Bulk, instances: InstanceView[]): string {
  const working = instances.filter((i) => bulk.ids.includes(i.id) && i.busy === bulk.what);
  const done = bulk.begun.filter((id) => !working.some((i) => i.id === id)).length;
  const verb = bulk.what === 'start' ? 'Starting' : 'Stopping';
  const names = working.map((i) => i.label).join(', ');
  return `${verb} ${names || '…'}${names ? '…' : ''} (${done} of ${bulk.ids.length} done)`;
}

/** Runs Start all or Stop all; resolves to the summary said once it is over (a failure too). */
function bulkCall(what: What): Promise<string> {
  const call =
    what === 'start'
      ? api
          .startAll()
          .then(
            (r) =>
              `Started ${r.started.length}${r.failed.length ? `; ${r.failed.length} failed: ${r.failed.join(', ')} (see ${r.failed.length > 1 ? 'their cards' : 'its card'})` : ''}`,
          )
      : api.stopAll().then((r) => `Stopped ${r.stopped.length}`);
  return call.catch((e: Error) => `Failed: ${e.message}`);
}

/**
 * The bulk action under way (its instances seen busy recorded as the overview shows them), its summary
 * for a few seconds after, and whether Start all is being confirmed.
 */
function useBulk(instances: InstanceView[]) {
  const [bulk, setBulk] = useState<Bulk | null>(null);
  const [summary, setSummary] = useState('');
  const [asking, setAsking] = useState(false);
  if (bulk) {
    const seen = instances.filter((i) => bulk.ids.includes(i.id) && i.busy === bulk.what && !bulk.begun.includes(i.id));
    if (seen.length) setBulk({ ...bulk, begun: [...bulk.begun, ...seen.map((i) => i.id)] });
  }
  const run = (what: What, ids: string[]) => {
    setAsking(false);
    setSummary('');
    setBulk({ what, ids, begun: [] });
    void bulkCall(what).then((text) => {
      setBulk(null);
      setSummary(text);
      setTimeout(() => setSummary((s) => (s === text ? '' : s)), 8000);
    });
  };
  return { bulk, summary, asking, setAsking, run };
}

/**
 * Start all / Stop all: busy while they work (Start all two instances at a time), naming the instances
 * being worked on and how many are done, then a summary. Starting more than three asks first.
 */
export function BulkButtons({ instances }: { instances: InstanceView[] }) {
  const { bulk, summary, asking, setAsking, run } = useBulk(instances);
  const toStart = instances.filter(startable);
  const up = instances.filter(isUp);
  const startAll = () =>
    run(
      'start',
      toStart.map((i) => i.id),
    );
  const stopAll = () =>
    run(
      'stop',
      up.map((i) => i.id),
    );
  const start = () => (toStart.length > CONFIRM_OVER ? setAsking(true) : startAll());
  return (
    <>
      <button
        id="start-all"
        type="button"
        aria-disabled={Boolean(bulk) || !toStart.length}
        onClick={bulk || !toStart.length ? undefined : start}
      >
        Start all
      </button>
      <button
        type="button"
        aria-disabled={Boolean(bulk) || !up.length}
        onClick={bulk || !up.length ? undefined : stopAll}
      >
        Stop all
      </button>
      {asking && <StartAllConfirm count={toStart.length} onStart={startAll} onCancel={() => setAsking(false)} />}
      {(bulk || summary) && (
        <span className="bulk" role="status">
          {bulk ? progressText(bulk, instances) : summary}
        </span>
      )}
    </>
  );
}
