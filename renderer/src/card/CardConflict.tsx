import { useState } from 'react';
import { portMoves } from '../../../main/api/instanceDisplay';
import type { ConflictView, InstanceView } from '../../../main/api/table';
import { api } from '../bridge';

function holder(c: ConflictView): string {
  if (c.kind === 'registry') return `also registered to ${c.instances.slice(1).join(', ')}`;
  return `in use by ${c.process ? `${c.process.name} (pid ${c.process.pid})` : 'another program'}`;
}

/**
 * An instance's port conflicts, said once, on the instance, with the one action that fixes them. What
 * the reassignment moved is said after it (old → new), until the next one.
 */
export function CardConflict(props: {
  instance: InstanceView;
  conflicts: ConflictView[];
  onMoved: (text: string) => void;
}) {
  const { instance: i, conflicts } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  if (!conflicts.length) return null;
  const reassign = () => {
    setBusy(true);
    setError('');
    const before = { ...i.ports };
    api
      .reassignPorts(i.id)
      .then((after) => props.onMoved(`Ports reassigned: ${portMoves(before, after.ports)}.`))
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(false));
  };
  return (
    <div className="conflict" role="alert">
      <p>
        {conflicts.map((c, k) => (
          <span key={`${c.kind}:${c.port}`}>
            {k > 0 && '; '}
            Port <strong>{c.port}</strong> ({c.service}) is {holder(c)}
          </span>
        ))}
        .
      </p>
      <button type="button" aria-disabled={busy} onClick={busy ? undefined : reassign}>
        {busy ? 'Reassigning…' : 'Reassign ports'}
      </button>
      {error && <p className="error">{error}</p>}
    </div>
  );
}
