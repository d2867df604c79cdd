import type { InstanceView } from '../../../main/shared/api/table';
import { portText } from '../../../main/shared/display/portText';
import { fallbackLinks } from '../card/PortChips';

/**
 * A row's ports, as the card links them: an HTTP port is a link while something of its own listens on it
 * (not moved since it started, not held by another program); a database, a cache or any other non-HTTP
 * port stays plain text. Name and number are joined by a no-break space: a port never breaks in two.
 */
export function PortCell({ instance: i, held }: { instance: InstanceView; held: readonly string[] }) {
  const links = i.links ?? fallbackLinks(i);
  // Ports the view has no link for (a view without `links`): their plain numbers, as before.
  const rest = Object.entries(i.ports).filter(([k]) => !links.some((l) => l.key === k));
  const items = [
    ...links.map((l) => {
      const text = `${l.key}\u00a0${portText(l.port, i.spans?.[l.key], i.protocols?.[l.key])}`;
      const live =
        (l.kind === 'http' || l.kind === 'https') &&
        i.listening.includes(l.key) &&
        !held.includes(l.key) &&
        i.oldPorts?.[l.key] === undefined;
      return live ? (
        <a key={l.key} href={l.url} target="_blank" rel="noreferrer" className="port-link">
          {text}
        </a>
      ) : (
        <span key={l.key}>{text}</span>
      );
    }),
    ...rest.map(([k, p]) => <span key={k}>{`${k}\u00a0${p}`}</span>),
  ];
  return (
    <>
      {items.map((item, n) => (
        <span key={item.key}>
          {n > 0 && ' · '}
          {item}
        </span>
      ))}
    </>
  );
}
