import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { AxiError } from '../core/errors';
import { apiTable, API_METHODS, type ApiMethod } from '../api/table';
import { METHOD_INFO, toolName } from './methodInfo';

/** A JSON Schema object, as MCP's tools/list carries it. */
export type JsonObjectSchema = {
  type: 'object';
  properties: Record<string, object>;
  required?: string[];
  additionalProperties?: boolean;
};

export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: JsonObjectSchema;
  annotations: ToolAnnotations;
}

/** A table method offered as a tool: its spec, and how the tool's arguments become the method's. */
export interface TableTool extends ToolSpec {
  method: ApiMethod;
  toArgs(input: Record<string, unknown>): unknown[];
}

type AnySchema = v.GenericSchema & { type: string; entries?: Record<string, AnySchema> };

function convert(schema: AnySchema): Record<string, unknown> {
  const { $schema: _s, ...rest } = toJsonSchema(schema, { errorMode: 'ignore' }) as Record<string, unknown>;
  return rest;
}

/** A null-accepting argument may be left out: it is passed as null. */
const nullable = (s: AnySchema) => s.type === 'nullable';

/** Tuple items → one object schema: named items are properties, `*` items' own properties are spread in. */
function objectSchema(items: readonly AnySchema[], params: readonly string[]): JsonObjectSchema {
  const properties: Record<string, object> = {};
  const required: string[] = [];
  items.forEach((item, i) => {
    const param = params[i]!;
    if (param === '*') {
      for (const [key, entry] of Object.entries(item.entries ?? {})) {
        properties[key] = convert(entry);
        if (entry.type !== 'optional' && !nullable(entry)) required.push(key);
      }
    } else {
      properties[param] = convert(item);
      if (!nullable(item)) required.push(param);
    }
  });
  return { type: 'object', properties, required, additionalProperties: false };
}

/** The tool's arguments as the method's positional ones; a name the method does not take is refused. */
function argsFrom(items: readonly AnySchema[], params: readonly string[], input: Record<string, unknown>): unknown[] {
  const known = new Set<string>();
  const args = items.map((item, i) => {
    const param = params[i]!;
    if (param !== '*') {
      known.add(param);
      return input[param] === undefined && nullable(item) ? null : input[param];
    }
    const obj: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(item.entries ?? {})) {
      known.add(key);
      if (input[key] !== undefined) obj[key] = input[key];
      else if (nullable(entry)) obj[key] = null;
    }
    return obj;
  });
  const unknown = Object.keys(input).filter((k) => !known.has(k));
  if (unknown.length) throw new AxiError('BAD_INPUT', `unknown argument ${unknown.map((k) => `"${k}"`).join(', ')}`);
  return args;
}

/** Every table method that can be a tool (all but the window's own), generated from its schema. */
export function tableTools(): TableTool[] {
  return API_METHODS.filter((m) => METHOD_INFO[m].reach !== 'window').map((method) => {
    const info = METHOD_INFO[method];
    const items = (apiTable[method].args as unknown as { items: AnySchema[] }).items ?? [];
    if (items.length !== info.params.length)
      throw new Error(`METHOD_INFO.${method}.params names ${info.params.length} of ${items.length} arguments`);
    return {
      method,
      name: toolName(method),
      description: info.description,
      inputSchema: objectSchema(items, info.params),
      annotations: {
        readOnlyHint: Boolean(info.readOnly),
        destructiveHint: Boolean(info.destructive),
        openWorldHint: false,
      },
      toArgs: (input) => argsFrom(items, info.params, input),
    };
  });
}
