import path from 'node:path';
import * as v from 'valibot';
import { AxiError } from '../../shared/errors';
import { IdlePolicySchema } from '../../shared/schemas/idlePolicy';
import { readRepoYaml } from './userFiles';
import { WorktreePolicySchema } from '../../shared/schemas/worktreePolicySchema';

/** The repository's own settings, at its root. */
export const CONFIG_FILE = '.aegisx-instances.yml';

const serviceSpec = v.strictObject({
  base: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535)),
  offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1000)), 1),
});

export { WorktreePolicySchema, type WorktreePolicy } from '../../shared/schemas/worktreePolicySchema';

const SwarmConstraints = v.array(
  v.pipe(
    v.string(),
    v.regex(
      /^\s*[A-Za-z0-9_.-]+\s*(==|!=)\s*\S+\s*$/,
      'a placement constraint: ATTRIBUTE == VALUE or ATTRIBUTE != VALUE (e.g. node.labels.instance == {{name}})',
    ),
  ),
);
/** Replicas by service name (the seed's sample: `api: 2`). */
const SwarmReplicas = v.record(v.string(), v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)));

export const RepoConfigSchema = v.strictObject({
  /** Container-name prefix: `<prefix>_<instance>_<service>`. */
  prefix: v.optional(
    v.pipe(v.string(), v.regex(/^[a-z][a-z0-9]{0,15}$/, 'use 1-16 of a-z and 0-9, starting with a letter')),
  ),
  /** How many port slots instances are spread over. */
  slots: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)), 100),
  /** Where the instance file comes from: the built-in AegisX stack, `templates/NAME.yml`, or the project's compose file(s). */
  source: v.optional(v.picklist(['aegisx', 'template', 'compose']), 'aegisx'),
  template: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a template name: letters, digits, . _ -')),
  ),
  from: v.optional(
    v.union([v.pipe(v.string(), v.minLength(1)), v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.minLength(1))]),
  ),
  /** Ports per service for the AegisX stack or a template: base port and per-slot offset. */
  services: v.optional(v.record(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]+$/)), serviceSpec)),
  /** Host address ports are published on: 127.0.0.1 (this machine only) by default; 0.0.0.0 opens them to the LAN. */
  bind: v.optional(v.pipe(v.string(), v.ip('an IP address, e.g. 127.0.0.1 or 0.0.0.0'))),
  /** Variable names for `.env.local`, by port key (`web`, or `web:443` for a second published port). */
  env: v.optional(
    v.record(
      v.string(),
      v.pipe(v.string(), v.regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name (A-Z, 0-9, _)')),
    ),
  ),
  worktrees: v.optional(WorktreePolicySchema, {}),
  /** Idle sleep: `30m` (worktrees), `off`, or `{ main: 2h, worktrees: 30m }`; absent: nothing sleeps. */
  idle: v.optional(IdlePolicySchema),
  /** The local router's names: which service `<instance>.<repo>.localhost` goes to (default: `web`, else the first HTTP port). */
  router: v.optional(
    v.strictObject({
      web: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]+$/, 'a service name, e.g. frontend'))),
    }),
  ),
  /**
   * `axi stack`: placement constraints every service of the Swarm stack gets (`node.labels.instance == {{name}}`:
   * identity fields are substituted per instance), replicas per service, and both per instance name.
   */
  swarm: v.optional(
    v.strictObject({
      constraints: v.optional(SwarmConstraints, []),
      replicas: v.optional(SwarmReplicas, {}),
      instances: v.optional(
        v.record(
          v.string(),
          v.strictObject({ constraints: v.optional(SwarmConstraints, []), replicas: v.optional(SwarmReplicas, {}) }),
        ),
        {},
      ),
    }),
    { constraints: [], replicas: {}, instances: {} },
  ),
});
export type RepoConfig = v.InferOutput<typeof RepoConfigSchema>;

export interface LoadedConfig {
  config: RepoConfig;
  /** The file it came from, for error messages; undefined when defaults apply. */
  file?: string;
  /** The `worktrees:` keys the file sets itself (the others are defaults). */
  worktreeKeys?: string[];
  /** The file says which stack (`source:`, `from:` or `template:`); without it a project's compose file is used. */
  declaresStack?: boolean;
  /** The main checkout whose file this is, for a linked worktree whose branch has none of its own. */
  inherited?: string;
}

/**
 * A folder's repository config; a linked worktree whose branch predates the file (it has none) follows its main
 * checkout's, as a user who committed the stack choice expects (setup says so).
 */
export async function repoConfigOf(folder: string, mainWorktree?: string): Promise<LoadedConfig> {
  const own = await loadRepoConfig(folder);
  if (own.file || !mainWorktree) return own;
  const main = await loadRepoConfig(mainWorktree);
  return main.file ? { ...main, inherited: mainWorktree } : own;
}

/** `.aegisx-instances.yml` in the folder, validated; errors name the file, the key and what is wrong. */
export async function loadRepoConfig(folder: string): Promise<LoadedConfig> {
  const file = path.join(folder, CONFIG_FILE);
  let text: string;
  try {
    text = await readRepoYaml(folder, file, 'repository config');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { config: v.parse(RepoConfigSchema, {}) };
    throw err;
  }
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text);
  const yerr = doc.errors[0];
  if (yerr) {
    const pos = yerr.linePos?.[0];
    throw new AxiError(
      'BAD_INPUT',
      `${file}${pos ? `:${pos.line}:${pos.col}` : ''}: not valid YAML: ${yerr.message.split('\n')[0]}`,
    );
  }
  const data: unknown = doc.toJS() ?? {};
  const config = validateConfig(data, file);
  const declared = (data as { worktrees?: unknown }).worktrees;
  const worktreeKeys = declared && typeof declared === 'object' ? Object.keys(declared) : [];
  const keys = data && typeof data === 'object' ? Object.keys(data) : [];
  const declaresStack = ['source', 'from', 'template'].some((k) => keys.includes(k));
  return { config, file, worktreeKeys, declaresStack };
}

export function validateConfig(data: unknown, file: string): RepoConfig {
  const parsed = v.safeParse(RepoConfigSchema, data);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const key = v.getDotPath(issue);
    throw new AxiError('BAD_INPUT', `${file}: ${key ? `key ${key}` : 'top level'}: ${issue.message}`);
  }
  const c = parsed.output;
  if (c.source === 'compose' && !c.from)
    throw new AxiError(
      'BAD_INPUT',
      `${file}: key from: required when source is compose (e.g. from: docker-compose.yml)`,
    );
  if (c.from && c.source === 'aegisx') c.source = 'compose';
  if (c.source === 'template' && !c.template)
    throw new AxiError('BAD_INPUT', `${file}: key template: required when source is template`);
  return c;
}
