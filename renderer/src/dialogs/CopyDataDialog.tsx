import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { CloneDataPlanView, CloneDataView, InstanceView } from '../../../main/shared/api/table';
import { copiedFigures } from '../../../main/shared/display/units';
import { api } from '../bridge';
import { CopyPlan } from './CopyPlan';
import { Modal } from './Modal';
import { Outcome } from './Outcome';
import { useSteps } from '../hooks/useSteps';

/** The dialog's Cancel (or Close) and Replace buttons: where focus lands once Stop it is gone. */
interface CopyButtons {
  cancel: RefObject<HTMLButtonElement | null>;
  replace: RefObject<HTMLButtonElement | null>;
}

/** The copy's plan (re-read when the source changes), the step under way with its progress line, and its outcome. */
function useCopyData(i: InstanceView, onClose: () => void, { cancel, replace }: CopyButtons) {
  const [plan, setPlan] = useState<CloneDataPlanView | null>(null);
  const [source, setSource] = useState<string | null>(null);
  const [busy, setBusy] = useState('');
  const [progress, follow] = useSteps(i.id);
  const [error, setError] = useState('');
  const [done, setDone] = useState<CloneDataView | null>(null);

  const load = useCallback(
    (from: string | null) =>
      api
        .cloneDataPlan(i.id, { source: from })
        .then((p) => (setPlan(p), setSource(p.source), setError('')))
        .catch((e: Error) => setError(e.message)),
    [i.id],
  );
  useEffect(() => void load(null), [load]);

  const step = (what: string, fn: () => Promise<unknown>) => {
    setBusy(what);
    setError('');
    const unfollow = follow();
    fn()
      .catch((e: Error) => setError(e.message))
      .finally(() => (unfollow(), setBusy('')));
  };
  // The Stop it button goes once it is stopped: focus moves on to the next step, never to the page.
  const stopIt = () =>
    step('Stopping…', () =>
      api
        .stopInstance(i.id)
        .then(() => load(source))
        .then(() => setTimeout(() => (replace.current ?? cancel.current)?.focus(), 0)),
    );
  const startIt = () => step('Starting…', () => api.startInstance(i.id).then(onClose));
  const copy = () =>
    step('Copying…', () => api.cloneData(i.id, { source: source!, confirm: i.id }).then((r) => setDone(r)));

  return { plan, source, busy, progress, error, done, load, stopIt, startIt, copy };
}

type CopyData = ReturnType<typeof useCopyData>;

/**
 * "Copy data from…": pick a source among the other instances of the repository (its main checkout
 * first), see which volumes are copied, and confirm by the target's name: its data is replaced after a
 * snapshot. A running target is refused, with a way to stop it here.
 */
export function CopyDataDialog({ instance: i, onClose }: { instance: InstanceView; onClose: () => void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  const replace = useRef<HTMLButtonElement>(null);
  const copyData = useCopyData(i, onClose, { cancel, replace });
  const { plan, busy, done } = copyData;
  // The live status (the window's overview follows the engine), not the plan's moment.
  const running = i.status === 'running' || i.status === 'partial';

  return (
    <Modal labelledBy="copy-title" onClose={onClose} busy={Boolean(busy)} initial={cancel}>
      <h2 id="copy-title">Copy data into {i.label}</h2>
      {plan && !plan.sources.length && (
        <p>No other instance of this repository is registered: register its main checkout first.</p>
      )}
      {plan && plan.sources.length > 0 && !done && (
        <CopyPlan
          instance={i}
          plan={plan}
          source={copyData.source}
          busy={Boolean(busy)}
          running={running}
          onPick={(from) => void copyData.load(from)}
          onStop={copyData.stopIt}
        />
      )}
      {done && <CopyResult instance={i} done={done} />}
      <Outcome progress={busy ? copyData.progress : ''} error={copyData.error} />
      <CopyActions
        instance={i}
        copyData={copyData}
        cancelRef={cancel}
        replaceRef={replace}
        running={running}
        onClose={onClose}
      />
    </Modal>
  );
}

/** What was copied, how long the source was paused, and the snapshot that undoes it. */
function CopyResult({ instance: i, done }: { instance: InstanceView; done: CloneDataView }) {
  return (
    <p role="status" aria-label="copy result">
      Copied and verified {done.copied.map((p) => `${p.from} → ${p.to} (${copiedFigures(p)})`).join(', ')} in{' '}
      {(done.pausedMs / 1000).toFixed(1)} s.
      {done.snapshot && ` Snapshot ${done.snapshot.id} of the previous data kept.`} {i.label} is stopped with the copied
      data.
    </p>
  );
}

/** Cancel and Replace before the copy; Close and Start after it. */
function CopyActions(props: {
  instance: InstanceView;
  copyData: CopyData;
  cancelRef: CopyButtons['cancel'];
  replaceRef: CopyButtons['replace'];
  running: boolean;
  onClose: () => void;
}) {
  const { instance: i, copyData, cancelRef, replaceRef, running, onClose } = props;
  const { plan, busy, done } = copyData;
  return (
    <div className="dialog-actions">
      <button type="button" ref={cancelRef} onClick={onClose} disabled={Boolean(busy)}>
        {done ? 'Close' : 'Cancel'}
      </button>
      {done && (
        <button type="button" onClick={copyData.startIt} disabled={Boolean(busy)}>
          {busy === 'Starting…' ? busy : `Start ${i.label}`}
        </button>
      )}
      {!done && (
        <button
          type="button"
          ref={replaceRef}
          className="danger"
          disabled={Boolean(busy) || !plan?.pairs.length || running || !copyData.source}
          onClick={copyData.copy}
        >
          {busy === 'Copying…' ? busy : `Replace ${i.label}'s data`}
        </button>
      )}
    </div>
  );
}
