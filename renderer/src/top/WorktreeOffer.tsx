import { useState } from 'react';
import type { WorktreeView } from '../../../main/shared/table';
import type { RegisterFolders } from '../hooks/useRegister';

/** The offer to register a repository's other worktrees, optionally with its main checkout's data. */
export function WorktreeOffer(props: { worktrees: WorktreeView[]; register: RegisterFolders }) {
  const [withData, setWithData] = useState(false);
  const n = props.worktrees.length;
  return (
    <span className="worktrees">
      {' '}
      This repository has {n} more worktree{n > 1 ? 's' : ''} (
      {props.worktrees.map((w) => w.branch ?? w.path.split('/').pop()).join(', ')}).{' '}
      <label className="check">
        <input type="checkbox" checked={withData} onChange={(e) => setWithData(e.target.checked)} /> with main&apos;s
        data
      </label>{' '}
      <button
        type="button"
        onClick={() =>
          props.register(
            props.worktrees.map((w) => w.path),
            withData ? { dataFrom: 'main' } : {},
          )
        }
      >
        Register {n > 1 ? `all ${n}` : 'it'}
      </button>
    </span>
  );
}
