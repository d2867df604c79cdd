import { useCallback, useEffect, useRef, useState } from 'react';
import { inWindowWords } from '../../../main/shared/display/instanceDisplay';
import type { InstanceView } from '../../../main/shared/api/table';
import { api } from '../bridge';
import { useFade } from '../hooks/useFade';
import { useNow } from '../hooks/useNow';
import { useTrustedRun } from '../hooks/askTrust';

/** A card's one message: a success (fades), a failure, or a step still to take (Restart to apply). */
export interface CardNote {
  tone: 'ok' | 'bad' | 'restart';
  text: string;
  /** When it was said (ms): an operation that began later replaces it. */
  at: number;
}

/** The operation's current step, and since when (its seconds are counted once it takes a while). */
export interface Progress {
  line: string;
  at: number;
}
const NO_PROGRESS: Progress = { line: '', at: 0 };

/** The step line: "waiting for postgres to be healthy (4 s)". The seconds are not announced, only the step. */
function ProgressLine({ progress }: { progress: Progress }) {
  const now = useNow(() => 1000);
  const secs = Math.floor((now - progress.at) / 1000);
  return (
    <p className="progress">
      <span aria-live="polite">{progress.line}</span>
      {secs >= 2 && <span aria-hidden="true"> ({secs} s)</span>}
    </p>
  );
}

export type Say = (tone: CardNote['tone'], text: string) => void;
/** Runs an operation of the card: its old message goes at once; `done` says what to say after. */
export type CardRun = <T>(fn: () => Promise<T>, done?: (r: T) => void) => void;

/**
 * Start, stop, reassign, remove run here; their progress, result and failure are shown on the card, in
 * one place. A new operation on the instance, from anywhere (this card, the table, the tray, Start all),
 * replaces the card's old message, so a stale error never sits under a later success.
 */
export function useCardRun(i: InstanceView) {
  const [progress, setProgress] = useState<Progress>(NO_PROGRESS);
  const [message, setMessage] = useState<CardNote | null>(null);
  // Adjusted while rendering (React's pattern for state that follows props), not in an effect.
  if (i.busySince && message && message.at < i.busySince) setMessage(null);
  const say: Say = useCallback((tone, text) => setMessage({ tone, text: inWindowWords(text), at: Date.now() }), []);
  // Followed always, not only for the card's own runs: Start all, the table and the tray start it too.
  useEffect(
    () => api.on('progress', (p) => p.instance === i.id && setProgress({ line: p.line, at: Date.now() })),
    [i.id],
  );
  const trusted = useTrustedRun();
  // Host access nobody accepted yet: the dialog asks, and runs it again once allowed.
  const run: CardRun = (fn, done) => {
    setMessage(null);
    trusted(
      i.id,
      fn,
      (r) => done?.(r),
      (e) => say('bad', e.message),
    );
  };
  // Only the running operation's steps: one said before it began belongs to an earlier one.
  const current = i.busySince !== null && progress.at >= i.busySince - 1000 ? progress : NO_PROGRESS;
  return { progress: current, message, clear: () => setMessage(null), say, run };
}

/**
 * The card's message under its buttons: the running step, else the last result or failure (this card's,
 * or the one main kept for the instance). Successes fade after a while unless hovered or focused.
 */
export function CardMessage(props: {
  instance: InstanceView;
  progress: Progress;
  message: CardNote | null;
  clear: () => void;
  run: CardRun;
  say: Say;
  /** Ports the card's conflict box names already: a failure about one of them is not said twice. */
  conflictPorts: readonly number[];
}) {
  const { instance: i, message } = props;
  const ref = useRef<HTMLDivElement>(null);
  useFade(ref, message?.tone === 'ok' ? message.at : null, props.clear);
  const restart = () =>
    props.run(
      async () => {
        await api.stopInstance(i.id);
        return api.startInstance(i.id);
      },
      () => props.say('ok', `Restarted ${i.label}: it uses its new ports now.`),
    );
  const failure = message?.tone === 'bad' ? message.text : message ? '' : i.error ? inWindowWords(i.error) : '';
  const port = /^port (\d+) \(/i.exec(failure);
  const error = port && props.conflictPorts.includes(Number(port[1])) ? '' : failure;
  // Moved while it ran (from the CLI too): its containers keep the old ports until it starts again.
  const moved = Object.entries(i.oldPorts).map(([k, p]) => `${k} ${p} → ${i.ports[k]}`);
  const stale = !i.busy && moved.length > 0 && message?.tone !== 'restart' ? moved.join(', ') : '';
  const restartButton = (
    <button type="button" data-act="restart" aria-disabled={Boolean(i.busy)} onClick={i.busy ? undefined : restart}>
      Restart {i.label}
    </button>
  );
  return (
    <div className="card-message" ref={ref}>
      {i.busy && props.progress.line && <ProgressLine progress={props.progress} />}
      {message && message.tone !== 'bad' && (
        <p className="note" role="status">
          {message.text}
          {message.tone === 'restart' && <> {restartButton}</>}
        </p>
      )}
      {stale && (
        <p className="note" role="status" data-testid="old-ports">
          {i.label} still uses its old ports ({stale}): restart it to apply them. {restartButton}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
