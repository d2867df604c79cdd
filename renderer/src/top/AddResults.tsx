import { useRef } from 'react';
import type { AddResult } from './AddFolder';
import { useFade } from '../hooks/useFade';
import type { RegisterFolders } from '../hooks/useRegister';

/** At most this many results are kept; the oldest go first. */
const MAX_RESULTS = 5;

/** A new result replaces the older ones about the same folder (typed the same way, or resolved to it). */
export function withResult(results: AddResult[], r: AddResult): AddResult[] {
  const same = (y: AddResult) => y.dir === r.dir || (r.folder !== undefined && (y.folder ?? y.dir) === r.folder);
  return [...results.filter((y) => !same(y)), r].slice(-MAX_RESULTS);
}

/** One result; a plain success fades after a while unless hovered or focused. */
function ResultItem(props: {
  r: AddResult;
  dismiss: (r: AddResult) => void;
  register: RegisterFolders;
  show: (id: string) => void;
}) {
  const { r, dismiss } = props;
  const ref = useRef<HTMLLIElement>(null);
  useFade(ref, r.ok ? r.id : null, () => dismiss(r));
  return (
    <li ref={ref} className={r.ok ? 'ok' : 'bad'} data-dir={r.dir} data-code={r.code}>
      <span>
        <strong>{r.dir}</strong>: {r.text}
      </span>
      {r.existing && (
        <button type="button" onClick={() => props.show(r.existing!.id)}>
          Show {r.existing.label}
        </button>
      )}
      {r.chooseStack && (
        <>
          <button type="button" onClick={() => props.register([r.dir], { stack: 'compose' })}>
            Use its compose file
          </button>
          <button type="button" onClick={() => props.register([r.dir], { stack: 'aegisx' })}>
            Use the AegisX stack
          </button>
        </>
      )}
      {r.portsTaken && (
        <button type="button" onClick={() => props.register([r.dir], { reassign: true })}>
          Register with other ports
        </button>
      )}
      {r.adoptable && (
        <button type="button" onClick={() => props.register([r.dir], { adopt: true })}>
          Adopt it (same ports and data)
        </button>
      )}
      <button type="button" className="link" onClick={() => dismiss(r)}>
        Dismiss
      </button>
    </li>
  );
}

/**
 * Results of adding folders, the latest one per folder: successes fade after a while, failures stay
 * until dismissed (a repository's other worktrees are offered apart: WorktreeOffers). A failure caused only by taken ports offers other ports.
 */
export function AddResults(props: {
  results: AddResult[];
  dismiss: (r: AddResult) => void;
  register: RegisterFolders;
  show: (id: string) => void;
}) {
  if (!props.results.length) return null;
  return (
    <ul className="results" aria-live="polite">
      {props.results.map((r) => (
        <ResultItem key={r.id} r={r} dismiss={props.dismiss} register={props.register} show={props.show} />
      ))}
    </ul>
  );
}
