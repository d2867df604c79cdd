import { useEffect, useState } from 'react';
import type { StackPreviewView } from '../../../main/shared/api/table';
import { api } from '../bridge';

export type StackPick = 'compose' | 'aegisx';

/** What main says registering the typed folder will use; asked a moment after typing stops. */
export function useStackPreview(dir: string): StackPreviewView | null {
  const typed = dir.trim();
  // Kept with the text it answers, so a preview never shows for another folder than the one typed.
  const [preview, setPreview] = useState<{ dir: string; view: StackPreviewView } | null>(null);
  useEffect(() => {
    if (!typed) return;
    let live = true;
    const t = setTimeout(() => {
      api.previewFolder(typed).then(
        (view) => live && setPreview({ dir: typed, view }),
        () => undefined, // not a folder (yet): Add says why
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [typed]);
  return preview && preview.dir === typed ? preview.view : null;
}

/** The choice offered: only for a folder not registered yet that has its own compose file. */
export function offersChoice(p: StackPreviewView | null): boolean {
  return Boolean(p && !p.registered && p.composeFiles.length && p.pick !== 'recorded');
}

/** The default of the two buttons: what registering would use; none where the user must choose. */
export function defaultPick(p: StackPreviewView): StackPick | null {
  return p.pick === 'compose' ? 'compose' : p.pick === 'aegisx' ? 'aegisx' : null;
}

/** Under the add field: which stack the folder gets, and the other one to pick before Add. */
export function StackChoice(props: {
  preview: StackPreviewView;
  pick: StackPick | null;
  setPick: (p: StackPick) => void;
}) {
  const { preview: p, pick } = props;
  if (!offersChoice(p))
    return (
      <p className="stack-line" data-pick={p.pick}>
        Stack: {p.text}
      </p>
    );
  const files = p.composeFiles.join(' + ');
  const services = p.services.length ? ` (${p.services.join(', ')})` : '';
  return (
    <fieldset className="stack-choice" data-pick={p.pick}>
      <legend>{p.pick === 'ask' ? 'Choose its stack' : 'Stack'}</legend>
      {p.pick === 'ask' && <p className="stack-line">{p.text}</p>}
      <label>
        <input type="radio" name="stack" checked={pick === 'compose'} onChange={() => props.setPick('compose')} />
        its own {files}
        {services}
      </label>
      <label>
        <input type="radio" name="stack" checked={pick === 'aegisx'} onChange={() => props.setPick('aegisx')} />
        the AegisX stack (postgres, redis, pgadmin)
      </label>
    </fieldset>
  );
}
