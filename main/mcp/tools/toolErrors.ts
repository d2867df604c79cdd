import { AxiError, toErrorPayload, type Fix } from '../../shared/errors';

/** A refusal's next step as a tool call: the tool, its arguments, and the words that say so. */
export interface ToolFix {
  tool: string;
  arguments: Record<string, unknown>;
}

function toolFix(
  fix: Fix & { action: Exclude<Fix['action'], 'trust'> },
  scoped: boolean,
): { call: ToolFix; words: (call: string) => string } {
  const name = fix.target ?? '';
  const to = (tool: string, args: Record<string, unknown>) => ({ tool, arguments: args });
  switch (fix.action) {
    case 'list':
      return { call: to('get_overview', {}), words: (c) => `call ${c} for the instances in scope` };
    case 'start':
      return { call: to('start_instance', { name }), words: (c) => `call ${c} first` };
    case 'stop':
      return { call: to('stop_instance', { name }), words: (c) => `call ${c} first, then this tool again` };
    case 'snapshots':
      return { call: to('list_snapshots', { name }), words: (c) => `call ${c} for its snapshot ids` };
    case 'setup':
      return scoped
        ? { call: to('setup_this_checkout', {}), words: (c) => `call ${c} to register it` }
        : { call: to('register_folder', { dir: name }), words: (c) => `call ${c} to register it` };
    case 'copyData':
      return {
        call: to('clone_data', { name, source: 'main', confirm: name }),
        words: (c) => `to replace its data call ${c}`,
      };
    case 'reassign':
      return {
        call: to('reassign_ports', { name }),
        words: (c) => `stop what holds it, or call ${c} for other free ports`,
      };
    case 'removeDown':
      return {
        call: to('remove_instance', { name, down: true, confirm: name }),
        words: (c) => `call ${c} (volumes kept), or stop_instance first`,
      };
  }
}

/**
 * An error as a tool's result: `{ code, message }` as everywhere, the message's next step said as a
 * tool call (the CLI's own words name commands), plus what an agent acts on: `fix` (the call),
 * `fields` (every bad argument), `retryable`, `operation` and `since` (BUSY).
 */
export function toolError(err: unknown, scoped: boolean): Record<string, unknown> {
  const base = toErrorPayload(err);
  if (!(err instanceof AxiError)) return base;
  const d = err.details;
  const out: Record<string, unknown> = { ...base };
  if (d.fix?.action === 'trust') {
    // No tool accepts host access: an agent never trusts on a person's behalf.
    out.message = `${d.reason ?? base.message}; an agent cannot accept this: ask the person to review it and run axi trust ${d.fix.target ?? ''} (or accept it in the window)`;
    out.humanOnly = true;
  } else if (d.fix) {
    const { call, words } = toolFix({ ...d.fix, action: d.fix.action }, scoped);
    out.message = `${d.reason ?? base.message}; ${words(`${call.tool} ${JSON.stringify(call.arguments)}`)}`;
    out.fix = call;
  }
  if (d.fields) out.fields = d.fields;
  if (err.code === 'BUSY') {
    const since = d.since !== undefined ? new Date(d.since).toISOString() : undefined;
    out.message = `${base.message}${since ? ` since ${since}` : ''}; call this tool again once it ends`;
    Object.assign(out, { retryable: true, operation: d.operation, since });
  }
  return out;
}
