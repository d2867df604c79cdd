import { Fragment, useEffect, useRef } from 'react';

/** A line with every match of `query` marked (case-insensitive). */
function Marked({ text, query }: { text: string; query: string }) {
  if (!query) return <>{text}</>;
  const parts: React.ReactNode[] = [];
  const lower = text.toLowerCase();
  const q = query.toLowerCase();
  let from = 0;
  for (let at = lower.indexOf(q); at >= 0; at = lower.indexOf(q, from)) {
    parts.push(text.slice(from, at), <mark key={at}>{text.slice(at, at + q.length)}</mark>);
    from = at + q.length;
  }
  parts.push(text.slice(from));
  return <>{parts}</>;
}

/**
 * The lines, focusable so the keyboard can scroll them. With a search, only matching lines are
 * shown, matches marked. While following, the view stays at the newest line.
 */
export function LogLines(props: { lines: string[]; query: string; wrap: boolean; follow: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const q = props.query.trim();
  const shown = q ? props.lines.filter((l) => l.toLowerCase().includes(q.toLowerCase())) : props.lines;
  useEffect(() => {
    const el = box.current;
    if (props.follow && el) el.scrollTop = el.scrollHeight;
  }, [shown.length, props.follow]);
  return (
    <div
      ref={box}
      className={`log-lines${props.wrap ? ' wrap' : ''}`}
      tabIndex={0}
      role="log"
      aria-label="log lines"
      data-testid="log-lines"
    >
      {shown.map((l, k) => (
        <Fragment key={k}>
          <Marked text={l} query={q} />
          {'\n'}
        </Fragment>
      ))}
      {q && shown.length === 0 && <p className="muted">No line matches “{q}”.</p>}
    </div>
  );
}
