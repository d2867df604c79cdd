import { useEffect, useState } from 'react';

/**
 * A button that stays focusable while it cannot act (aria-disabled rather than disabled): pressing
 * Start must not drop keyboard focus to the page when the card turns busy. Pressed while it cannot
 * act, it says why (`why`) beside itself for a few seconds, rather than doing nothing without a word.
 */
export function ActButton(
  props: { off: boolean; why?: string; onAct: () => void; children: React.ReactNode } & Omit<
    React.ButtonHTMLAttributes<HTMLButtonElement>,
    'onClick' | 'disabled'
  >,
) {
  const { off, why, onAct, children, ...rest } = props;
  const [said, setSaid] = useState(false);
  useEffect(() => {
    if (!said) return;
    const t = setTimeout(() => setSaid(false), 4000);
    return () => clearTimeout(t);
  }, [said]);
  return (
    <>
      <button
        type="button"
        aria-disabled={off}
        title={off ? why : undefined}
        onClick={off ? () => setSaid(Boolean(why)) : onAct}
        {...rest}
      >
        {children}
      </button>
      {off && said && (
        <span className="why-not" role="status">
          {why}
        </span>
      )}
    </>
  );
}
