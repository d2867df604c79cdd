import type { NotificationView, WorktreeOfferView } from '../../shared/api/table';

/**
 * The offers still standing, one per repository listing all its new worktrees: a worktree registered
 * since (from the offer, the CLI or a policy) is no longer offered, and a repository with none left has no offer.
 */
export function pendingOffers(
  offers: ReadonlyMap<string, readonly string[]>,
  registered: ReadonlySet<string>,
): WorktreeOfferView[] {
  const out: WorktreeOfferView[] = [];
  for (const [repository, paths] of offers) {
    const left = paths.filter((p) => !registered.has(p) && p !== repository);
    if (left.length) out.push({ repository, paths: left });
  }
  return out.sort((a, b) => a.repository.localeCompare(b.repository));
}

/**
 * The new worktrees offered for registration, kept by the controller (not by a window) so that an offer
 * survives a reload until it is acted on or dismissed. Each repository's offer is one, however many
 * worktrees it lists; a dismissed one comes back only for a worktree not offered before.
 */
export class WorktreeOffers {
  private readonly offers = new Map<string, string[]>();
  private readonly dismissed = new Map<string, Set<string>>();

  /** Offers `paths` of `repository`; true when that makes a new offer (worth one notification), false when it grew or was already said. */
  add(repository: string, paths: readonly string[]): boolean {
    const had = this.offers.get(repository) ?? [];
    const gone = this.dismissed.get(repository) ?? new Set<string>();
    const fresh = paths.filter((p) => p !== repository && !had.includes(p) && !gone.has(p));
    if (!fresh.length) return false;
    this.offers.set(repository, [...had, ...fresh]);
    return had.length === 0;
  }

  /** The user dismissed the repository's offer: its worktrees are not offered again. True if there was one. */
  dismiss(repository: string): boolean {
    const had = this.offers.get(repository);
    if (!had) return false;
    this.dismissed.set(repository, new Set([...(this.dismissed.get(repository) ?? []), ...had]));
    this.offers.delete(repository);
    return true;
  }

  /** What the overview shows, given the folders registered now (registered ones are dropped for good). */
  views(registered: ReadonlySet<string>): WorktreeOfferView[] {
    const views = pendingOffers(this.offers, registered);
    const kept = new Set(views.map((v) => v.repository));
    for (const repository of [...this.offers.keys()]) if (!kept.has(repository)) this.offers.delete(repository);
    for (const v of views) this.offers.set(v.repository, [...v.paths]);
    return views;
  }
}

/** The notification a repository's new offer deserves: one for all the worktrees one look found. */
export function offerNotification(offer: WorktreeOfferView): NotificationView {
  const repo = offer.repository.split('/').pop() ?? offer.repository;
  const names = offer.paths.map((p) => p.split('/').pop() ?? p);
  const n = names.length;
  return {
    kind: 'worktree-offer',
    title: `New worktree${n > 1 ? 's' : ''} of ${repo}`,
    body: `${names.join(', ')} ${n > 1 ? 'are' : 'is'} not registered yet: register ${n > 1 ? 'them' : 'it'} in the window, or set worktrees.register: auto`,
    instance: null,
    path: offer.repository,
  };
}

/**
 * The controller's side of the offers: what the follower and the add field offer, the window's dismissal,
 * the overview's field, and one notification per new offer (sent once the look that found it settles).
 */
export function offerDesk(p: { notify: (n: NotificationView) => void; changed: () => void; settleMs?: number }) {
  const offers = new WorktreeOffers();
  let registered: ReadonlySet<string> = new Set();
  const offer = (repository: string, paths: readonly string[]) => {
    if (offers.add(repository, paths))
      setTimeout(() => {
        const now = offers.views(registered).find((o) => o.repository === repository);
        if (now) p.notify(offerNotification(now));
      }, p.settleMs ?? 300).unref();
    p.changed();
  };
  return {
    offer,
    dismiss: (repository: string) => {
      const dismissed = offers.dismiss(repository);
      if (dismissed) p.changed();
      return dismissed;
    },
    /** The overview with the offers standing for the folders it lists as registered. */
    withOffers<O extends { instances: readonly { folder: string }[] }>(
      o: O,
    ): O & { worktreeOffers?: WorktreeOfferView[] } {
      registered = new Set(o.instances.map((i) => i.folder));
      const views = offers.views(registered);
      return views.length ? { ...o, worktreeOffers: views } : o;
    },
  };
}

export type OfferDesk = ReturnType<typeof offerDesk>;
