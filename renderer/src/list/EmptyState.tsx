/** What the window shows before the first registration. */
export function EmptyState() {
  return (
    <section className="empty" aria-labelledby="empty-title">
      <h2 id="empty-title">No instances yet</h2>
      <p>Drop a checkout of your project (a clone or a git worktree) on this window, or type its path above.</p>
      <p>
        Each one gets its own ports, containers, volumes, <code>.env.local</code> and{' '}
        <code>docker-compose.instance.yml</code>, and never collides with another.
      </p>
      <p className="muted">
        From a terminal: <code>axi setup ~/src/aegisx-starter-my-feature</code>
      </p>
    </section>
  );
}
