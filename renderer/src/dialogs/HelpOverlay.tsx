import { useRef } from 'react';
import { Modal } from './Modal';

const KEYS: [string, string][] = [
  ['/', 'Search instances'],
  ['↑ ↓ ← →', 'Move between instances (↑ ↓ by row of cards, ← → one by one)'],
  ['Home End', 'The first or the last instance'],
  ['Tab', "Move through the focused instance's controls"],
  ['s', 'Start or stop the focused instance'],
  ['l', 'Open the logs of the focused instance'],
  ['Enter', 'On More: open the menu, where ↑ ↓ choose and Enter acts'],
  ['Escape', 'Close the topmost dialog, pane, menu or confirm'],
  ['?', 'This list'],
];

/** The keyboard shortcuts (`?`). */
export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  return (
    <Modal labelledBy="help-title" onClose={onClose} initial={close}>
      <h2 id="help-title">Keyboard shortcuts</h2>
      <dl className="keys">
        {KEYS.map(([k, what]) => (
          <div key={k}>
            <dt>
              <kbd>{k}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <div className="dialog-actions">
        <button type="button" ref={close} onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
