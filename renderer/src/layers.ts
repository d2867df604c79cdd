import { useEffect, useRef } from 'react';

/**
 * The window's layers (dialogs, the logs pane, the help overlay), topmost last. One keydown listener
 * serves them all: Escape closes the topmost; Tab stays inside the topmost modal one. While a modal
 * layer is open the rest of the window is inert (the root App names with `useInertRoot`).
 */
interface Layer {
  close: () => void;
  modal: boolean;
  element: () => HTMLElement | null;
}

const stack: Layer[] = [];
/** The window's content behind the layers: inert while a modal layer is open (set here, synchronously). */
let inertRoot: HTMLElement | null = null;
const changed = () => {
  if (inertRoot) inertRoot.inert = stack.some((l) => l.modal);
};

/** Names the element that modal layers make inert (the window's content, outside the dialogs' portal). */
export function useInertRoot(ref: React.RefObject<HTMLElement | null>): void {
  useEffect(() => {
    inertRoot = ref.current;
    changed();
    return () => {
      inertRoot = null;
    };
  }, [ref]);
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, [tabindex]:not([tabindex="-1"])';

export function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((e) => !e.closest('[inert]'));
}

function trapTab(e: KeyboardEvent, root: HTMLElement): void {
  const all = focusables(root);
  if (!all.length) return void e.preventDefault();
  const active = document.activeElement;
  const inside = root.contains(active);
  const to = !inside
    ? all[0]
    : e.shiftKey && active === all[0]
      ? all.at(-1)
      : !e.shiftKey && active === all.at(-1)
        ? all[0]
        : undefined;
  if (!to) return;
  e.preventDefault();
  to.focus();
}

function onKeyDown(e: KeyboardEvent): void {
  const top = stack.at(-1);
  if (!top) return;
  if (e.key === 'Escape') {
    e.preventDefault();
    e.stopPropagation();
    top.close();
    return;
  }
  const el = top.element();
  if (e.key === 'Tab' && top.modal && el) trapTab(e, el);
}

/** Installs the one listener; returns its removal. */
export function installLayerKeys(): () => void {
  window.addEventListener('keydown', onKeyDown, true);
  return () => window.removeEventListener('keydown', onKeyDown, true);
}

/** Whether any layer is open: the list's own keys (arrows, shortcuts) wait until none is. */
export function layerOpen(): boolean {
  return stack.length > 0;
}

/**
 * Opens a layer for the component's lifetime. Focus moves into it (to `initial`, else the first control)
 * and returns, when it closes, to what opened it; if that is gone, to `fallback()`.
 */
export function useLayer(
  ref: React.RefObject<HTMLElement | null>,
  onClose: () => void,
  opts: {
    modal: boolean;
    initial?: React.RefObject<HTMLElement | null>;
    fallback?: () => HTMLElement | null;
  },
): void {
  const close = useRef(onClose);
  const fallback = useRef(opts.fallback);
  useEffect(() => {
    close.current = onClose;
    fallback.current = opts.fallback;
  });
  const { modal, initial } = opts;
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const layer: Layer = { close: () => close.current(), modal, element: () => ref.current };
    stack.push(layer);
    changed();
    const first = initial?.current ?? (ref.current && focusables(ref.current)[0]) ?? ref.current;
    first?.focus();
    return () => {
      stack.splice(stack.indexOf(layer), 1);
      changed();
      // `inert` is lifted above, and React has already removed the layer's elements: focus goes back now,
      // but only if it went with the layer (something else may have taken it, such as an error's Reload).
      const now = document.activeElement;
      if (now && now !== document.body && now.isConnected) return;
      const back = opener?.isConnected && opener !== document.body ? opener : null;
      back?.focus();
      if (!back || document.activeElement !== back) fallback.current?.()?.focus();
    };
  }, [ref, modal, initial]);
}
