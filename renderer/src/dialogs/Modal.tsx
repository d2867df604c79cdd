import { useRef } from 'react';
import { createPortal } from 'react-dom';
import { useLayer } from '../layers';

/**
 * A modal dialog: outside the window's inert content (a portal on <body>), focus trapped inside,
 * Escape and a click on the backdrop close it (not while `busy`), focus returns to what opened it.
 */
export function Modal(props: {
  labelledBy: string;
  onClose: () => void;
  busy?: boolean;
  /** The control that takes focus first (the safe choice: Cancel). */
  initial?: React.RefObject<HTMLElement | null>;
  className?: string;
  /** Focus the dialog itself first (its fields are still loading). */
  focusDialog?: boolean;
  children: React.ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const close = () => {
    if (!props.busy) props.onClose();
  };
  useLayer(ref, close, { modal: true, initial: props.focusDialog ? ref : props.initial });
  return createPortal(
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        className={`dialog${props.className ? ` ${props.className}` : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={props.labelledBy}
        ref={ref}
        tabIndex={-1}
      >
        {props.children}
      </div>
    </div>,
    document.body,
  );
}
