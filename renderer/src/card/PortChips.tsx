import { useState } from 'react';
import type { InstanceView, PortLinkView } from '../../../main/shared/api/table';
import { portText } from '../../../main/shared/display/portText';

/** The AegisX names, for a view without `links` (every port then from its name). */
export function fallbackLinks(i: InstanceView): PortLinkView[] {
  const named: [string, string, PortLinkView['kind']][] = [
    ['web', 'WEB_URL', 'http'],
    ['api', 'API_URL', 'http'],
    ['admin', 'ADMIN_URL', 'http'],
    ['pgadmin', 'PGADMIN_URL', 'http'],
    ['postgres', 'DATABASE_URL', 'postgres'],
    ['redis', 'REDIS_URL', 'redis'],
  ];
  return named
    .filter(([key, name]) => i.ports[key] && i.urls[name])
    .map(([key, name, kind]) => ({ key, name, kind, port: i.ports[key]!, url: i.urls[name]! }));
}

/**
 * Web ports link only when something listens on them (a dead localhost link helps nobody); the
 * others are plain numbers. Database URLs are copied, not opened.
 */
export function PortChips({
  instance: i,
  held,
  onError,
}: {
  instance: InstanceView;
  /** Services whose port another program holds: a link would open that program, not this instance. */
  held: readonly string[];
  onError: (text: string) => void;
}) {
  const [copied, setCopied] = useState('');
  const copy = async (key: string) => {
    try {
      await navigator.clipboard.writeText(i.urls[key]!);
      setCopied(key);
      setTimeout(() => setCopied(''), 1500);
    } catch {
      setCopied('');
      onError(`Copy failed; ${key} is ${i.urls[key]}`);
    }
  };
  const links = i.links ?? fallbackLinks(i);
  return (
    <div className="ports" role="group" aria-label="ports">
      {links.map((l) => {
        const label = (
          <>
            {/* A range is one chip: `media 50100-50200/udp`. */}
            {l.key} <b>{portText(l.port, i.spans?.[l.key], i.protocols?.[l.key])}</b>
          </>
        );
        // Moved while it runs: its containers still publish the old port, so the new one is no URL yet.
        if (i.oldPorts?.[l.key] !== undefined)
          return (
            <span
              key={l.key}
              className="port pending"
              data-port={l.key}
              title={`not in effect yet: restart to use ${l.port}`}
            >
              {label} <i>restart to use</i>
            </span>
          );
        if (l.kind === 'postgres' || l.kind === 'redis')
          return (
            <button
              key={l.key}
              type="button"
              className="port copy"
              onClick={() => void copy(l.name)}
              title={l.url}
              data-port={l.key}
            >
              {label} {copied === l.name ? 'copied' : `copy ${l.name}`}
            </button>
          );
        if (l.kind === 'plain')
          return (
            <span key={l.key} className="port" data-port={l.key} title={`${l.url} (not HTTP)`}>
              {label}
            </span>
          );
        return i.listening.includes(l.key) && !held.includes(l.key) ? (
          <a key={l.key} href={l.url} target="_blank" rel="noreferrer" className="port live" data-port={l.key}>
            {label}
          </a>
        ) : (
          <span
            key={l.key}
            className="port"
            data-port={l.key}
            title={held.includes(l.key) ? `another program holds ${l.port}` : `nothing listens on ${l.port} yet`}
          >
            {label}
          </span>
        );
      })}
    </div>
  );
}
