/** Pure (the renderer uses it too): how an engine is written in a registration and shown. */

/** A DOCKER_HOST value (`tcp://…`, `ssh://…`, `unix://…`) rather than a context name. */
export function isEngineUrl(engine: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(engine);
}

/** How the card, the tray and `list` name an engine: the context name, or the endpoint's host. */
export function engineLabel(engine: string | null | undefined): string {
  if (!engine) return 'local';
  if (!isEngineUrl(engine)) return engine;
  try {
    const u = new URL(engine);
    return u.host || engine;
  } catch {
    return engine;
  }
}
