import { useState } from 'react';
import type { WorktreeOfferView } from '../../../main/shared/api/table';
import { api } from '../bridge';
import type { RegisterFolders } from '../hooks/useRegister';

const base = (p: string) => p.split('/').pop() ?? p;

/** One repository's offer: all its new worktrees, registered together (optionally with main's data) or dismissed. */
function Offer({ offer, register }: { offer: WorktreeOfferView; register: RegisterFolders }) {
  const [withData, setWithData] = useState(false);
  const n = offer.paths.length;
  const dismiss = () => {
    // Focus stays in the add area rather than falling to the page when the offer goes.
    document.getElementById('add-path')?.focus();
    void api.dismissWorktreeOffer(offer.repository).catch(() => undefined);
  };
  return (
    <li className="ok" data-repository={offer.repository}>
      <span>
        <strong>{base(offer.repository)}</strong> has {n} new worktree{n > 1 ? 's' : ''} not registered yet:{' '}
        {offer.paths.map(base).join(', ')}.
      </span>{' '}
      <label className="check">
        <input type="checkbox" checked={withData} onChange={(e) => setWithData(e.target.checked)} /> with main&apos;s
        data
      </label>{' '}
      <button type="button" onClick={() => register(offer.paths, withData ? { dataFrom: 'main' } : {})}>
        Register {n > 1 ? `all ${n}` : 'it'}
      </button>
      <button type="button" className="link" onClick={dismiss}>
        Dismiss
      </button>
    </li>
  );
}

/**
 * New worktrees offered for registration: one offer per repository, in one place, kept by main so it
 * survives a reload until it is acted on or dismissed.
 */
export function WorktreeOffers(props: { offers: WorktreeOfferView[] | undefined; register: RegisterFolders }) {
  if (!props.offers?.length) return null;
  return (
    <ul className="results offers" aria-label="new worktrees">
      {props.offers.map((o) => (
        <Offer key={o.repository} offer={o} register={props.register} />
      ))}
    </ul>
  );
}
