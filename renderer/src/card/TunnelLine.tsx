import { useState } from 'react';
import type { InstanceView, TunnelView } from '../../../main/shared/api/table';
import { api } from '../bridge';

function stateText(t: TunnelView): string {
  switch (t.state) {
    case 'open':
      return `open: ${t.ports.map((p) => `127.0.0.1:${p}`).join(', ')}`;
    case 'opening':
      return 'opening…';
    case 'retrying':
      return `down, retrying${t.error ? `: ${t.error}` : ''}`;
    case 'idle':
      return 'opens when it runs';
    default:
      return 'off: its ports answer only on the engine host';
  }
}

/**
 * A remote instance on an SSH engine: the switch that keeps a tunnel open while it runs (its ports then
 * answer on this machine, as its .env.local says), and what the tunnel is doing.
 */
export function TunnelLine({ instance: i, onError }: { instance: InstanceView; onError: (text: string) => void }) {
  const [saving, setSaving] = useState(false);
  const t = i.tunnel;
  if (!t) return null;
  const toggle = () => {
    setSaving(true);
    api
      .setTunnel(i.id, { keep: !t.keep })
      .catch((e: Error) => onError(e.message))
      .finally(() => setSaving(false));
  };
  return (
    <p className={`tunnel tunnel-${t.state}`} data-testid="tunnel">
      <label>
        <input type="checkbox" role="switch" checked={t.keep} aria-busy={saving} onChange={toggle} /> Tunnel to this
        machine
      </label>
      <span className="tunnel-state" role="status">
        {' '}
        · {stateText(t)}
      </span>
    </p>
  );
}
