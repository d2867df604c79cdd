import { useContext } from 'react';
import type { InstanceView } from '../../../main/shared/api/table';
import { api } from '../bridge';
import { AskTrust } from '../hooks/askTrust';
import type { CardRun } from './CardMessage';

/**
 * Its compose file reaches the host (a folder outside the checkout, the Docker socket, privileged…) and no
 * person has accepted that: said before a start is refused, with the dialog that lists it a click away.
 */
export function TrustLine({ instance: i, run }: { instance: InstanceView; run: CardRun }) {
  const ask = useContext(AskTrust);
  if (!i.needsTrust) return null;
  const start = () => run(() => api.startInstance(i.id));
  return (
    <p className="trust-line" data-testid="needs-trust">
      Its compose file reaches this machine beyond its folder: a start asks you first.{' '}
      <button type="button" className="link" aria-haspopup="dialog" onClick={() => ask({ id: i.id, retry: start })}>
        Review access…
      </button>
    </p>
  );
}
