import type { InstanceView } from '../../../main/shared/api/table';

/**
 * The instance's name on the local router (`fix-login.shop.localhost`), before its ports: a link while it
 * runs (the router sends it there, with its own cookies), plain text otherwise. Absent while no router runs.
 */
export function NameLink({ instance: i }: { instance: InstanceView }) {
  const own = !i.routerDown && i.routes?.find((r) => r.web && r.key !== null);
  if (!own) return null;
  const shown = own.url.replace(/^https?:\/\//, '');
  const up = i.status === 'running' || i.status === 'partial';
  return (
    <p className="name-url">
      {up ? (
        <a href={own.url} target="_blank" rel="noreferrer" title={`${own.url} (by port: ${i.urls.WEB_URL ?? '-'})`}>
          {shown}
        </a>
      ) : (
        <span title="links once it runs">{shown}</span>
      )}
    </p>
  );
}
