/**
 * What a tab without `axi serve`'s key shows (a new tab, a reopened browser, or a key from an earlier run):
 * that it needs the printed link and how to get it again, instead of "connecting…" forever.
 */
export function NeedsLink({ hadKey }: { hadKey: boolean }) {
  const here = `${window.location.protocol}//${window.location.host}/`;
  return (
    <main className="needs-link" role="alert" aria-labelledby="needs-link-title">
      <h1 id="needs-link-title">This page needs the link that axi serve printed</h1>
      <p>
        {hadKey
          ? 'This tab’s key is no longer accepted: axi serve was restarted since, and each start prints a new link.'
          : 'The dashboard opens only from the link with its key, which a new tab or a reopened browser does not have.'}{' '}
        The link looks like <code>{here}?token=…</code>.
      </p>
      <p>To get it again:</p>
      <ul>
        <li>
          look in the terminal where <code>axi serve</code> runs: it printed the link when it started;
        </li>
        <li>
          or stop it (Ctrl-C) and run <code>axi serve</code> again: it prints a new link;
        </li>
        <li>in the desktop app, the tray’s Open dashboard needs no link.</li>
      </ul>
    </main>
  );
}
