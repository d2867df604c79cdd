import type { InstanceView } from '../../../main/shared/api/table';

function serviceText(s: { state: string; health: string }): string {
  return s.state === 'running' && s.health !== 'none' ? s.health : s.state;
}

/** Per-service state on demand: the summary counts, the list names each one. */
export function ServiceDetails({ instance: i }: { instance: InstanceView }) {
  const all = Object.entries(i.services);
  if (!all.length) return null;
  const running = all.filter(([, s]) => s.state === 'running').length;
  return (
    <details className="services-detail">
      <summary>
        Services: {running} of {all.length} running
      </summary>
      <ul className="services" aria-label="services">
        {all.map(([name, s]) => (
          <li key={name} className={`svc svc-${serviceText(s)}`} data-service={name}>
            <span className="dot" aria-hidden="true" />
            {name} <em>{serviceText(s)}</em>
          </li>
        ))}
      </ul>
    </details>
  );
}
