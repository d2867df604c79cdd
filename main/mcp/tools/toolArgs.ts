import { toJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { AxiError } from '../../shared/errors';

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

export type AnySchema = v.GenericSchema & { type: string; entries?: Record<string, AnySchema> };

/** A property's documentation: its description, or a whole definition (shared ones below) replacing the generated one. */
export type PropDoc = string | Record<string, unknown>;

/** Definitions used by many tools, written once (no pattern: the server checks, the description says). */
export const SHARED = {
  name: { type: 'string', description: 'instance name or repo/name' },
  confirm: { type: 'string', description: "the instance's name, to confirm" },
  snapshotId: { type: 'string', description: 'snapshot id, or "latest"' },
  source: { type: 'string', description: '"main" (main checkout) or an instance name' },
  verbose: { type: 'boolean', description: 'full result' },
} satisfies Record<string, PropDoc>;

/** MCP's hints, only where they differ from its defaults (not read-only, destructive). */
export const HINTS = {
  read: { readOnlyHint: true },
  write: { destructiveHint: false },
  destructive: { destructiveHint: true },
} satisfies Record<string, ToolAnnotations>;

/** A tool whose arguments are checked by one valibot object: every problem reported at once, by the agent's path. */
export interface CheckedTool extends ToolSpec {
  parse(input: Record<string, unknown>): Record<string, unknown>;
}

export interface ToolDef {
  name: string;
  description: string;
  entries: Record<string, AnySchema>;
  props: Record<string, PropDoc>;
  annotations: ToolAnnotations;
}

const optionalLike = (s: AnySchema) => s.type === 'optional' || s.type === 'nullable' || s.type === 'nullish';

function convert(schema: AnySchema): Record<string, unknown> {
  const { $schema: _s, ...rest } = toJsonSchema(schema, { errorMode: 'ignore' }) as Record<string, unknown>;
  return rest;
}

export function checkedTool(def: ToolDef): CheckedTool {
  const properties: Record<string, object> = {};
  const required: string[] = [];
  const shape: Record<string, AnySchema> = {};
  for (const [key, entry] of Object.entries(def.entries)) {
    const doc = def.props[key];
    if (doc === undefined) throw new Error(`${def.name}.${key} has no description`);
    properties[key] = typeof doc === 'string' ? { ...convert(entry), description: doc } : doc;
    if (!optionalLike(entry)) required.push(key);
    shape[key] = entry.type === 'nullable' ? v.optional(entry) : entry;
  }
  // No additionalProperties: an unknown argument is refused by the server, by name, with the rest.
  const inputSchema: JsonObjectSchema = { type: 'object', properties, ...(required.length ? { required } : {}) };
  const schema = v.strictObject(shape);
  return {
    name: def.name,
    description: def.description,
    inputSchema,
    annotations: def.annotations,
    parse: (input) => {
      const r = v.safeParse(schema, coerce(inputSchema, input), { abortEarly: false });
      if (r.success) return r.output;
      const fields = r.issues.map((i) => ({ path: v.getDotPath(i) ?? '(arguments)', problem: problem(i) }));
      const list = fields.map((f) => `${f.path}: ${f.problem}`).join('; ');
      throw new AxiError('BAD_INPUT', `bad arguments for ${def.name}: ${list}`, { fields });
    },
  };
}

/** One issue in words: what was expected, what came. */
function problem(issue: v.BaseIssue<unknown>): string {
  const got = issue.received;
  if (issue.type === 'strict_object' && issue.expected === 'never') return 'not an argument this tool takes';
  if (issue.type === 'strict_object' && got === 'undefined') return 'required';
  if (issue.kind === 'schema') return `expected ${issue.expected ?? issue.type}, got ${got}`;
  if (!issue.message.startsWith('Invalid ')) return `${issue.message} (got ${got})`;
  if (issue.type === 'regex') return `expected a string matching ${issue.expected}, got ${got}`;
  return `${issue.message.replace(/^Invalid \w+: /, '').replace(/^Expected/, 'expected')}`;
}

/**
 * Strings for booleans and numbers are taken everywhere ("true", "20"), as clients often send them:
 * one rule for every tool, read from the tool's own JSON Schema.
 */
export function coerce(schema: { properties?: Record<string, object> }, input: Record<string, unknown>) {
  if (!schema.properties || typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const out: Record<string, unknown> = { ...input };
  for (const [key, prop] of Object.entries(schema.properties) as [string, Record<string, unknown>][]) {
    const value = out[key];
    if (prop.type === 'boolean' && (value === 'true' || value === 'false')) out[key] = value === 'true';
    else if ((prop.type === 'integer' || prop.type === 'number') && typeof value === 'string' && /^-?\d+$/.test(value))
      out[key] = Number(value);
    else if (prop.type === 'object' && typeof value === 'object' && value !== null)
      out[key] = coerce(prop, value as Record<string, unknown>);
  }
  return out;
}
