import { useContext, useEffect, useState, type ReactNode } from 'react';
import type { InstanceView, WorktreePolicyView } from '../../../main/shared/api/table';
import { api } from '../bridge';
import { AskTrust } from '../hooks/askTrust';
import { Check } from './Check';
import { Modal } from './Modal';
import { Outcome } from './Outcome';

type Policy = WorktreePolicyView['policy'];
type Idle = WorktreePolicyView['idle'];

interface Choice {
  key: keyof Policy;
  label: string;
  options: [string, string][];
}

const CHOICES: Choice[] = [
  {
    key: 'register',
    label: 'A new worktree',
    options: [
      ['auto', 'is registered'],
      ['ask', 'is offered (a notification)'],
      ['off', 'is left alone'],
    ],
  },
  {
    key: 'dataFrom',
    label: 'Its data',
    options: [
      ['main', "a copy of main's"],
      ['none', 'empty'],
    ],
  },
  {
    key: 'onRemove',
    label: 'A removed worktree',
    options: [
      ['keep', 'keeps its instance'],
      ['snapshot-and-remove', 'is removed after a snapshot of its volumes'],
      ['remove', 'is removed, volumes too (no snapshot)'],
    ],
  },
];

/** The policy as read from the repository's file, the one being edited, and what the last save said. */
function usePolicy(id: string) {
  const [view, setView] = useState<WorktreePolicyView | null>(null);
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [idle, setIdle] = useState<Idle | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    api
      .worktreePolicy(id)
      .then((v) => (setView(v), setPolicy(v.policy), setIdle(v.idle)))
      .catch((e: Error) => setError(e.message));
  }, [id]);
  // The idle times first: a bad one is refused before anything is written.
  const save = () =>
    void api
      .setIdlePolicy(id, idle!)
      .then(() => api.setWorktreePolicy(id, policy!))
      .then((v) => (setView(v), setPolicy(v.policy), setIdle(v.idle), setStatus(`Saved in ${v.file}`), setError('')))
      .catch((e: Error) => (setStatus(''), setError(e.message)));
  return { view, policy, setPolicy, idle, setIdle, status, error, save };
}

/** The repository's `worktrees:` policy, written into its `.aegisx-instances.yml` (other keys and comments kept). */
export function PolicyDialog({ instance: i, onClose }: { instance: InstanceView; onClose: () => void }) {
  const { view, policy, setPolicy, idle, setIdle, status, error, save } = usePolicy(i.id);
  const askTrust = useContext(AskTrust);
  // Saved is not in effect: a policy that acts on its own waits for a person's yes (the trust dialog, axi trust).
  const review = () => (onClose(), askTrust({ id: i.id, retry: () => undefined }));
  return (
    <Modal labelledBy="policy-title" onClose={onClose} className="settings">
      <h2 id="policy-title">Worktrees of {view?.repository.split('/').pop() ?? i.label}</h2>
      <p className="hint">
        How new and removed git worktrees of this repository are followed, and when its instances sleep.
        {view && (
          <>
            {' '}
            Kept in <code>{view.file}</code>.
          </>
        )}
      </p>
      {!policy && !error && <p>Reading the policy…</p>}
      {policy && idle && (
        <PolicyForm policy={policy} onChange={setPolicy} onSave={save} onClose={onClose}>
          <IdleFields idle={idle} onChange={setIdle} />
          <Outcome status={status} error={error} />
          {view?.pending && (
            <p className="note pending-policy" data-testid="policy-pending">
              Not in effect yet: until you accept it, a new worktree is only offered (nothing registers, starts or
              copies on its own).{' '}
              <button type="button" onClick={review}>
                Review and accept…
              </button>
            </p>
          )}
        </PolicyForm>
      )}
      {!policy && (
        <>
          <Outcome error={error} />
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      )}
    </Modal>
  );
}

/** The form: what is done when a worktree is added, when one is removed; the outcome above Close and Save. */
function PolicyForm(props: {
  policy: Policy;
  onChange: (p: Policy) => void;
  onSave: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  const { policy, onChange } = props;
  return (
    <form
      className="policy-form"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave();
      }}
    >
      <fieldset className="setting">
        <legend>When a worktree is added</legend>
        {CHOICES.slice(0, 2).map((c) => (
          <PolicyChoice key={c.key} choice={c} policy={policy} onChange={onChange} />
        ))}
        <Check name="start" checked={policy.start} onChange={(start) => onChange({ ...policy, start })}>
          Start a new worktree&apos;s instance
        </Check>
      </fieldset>
      <fieldset className="setting">
        <legend>When a worktree is removed</legend>
        <PolicyChoice choice={CHOICES[2]!} policy={policy} onChange={onChange} />
      </fieldset>
      {props.children}
      <div className="dialog-actions">
        <button type="button" onClick={props.onClose}>
          Close
        </button>
        <button type="submit">Save</button>
      </div>
    </form>
  );
}

/** One choice: its label above, the select under it, aligned like the settings' fields. */
function PolicyChoice(props: { choice: Choice; policy: Policy; onChange: (p: Policy) => void }) {
  const { choice: c, policy } = props;
  const id = `policy-${c.key}`;
  return (
    <div className="policy-field">
      <label htmlFor={id}>{c.label}</label>
      <select
        id={id}
        value={String(policy[c.key])}
        onChange={(e) => props.onChange({ ...policy, [c.key]: e.target.value })}
      >
        {c.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Idle sleep: after how long unused each kind of checkout is stopped (`off`: never), and whether to say so. */
function IdleFields({ idle, onChange }: { idle: Idle; onChange: (i: Idle) => void }) {
  const time = (key: 'main' | 'worktrees', label: string) => (
    <div className="policy-field">
      <label htmlFor={`idle-${key}`}>{label}</label>
      <input
        id={`idle-${key}`}
        value={idle[key]}
        placeholder="30m, 2h or off"
        onChange={(e) => onChange({ ...idle, [key]: e.target.value })}
      />
    </div>
  );
  return (
    <fieldset className="setting">
      <legend>When nobody uses an instance</legend>
      {time('worktrees', 'A worktree sleeps after')}
      {time('main', 'The main checkout sleeps after')}
      <Check name="notify when asleep" checked={idle.notify} onChange={(notify) => onChange({ ...idle, notify })}>
        Notify me when one is put to sleep
      </Check>
    </fieldset>
  );
}
