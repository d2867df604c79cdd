import { useCallback, useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useLayer } from '../layers';

export interface MenuItem {
  label: string;
  /** Not possible now: shown, focusable, and says why it does nothing (aria-disabled). */
  off?: boolean;
  /** Opens a dialog (said to assistive technology). */
  dialog?: boolean;
  act: () => void;
}

/** Where the menu opens: under the button, its right edge on the button's, kept inside the window. */
function place(button: HTMLElement): React.CSSProperties {
  const r = button.getBoundingClientRect();
  const below = window.innerHeight - r.bottom > 220 || r.top < 220;
  return {
    right: Math.max(4, window.innerWidth - r.right),
    ...(below ? { top: r.bottom + 4 } : { bottom: window.innerHeight - r.top + 4 }),
  };
}

function MenuList(props: {
  items: MenuItem[];
  style: React.CSSProperties;
  label: string;
  close: () => void;
  /** Places it again under its button (the page scrolled, the window was resized). */
  follow: () => void;
  /** Its button: a press there toggles the menu, so it is not a click "elsewhere". */
  opener: React.RefObject<HTMLElement | null>;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useLayer(ref, props.close, { modal: false });
  const { close, follow, opener } = props;
  useEffect(() => {
    // A click elsewhere closes it; a scroll or resize moves it with its button (it is fixed on the page).
    const inside = (t: EventTarget | null) => ref.current?.contains(t as Node) || opener.current?.contains(t as Node);
    const away = (e: Event) => !inside(e.target) && close();
    document.addEventListener('pointerdown', away, true);
    window.addEventListener('scroll', follow, true);
    window.addEventListener('resize', follow);
    return () => {
      document.removeEventListener('pointerdown', away, true);
      window.removeEventListener('scroll', follow, true);
      window.removeEventListener('resize', follow);
    };
  }, [close, follow, opener]);
  const onKey = (e: React.KeyboardEvent) => {
    const items = [...ref.current!.querySelectorAll<HTMLElement>('[role=menuitem]')];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const to: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 };
    // Kept inside the menu: the list's own arrow keys move between instances.
    e.stopPropagation();
    if (e.key === 'Tab') return props.close();
    if (!(e.key in to)) return;
    e.preventDefault();
    items[(to[e.key]! + items.length) % items.length]?.focus();
  };
  // On the page's body: a card is laid out with content-visibility (cheap with 100 cards), which would
  // make it the frame of a fixed menu inside it and clip it.
  return createPortal(
    <div className="menu" role="menu" aria-label={props.label} ref={ref} style={props.style} onKeyDown={onKey}>
      {props.items.map((m) => (
        <button
          type="button"
          role="menuitem"
          key={m.label}
          tabIndex={-1}
          aria-disabled={m.off || undefined}
          aria-haspopup={m.dialog ? 'dialog' : undefined}
          onClick={
            m.off
              ? undefined
              : () => {
                  props.close();
                  m.act();
                }
          }
        >
          {m.label}
        </button>
      ))}
    </div>,
    document.body,
  );
}

/**
 * The actions used less often, behind one "More" button: a card keeps five tab stops instead of ten, and
 * the compact table offers every action. Arrow keys move in the menu, Escape or a click elsewhere closes
 * it, and focus returns to the button.
 */
export function MoreMenu(props: { items: MenuItem[]; label: string }) {
  const button = useRef<HTMLButtonElement>(null);
  const [style, setStyle] = useState<React.CSSProperties | null>(null);
  const close = useCallback(() => setStyle(null), []);
  const follow = useCallback(() => button.current && setStyle(place(button.current)), []);
  return (
    <>
      <button
        type="button"
        data-act="more"
        ref={button}
        aria-haspopup="menu"
        aria-expanded={Boolean(style)}
        onClick={() => (style ? close() : setStyle(place(button.current!)))}
      >
        More<span aria-hidden="true"> ▾</span>
      </button>
      {style && (
        <MenuList items={props.items} style={style} label={props.label} close={close} follow={follow} opener={button} />
      )}
    </>
  );
}
