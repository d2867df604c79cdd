import { useState } from 'react';
import type { WorktreeView } from '../../../main/shared/table';
import { api, isDesktop } from '../bridge';

export interface AddResult {
  id: number;
  /** What was typed or dropped. */
  dir: string;
  /** The folder it named, once known (a success): results for one folder replace each other. */
  folder?: string;
  /** It failed only because its ports are taken: offered again with other ports. */
  portsTaken?: boolean;
  /** A failure's code as main gave it (kept on the item, so tests see it crossed the bridge). */
  code?: string;
  ok: boolean;
  text: string;
  /** Registered already: the instance it is, offered by a Show button (the window does not scroll away from the message). */
  existing?: { id: string; label: string };
  /** Other worktrees of the same repository, offered for registration in one click. */
  worktrees?: WorktreeView[];
}

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
