import { useRef, useState } from 'react';
import type { InstanceView } from '../../../main/shared/api/table';
import { useLayer } from '../layers';
import { LogLines } from './LogLines';
import { useLogStream, type LogLine } from './useLogStream';
import { PaneResizer } from './PaneResizer';

function lineText(l: LogLine, all: boolean, stamps: boolean): string {
  return `${stamps && l.time ? `${l.time} ` : ''}${all ? `${l.service}| ` : ''}${l.line}`;
}

/**
 * Follows one service (or all) of an instance, in a pane below the list that never covers it: the
 * recent lines at once, then new ones. Pause, search, wrap, timestamps and copy; Escape closes it and
 * focus goes back to the Logs button that opened it.
 */
export function LogsPanel({ instance: i, onClose }: { instance: InstanceView; onClose: () => void }) {
  const services = Object.keys(i.services);
  // All services first, as `docker compose logs` shows them: which one failed is rarely known up front.
  const [service, setService] = useState<string | null>(null);
  const [paused, setPaused] = useState(false);
  const [query, setQuery] = useState('');
  const [wrap, setWrap] = useState(true);
  const [stamps, setStamps] = useState(false);
  const [copied, setCopied] = useState('');
  const { lines, held, error } = useLogStream(i.id, service, paused);
  const ref = useRef<HTMLElement>(null);
  const first = useRef<HTMLSelectElement>(null);
  useLayer(ref, onClose, { modal: false, initial: first });

  const text = (l: LogLine) => lineText(l, service === null, stamps);
  const copy = () => {
    const shown = lines.map(text).filter((t) => !query || t.toLowerCase().includes(query.toLowerCase()));
    navigator.clipboard.writeText(shown.join('\n')).then(
      () => setCopied(`Copied ${shown.length} lines`),
      () => setCopied('Copy failed: select the lines and copy them by hand'),
    );
  };
  return (
    <section className="logs" aria-label={`logs of ${i.label}`} ref={ref}>
      <PaneResizer />
      <header>
        <h2>Logs · {i.label}</h2>
        <select
          aria-label="service"
          ref={first}
          value={service ?? ''}
          onChange={(e) => (setService(e.target.value || null), setCopied(''))}
        >
          {services.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
          <option value="">all services</option>
        </select>
        <input
          type="search"
          aria-label="search the logs"
          placeholder="Search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <button type="button" aria-pressed={paused} onClick={() => setPaused(!paused)}>
          {paused ? `Resume${held ? ` (${held} new)` : ''}` : 'Pause'}
        </button>
        <button type="button" aria-pressed={wrap} onClick={() => setWrap(!wrap)}>
          Wrap
        </button>
        <button type="button" aria-pressed={stamps} onClick={() => setStamps(!stamps)}>
          Timestamps
        </button>
        <button type="button" onClick={copy}>
          Copy
        </button>
        <button type="button" className="close" onClick={onClose}>
          Close
        </button>
      </header>
      {copied && (
        <p className="note" role="status">
          {copied}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <LogLines lines={lines.map(text)} query={query} wrap={wrap} follow={!paused} />
    </section>
  );
}
