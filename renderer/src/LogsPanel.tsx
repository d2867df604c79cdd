import { useEffect, useRef, useState } from 'react';
import type { ApiEvents, InstanceView } from '../../main/api/table';
import { api } from './bridge';

const MAX_LINES = 1000;

/** Follows one service (or all) of an instance; main pushes the lines, this only listens. */
export function LogsPanel({ instance: i, onClose }: { instance: InstanceView; onClose: () => void }) {
  const services = Object.keys(i.services);
  const [service, setService] = useState<string | null>(services[0] ?? null);
  const [lines, setLines] = useState<string[]>([]);
  const [error, setError] = useState('');
  const end = useRef<HTMLDivElement>(null);

  // A new service starts a new stream from empty; a new instance remounts the panel (the caller keys it).
  const pickService = (next: string | null) => {
    setLines([]);
    setError('');
    setService(next);
  };

  useEffect(() => {
    const show = (l: ApiEvents['log']) => (service ? l.line : `${l.service}| ${l.line}`);
    // Main starts sending the recent lines before followLogs tells us the stream's id: until then, keep
    // every line that comes in; once the id is known, show its lines in order and drop the rest.
    let stream: string | null = null;
    let early: ApiEvents['log'][] | null = [];
    let closed = false;
    const off = api.on('log', (l) => {
      if (early) early.push(l);
      else if (l.stream === stream) setLines((x) => [...x, show(l)].slice(-MAX_LINES));
    });
    api
      .followLogs(i.id, service)
      .then((r) => {
        if (closed) return void api.stopLogs(r.stream);
        stream = r.stream;
        const mine = (early ?? []).filter((l) => l.stream === r.stream).map(show);
        early = null;
        if (mine.length) setLines((x) => [...x, ...mine].slice(-MAX_LINES));
      })
      .catch((e: Error) => {
        early = null;
        if (!closed) setError(e.message);
      });
    return () => {
      closed = true;
      early = null;
      off();
      if (stream) void api.stopLogs(stream);
    };
  }, [i.id, service]);

  // Braces: an effect may only return a cleanup function, and scrollIntoView returns a Promise in recent Chromium.
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [lines]);

  return (
    <section className="logs" aria-label={`logs of ${i.label}`}>
      <header>
        <h2>Logs · {i.label}</h2>
        <select aria-label="service" value={service ?? ''} onChange={(e) => pickService(e.target.value || null)}>
          {services.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
          <option value="">all services</option>
        </select>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <pre>
        {lines.join('\n')}
        <div ref={end} />
      </pre>
    </section>
  );
}
