import { lostEngines } from '../../../main/shared/display/engineStates';
import type { Overview } from '../../../main/shared/api/table';

/** One banner per lost remote engine: it names the engine and says only its instances are affected. */
export function EngineBanners({ overview }: { overview: Overview | undefined }) {
  if (!overview) return null;
  return (
    <>
      {lostEngines(overview).map((e) => (
        <div key={e.id} className="banner banner-failed" role="alert" aria-label={`engine ${e.label} unreachable`}>
          <span>
            <strong>The Docker engine {e.label} is unreachable.</strong> Only the{' '}
            {e.count === 1 ? 'instance' : `${e.count} instances`} on it {e.count === 1 ? 'is' : 'are'} unknown until it
            is back; the others are not affected. This updates by itself.
          </span>
        </div>
      ))}
    </>
  );
}
