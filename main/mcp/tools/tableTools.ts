import * as v from 'valibot';
import { apiTable, API_METHODS, type ApiMethod } from '../../shared/api/table';
import { hasCompact } from './compact';
import { DEFAULT_PROPS, METHOD_INFO, toolName } from './methodInfo';
import { checkedTool, HINTS, type AnySchema, type CheckedTool } from './toolArgs';

export type { JsonObjectSchema, ToolAnnotations, ToolSpec } from './toolArgs';

/** A table method offered as a tool: its spec, and how the tool's (checked) arguments become the method's. */
export interface TableTool extends CheckedTool {
  method: ApiMethod;
  toArgs(input: Record<string, unknown>): unknown[];
}

const nullable = (s: AnySchema) => s.type === 'nullable';
/** Arguments `axi mcp` adds to a method's own: the short/full result switch, a confirmation the table lacks. */
const verbose = v.optional(v.boolean()) as unknown as AnySchema;
const confirm = v.pipe(v.string(), v.maxLength(128)) as unknown as AnySchema;

/** Tuple items → one object's entries: named items are properties, `*` items' own properties are spread in. */
function entriesOf(method: ApiMethod, items: readonly AnySchema[], params: readonly string[]) {
  const entries: Record<string, AnySchema> = {};
  items.forEach((item, i) => {
    if (params[i] === '*') Object.assign(entries, item.entries ?? {});
    else entries[params[i]!] = item;
  });
  if (METHOD_INFO[method].confirm) entries.confirm = confirm;
  if (hasCompact(method)) entries.verbose = verbose;
  return entries;
}

/** The checked arguments as the method's positional ones (a null-accepting one left out is null). */
function argsFrom(items: readonly AnySchema[], params: readonly string[], input: Record<string, unknown>): unknown[] {
  return items.map((item, i) => {
    const param = params[i]!;
    if (param !== '*') return input[param] === undefined && nullable(item) ? null : input[param];
    const obj: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(item.entries ?? {})) {
      if (input[key] !== undefined) obj[key] = input[key];
      else if (nullable(entry)) obj[key] = null;
    }
    return obj;
  });
}

/** Every table method that can be a tool (all but the window's own), generated from its schema. */
export function tableTools(): TableTool[] {
  return API_METHODS.filter((m) => METHOD_INFO[m].reach !== 'window').map((method) => {
    const info = METHOD_INFO[method];
    const items = (apiTable[method].args as unknown as { items: AnySchema[] }).items ?? [];
    if (items.length !== info.params.length)
      throw new Error(`METHOD_INFO.${method}.params names ${info.params.length} of ${items.length} arguments`);
    const tool = checkedTool({
      name: toolName(method),
      description: info.description,
      entries: entriesOf(method, items, info.params),
      props: { ...DEFAULT_PROPS, ...info.props },
      annotations: info.readOnly ? HINTS.read : info.destructive ? HINTS.destructive : HINTS.write,
    });
    return { ...tool, method, toArgs: (input) => argsFrom(items, info.params, input) };
  });
}
