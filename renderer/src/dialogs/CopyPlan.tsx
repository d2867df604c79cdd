import type { CloneDataPlanView, InstanceView } from '../../../main/shared/api/table';

/** The source picker: the repository's other instances, its main checkout named as such. */
function SourceSelect(props: {
  plan: CloneDataPlanView;
  source: string | null;
  busy: boolean;
  onPick: (source: string) => void;
}) {
  return (
    <label className="field">
      From{' '}
      <select
        aria-label="copy data from"
        value={props.source ?? ''}
        disabled={props.busy}
        onChange={(e) => props.onPick(e.target.value)}
      >
        {props.plan.sources.map((s) => (
          <option key={s.id} value={s.id}>
            {s.main ? `main (${s.label})` : s.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The volumes copied, source → target, and those left alone. */
function VolumePairs({ plan }: { plan: CloneDataPlanView }) {
  return (
    <>
      <ul className="pairs" aria-label="volumes copied">
        {plan.pairs.map((p) => (
          <li key={p.key}>
            <code>{p.from}</code> → <code>{p.to}</code>
          </li>
        ))}
      </ul>
      {!plan.pairs.length && plan.reason && (
        <p className="error" role="alert" aria-label="why nothing can be copied">
          Nothing can be copied: {plan.reason}.
        </p>
      )}
      {plan.unmatched.length > 0 && (
        <p className="muted">Left alone (no match on the other side): {plan.unmatched.join(', ')}</p>
      )}
    </>
  );
}

/** A running target is refused; Stop it is offered in place (aria-disabled, so focus stays on it while busy). */
function RunningAlert(props: { label: string; busy: boolean; onStop: () => void }) {
  return (
    <p className="error" role="alert">
      {props.label} is running: its data can only be replaced while it is stopped.{' '}
      <button type="button" onClick={props.busy ? undefined : props.onStop} aria-disabled={props.busy}>
        Stop it
      </button>
    </p>
  );
}

/** The plan before the copy: from where, which volumes, what happens to the target's data. */
export function CopyPlan(props: {
  instance: InstanceView;
  plan: CloneDataPlanView;
  source: string | null;
  busy: boolean;
  running: boolean;
  onPick: (source: string) => void;
  onStop: () => void;
}) {
  const { instance: i, plan } = props;
  const from = plan.sources.find((s) => s.id === props.source);
  return (
    <>
      <SourceSelect plan={plan} source={props.source} busy={props.busy} onPick={props.onPick} />
      <VolumePairs plan={plan} />
      <p>
        The data of <strong>{i.label}</strong> is replaced by {from?.label ?? 'the source'}&apos;s. A snapshot of it is
        kept first (undo it from <strong>Snapshots…</strong> on its card). A running source is paused only for the copy.
      </p>
      {props.running && <RunningAlert label={i.label} busy={props.busy} onStop={props.onStop} />}
    </>
  );
}
