import { useEffect, useRef, useState } from 'react';
import type { InstanceView } from '../../main/api/table';
import { api } from './bridge';

/** Follows one service (or all) of an instance; main pushes the lines, this only listens. */
export function LogsPanel({ instance: i, onClose }: { instance: InstanceView; onClose: () => void }) {
  const services = Object.keys(i.services);
  const [service, setService] = useState<string | null>(services[0] ?? null);
  const [lines, setLines] = useState<string[]>([]);
  const [error, setError] = useState('');
  const end = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setLines([]);
    setError('');
    let stream: string | null = null;
    let closed = false;
    const off = api.on('log', (l) => {
      if (l.stream === stream) setLines((x) => [...x.slice(-999), service ? l.line : `${l.service}| ${l.line}`]);
    });
    api
      .followLogs(i.name, service)
      .then((r) => {
        stream = r.stream;
        if (closed) void api.stopLogs(r.stream);
      })
      .catch((e: Error) => setError(e.message));
    return () => {
      closed = true;
      off();
      if (stream) void api.stopLogs(stream);
    };
  }, [i.name, service]);

  useEffect(() => end.current?.scrollIntoView({ block: 'end' }), [lines]);

  return (
    <section className="logs" aria-label={`logs of ${i.name}`}>
      <header>
        <h2>Logs · {i.name}</h2>
        <select aria-label="service" value={service ?? ''} onChange={(e) => setService(e.target.value || null)}>
          {services.map((s) => (
            <option key={s} value={s}>{s}</option>
          ))}
          <option value="">all services</option>
        </select>
        <button type="button" onClick={onClose}>Close</button>
      </header>
      {error && <p className="error" role="alert">{error}</p>}
      <pre>
        {lines.join('\n')}
        <div ref={end} />
      </pre>
    </section>
  );
}
