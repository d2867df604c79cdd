import { useState } from 'react';
import type { WorktreeView } from '../../../main/shared/api/table';
import { api, isDesktop } from '../bridge';
import { defaultPick, offersChoice, StackChoice, useStackPreview, type StackPick } from './StackChoice';

export interface AddResult {
  id: number;
  /** What was typed or dropped. */
  dir: string;
  /** The folder it named, once known (a success): results for one folder replace each other. */
  folder?: string;
  /** It failed only because its ports are taken: offered again with other ports. */
  portsTaken?: boolean;
  /** The team's scripts made it (their files, containers, volumes): offered for adoption, data kept. */
  adoptable?: boolean;
  /** A failure's code as main gave it (kept on the item, so tests see it crossed the bridge). */
  code?: string;
  ok: boolean;
  text: string;
  /** Registered already: the instance it is, offered by a Show button (the window does not scroll away from the message). */
  existing?: { id: string; label: string };
  /** Its own compose file and the AegisX stack are both plausible: offered as two buttons. */
  chooseStack?: boolean;
  /** Other worktrees of the same repository, offered for registration in one click. */
  worktrees?: WorktreeView[];
}

/** The typed path: kept when registration fails, so a typo can be fixed rather than typed again. */
export function AddFolder({
  register,
}: {
  register: (dirs: string[], opts?: { stack?: StackPick }) => Promise<boolean>;
}) {
  const [path, setPath] = useState('');
  const preview = useStackPreview(path);
  const [chosen, setChosen] = useState<{ folder: string; pick: StackPick } | null>(null);
  // A choice holds for the folder it was made for; another folder starts from its own default.
  const pick = preview && (chosen?.folder === preview.folder ? chosen.pick : defaultPick(preview));
  const mustChoose = offersChoice(preview) && !pick;
  return (
    <form
      className="add"
      id="add-folder"
      onSubmit={(e) => {
        e.preventDefault();
        const stack = offersChoice(preview) && pick ? { stack: pick } : {};
        if (path.trim() && !mustChoose) void register([path.trim()], stack).then((ok) => ok && setPath(''));
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
      <button type="submit" disabled={!path.trim() || mustChoose}>
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
      {preview && (
        <StackChoice preview={preview} pick={pick} setPick={(p) => setChosen({ folder: preview.folder, pick: p })} />
      )}
    </form>
  );
}
