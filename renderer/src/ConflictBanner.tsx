import { useState } from 'react';
import type { ConflictView } from '../../main/api/table';
import { api } from './bridge';

export function ConflictBanner({ conflict: c }: { conflict: ConflictView }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const target = c.instances[0]!;
  const owner =
    c.kind === 'host'
      ? c.process
        ? `${c.process.name} (pid ${c.process.pid})`
        : 'another program'
      : c.instances.slice(1).join(', ');
  return (
    <div className="banner" role="alert">
      <span>
        Port <strong>{c.port}</strong> ({c.service}) of <strong>{target}</strong> is{' '}
        {c.kind === 'host' ? 'in use by' : 'also registered to'} <strong>{owner}</strong>.
      </span>
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setError('');
          api
            .reassignPorts(target)
            .catch((e: Error) => setError(e.message))
            .finally(() => setBusy(false));
        }}
      >
        {busy ? 'Reassigning…' : `Reassign ports of ${target}`}
      </button>
      {error && <span className="error">{error}</span>}
    </div>
  );
}
