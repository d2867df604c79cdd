import { useEffect, useState } from 'react';
import type { InstanceView, WorktreePolicyView } from '../../main/api/table';
import { api } from './bridge';
import { Modal } from './Modal';
import { Outcome } from './Outcome';

type Policy = WorktreePolicyView['policy'];

const CHOICES: { key: keyof Policy; label: string; options: [string, string][] }[] = [
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

/** The repository's `worktrees:` policy, written into its `.aegisx-instances.yml` (other keys and comments kept). */
export function PolicyDialog({ instance: i, onClose }: { instance: InstanceView; onClose: () => void }) {
  const [view, setView] = useState<WorktreePolicyView | null>(null);
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    api
      .worktreePolicy(i.id)
      .then((v) => (setView(v), setPolicy(v.policy)))
      .catch((e: Error) => setError(e.message));
  }, [i.id]);
  const save = () =>
    void api
      .setWorktreePolicy(i.id, policy!)
      .then((v) => (setView(v), setPolicy(v.policy), setStatus(`Saved in ${v.file}`), setError('')))
      .catch((e: Error) => setError(e.message));

  return (
    <Modal labelledBy="policy-title" onClose={onClose}>
      <h2 id="policy-title">Worktrees of {view?.repository.split('/').pop() ?? i.label}</h2>
      {policy &&
        CHOICES.map((c) => (
          <label className="field" key={c.key}>
            {c.label}{' '}
            <select
              aria-label={c.key}
              value={String(policy[c.key])}
              onChange={(e) => setPolicy({ ...policy, [c.key]: e.target.value })}
            >
              {c.options.map(([value, text]) => (
                <option key={value} value={value}>
                  {text}
                </option>
              ))}
            </select>
          </label>
        ))}
      {policy && (
        <label className="check">
          <input
            type="checkbox"
            aria-label="start"
            checked={policy.start}
            onChange={(e) => setPolicy({ ...policy, start: e.target.checked })}
          />{' '}
          Start a new worktree&apos;s instance
        </label>
      )}
      <Outcome status={status} error={error} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
        <button type="button" disabled={!policy} onClick={save}>
          Save
        </button>
      </div>
    </Modal>
  );
}
