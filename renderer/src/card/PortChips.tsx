import { useState } from 'react';
import type { InstanceView } from '../../../main/shared/table';

const LINKS: [string, string][] = [
  ['web', 'WEB_URL'],
  ['api', 'API_URL'],
  ['admin', 'ADMIN_URL'],
  ['pgadmin', 'PGADMIN_URL'],
];
const COPIES: [string, string][] = [
  ['postgres', 'DATABASE_URL'],
  ['redis', 'REDIS_URL'],
];

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
  return (
    <div className="ports" role="group" aria-label="ports">
      {LINKS.filter(([svc]) => i.ports[svc]).map(([svc, key]) =>
        i.listening.includes(svc) && i.urls[key] && !held.includes(svc) ? (
          <a key={svc} href={i.urls[key]} target="_blank" rel="noreferrer" className="port live" data-port={svc}>
            {svc} <b>{i.ports[svc]}</b>
          </a>
        ) : (
          <span
            key={svc}
            className="port"
            data-port={svc}
            title={
              held.includes(svc) ? `another program holds ${i.ports[svc]}` : `nothing listens on ${i.ports[svc]} yet`
            }
          >
            {svc} <b>{i.ports[svc]}</b>
          </span>
        ),
      )}
      {COPIES.filter(([, k]) => i.urls[k]).map(([svc, k]) => (
        <button
          key={k}
          type="button"
          className="port copy"
          onClick={() => void copy(k)}
          title={i.urls[k]}
          data-port={svc}
        >
          {svc} <b>{i.ports[svc]}</b> {copied === k ? 'copied' : `copy ${k}`}
        </button>
      ))}
    </div>
  );
}
