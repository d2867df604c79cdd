/** The pages of a wake: a navigation's "waking…" page (reloads itself) and the 504 of a wake that failed or took too long. */
import { esc, page, type Page } from './pages';

const steps = (lines: readonly string[]) =>
  lines.length ? `<ol>${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ol>` : '<p>Starting…</p>';

/** Shown to a browser navigation while the instance starts; it reloads every second until the app answers. */
export function wakingPage(label: string, lines: readonly string[]): Page {
  return page(
    503,
    `waking ${label}…`,
    `<p>${esc(label)} was asleep (idle sleep). It is starting; this page reloads when it is ready.</p>${steps(lines)}`,
    '<meta http-equiv="refresh" content="1">',
  );
}

/** What a 504 says: the step it was waiting for, and the error where the start failed. */
export function wakeFailedText(
  label: string,
  step: string | undefined,
  error: string | undefined,
  timeoutMs: number,
): string {
  // No step line yet: the start itself (`up --wait`, as the card's Start) is what it waited for.
  const at = `while ${step ?? 'starting its containers (up --wait)'}`;
  return error
    ? `waking ${label} failed ${at}: ${error}`
    : `waking ${label} took longer than ${Math.round(timeoutMs / 1000)} s, waiting ${at}`;
}

export function wakeFailedPage(label: string, text: string, lines: readonly string[]): Page {
  return page(
    504,
    `${label} did not wake`,
    `<p>${esc(text)}</p>${steps(lines)}<p>See its card, or <code>axi logs ${esc(label)}</code>.</p>`,
  );
}
