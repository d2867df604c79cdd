import { useEffect, useState } from 'react';
import type { WorktreeView } from '../../main/api/table';
import { api, isDesktop } from './bridge';
import { WorktreeOffer } from './WorktreeOffer';

export interface AddResult {
  id: number;
  dir: string;
  ok: boolean;
  text: string;
  /** Other worktrees of the same repository, offered for registration in one click. */
  worktrees?: WorktreeView[];
}

/** How long a plain success stays; failures and offers stay until dismissed. */
const FADE_MS = 10_000;

/** The typed path: kept when registration fails, so a typo can be fixed rather than typed again. */
export function AddFolder({ register }: { register: (dirs: string[]) => Promise<boolean> }) {
  const [path, setPath] = useState('');
  return (
    <form
      className="add"
      id="add-folder"
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim()) void register([path.trim()]).then((ok) => ok && setPath(''));
      }}
    >
      <label htmlFor="add-path">Add a repository folder</label>
      <input
        id="add-path"
        value={path}
        onChange={(e) => setPath(e.target.value)}
        placeholder="~/src/aegisx-starter-feature"
        spellCheck={false}
        autoComplete="off"
      />
      <button type="submit" disabled={!path.trim()}>
        Add
      </button>
      {isDesktop && (
        <button
          type="button"
          onClick={() => void api.pickFolders().then((dirs) => (dirs.length ? register(dirs) : undefined))}
        >
          Browse…
        </button>
      )}
      <span className="hint">or drop folders anywhere on this window</span>
    </form>
  );
}

/** Results of adding folders: successes fade after a while, failures and worktree offers stay until dismissed. */
export function AddResults(props: {
  results: AddResult[];
  dismiss: (r: AddResult) => void;
  register: (dirs: string[], dataFrom?: 'main') => void;
}) {
  const { results, dismiss } = props;
  useEffect(() => {
    const fading = results.filter((r) => r.ok && !r.worktrees?.length);
    if (!fading.length) return;
    const t = setTimeout(() => fading.forEach(dismiss), FADE_MS);
    return () => clearTimeout(t);
  }, [results, dismiss]);
  if (!results.length) return null;
  return (
    <ul className="results" aria-live="polite">
      {results.map((r) => (
        <li key={r.id} className={r.ok ? 'ok' : 'bad'}>
          <span>
            <strong>{r.dir}</strong>: {r.text}
          </span>
          {r.worktrees && r.worktrees.length > 0 && <WorktreeOffer worktrees={r.worktrees} register={props.register} />}
          <button type="button" className="link" onClick={() => dismiss(r)}>
            Dismiss
          </button>
        </li>
      ))}
    </ul>
  );
}
