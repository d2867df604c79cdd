import type { ReactNode } from 'react';

/** A yes/no field: the checkbox and its words on one line, named for assistive tech by `name`. */
export function Check(props: { name: string; checked: boolean; onChange: (on: boolean) => void; children: ReactNode }) {
  return (
    <label className="check">
      <input
        type="checkbox"
        aria-label={props.name}
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
      />{' '}
      {props.children}
    </label>
  );
}
