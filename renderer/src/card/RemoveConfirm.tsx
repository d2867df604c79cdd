import { useRef } from 'react';
import type { InstanceView } from '../../../main/shared/api/table';
import { useLayer } from '../layers';

/** Where focus goes once the confirm is gone: the More that offered Remove, or (the card removed) the search. */
function afterConfirm(id: string): HTMLElement | null {
  const card = document.querySelector<HTMLElement>(`[data-instance="${CSS.escape(id)}"]`);
  return card?.querySelector<HTMLElement>('[data-act=more]') ?? card ?? document.getElementById('instance-search');
}

/** Remove's inline confirm: focus on the safe choice, Escape keeps. */
export function RemoveConfirm(props: { instance: InstanceView; onRemove: () => void; onKeep: () => void }) {
  const i = props.instance;
  const ref = useRef<HTMLSpanElement>(null);
  const keep = useRef<HTMLButtonElement>(null);
  useLayer(ref, props.onKeep, { modal: false, initial: keep, fallback: () => afterConfirm(i.id) });
  const up = i.status === 'running' || i.status === 'partial';
  return (
    <span className="confirm" ref={ref}>
      {up
        ? `Stop and remove the containers of ${i.label}, and forget it? (files and volumes stay)`
        : i.status === 'stopped'
          ? `Remove the stopped containers of ${i.label}, and forget it? (files and volumes stay)`
          : `Forget ${i.label}? (files and volumes stay)`}
      <button type="button" onClick={props.onRemove}>
        Remove
      </button>
      <button type="button" ref={keep} onClick={props.onKeep}>
        Keep
      </button>
    </span>
  );
}
