/**
 * A button that stays focusable while it cannot act (aria-disabled rather than disabled): pressing
 * Start must not drop keyboard focus to the page when the card turns busy.
 */
export function ActButton(
  props: { off: boolean; onAct: () => void; children: React.ReactNode } & Omit<
    React.ButtonHTMLAttributes<HTMLButtonElement>,
    'onClick' | 'disabled'
  >,
) {
  const { off, onAct, children, ...rest } = props;
  return (
    <button type="button" aria-disabled={off} onClick={off ? undefined : onAct} {...rest}>
      {children}
    </button>
  );
}
