import { statSync } from 'node:fs';
import path from 'node:path';
import { AxiError } from '../../../shared/errors';
import { identifyFolder, type FolderIdentity } from '../../project/identity';
import { labelOf } from '../../registry/instanceRef';
import { CONFIG_FILE, repoConfigOf, type LoadedConfig } from '../../project/repoConfig';
import { readRepoYaml } from '../../project/userFiles';
import type { InstanceRecord } from '../../registry/record';

/** Compose's default file names, in the order `docker compose` without `-f` picks them (compose-go). */
export const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
const OVERRIDE_FILES = [
  'compose.override.yml',
  'compose.override.yaml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
];
/** The team's script: a checkout that has it was made for the AegisX stack, whatever else it has. */
const SEED_SCRIPT = path.join('scripts', 'setup-env.sh');

const isFile = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** The folder's own compose files as `docker compose` in it reads them: the first default name, then an override. */
export function ownComposeFiles(folder: string): string[] {
  const main = COMPOSE_FILES.find((f) => isFile(path.join(folder, f)));
  const override = main && OVERRIDE_FILES.find((f) => isFile(path.join(folder, f)));
  return main ? [main, ...(override ? [override] : [])] : [];
}

/** What setup is told to use: the window's choice, or `--from` / `--template` on the command line. */
export type StackChoice = 'compose' | 'aegisx';

/** What decides a folder's stack when nothing was asked: gathered by `stackFacts`, decided by `pickStack`. */
export interface StackFacts {
  folder: string;
  /** `--from` or `--template` given. */
  explicit: boolean;
  /** `.aegisx-instances.yml` sets `source:`, `from:` or `template:`. */
  configSays: boolean;
  /** `.aegisx-instances.yml` exists (and says nothing of the stack, when `configSays` is false). */
  configFile: boolean;
  /** The folder is registered, or its instance file records what it was made from: kept as it is. */
  recorded: boolean;
  /** The registration of the repository's main checkout, for a linked worktree: its worktrees use the same. */
  main?: Pick<InstanceRecord, 'source' | 'from' | 'template' | 'folder'>;
  composeFiles: string[];
  seedScript: boolean;
}

export type StackPick =
  /** Flags, the repository config, the registration or the instance file's header decide (as before). */
  | { pick: 'recorded' }
  | { pick: 'compose'; from: string[]; why: string }
  | { pick: 'aegisx'; template?: string; why: string }
  /** Both are plausible and nothing says which: the window asks, the CLI refuses. */
  | { pick: 'ask'; from: string[]; sign: string };

/** A project's own compose file is used unless something says the AegisX stack (pure). */
export function pickStack(f: StackFacts): StackPick {
  if (f.explicit || f.configSays || f.recorded) return { pick: 'recorded' };
  if (f.main) {
    const why = `as its main checkout ${f.main.folder}`;
    if (f.main.source === 'compose' && f.main.from?.length) return { pick: 'compose', from: f.main.from, why };
    return { pick: 'aegisx', ...(f.main.template ? { template: f.main.template } : {}), why };
  }
  if (!f.composeFiles.length) return { pick: 'aegisx', why: 'no compose file in the folder' };
  const sign = f.configFile ? `${CONFIG_FILE} (without source:)` : f.seedScript ? SEED_SCRIPT : undefined;
  if (sign) return { pick: 'ask', from: f.composeFiles, sign };
  return { pick: 'compose', from: f.composeFiles, why: 'its own compose file' };
}

/** The facts `pickStack` decides on, read from the folder and the registry. */
export async function stackFacts(
  id: FolderIdentity,
  explicit: boolean,
  records: readonly InstanceRecord[],
  loaded: LoadedConfig,
): Promise<StackFacts> {
  const registered = records.some((r) => r.folder === id.folder);
  const { readOrigin } = require('../../compose/stackNames') as typeof import('../../compose/stackNames');
  const recorded = registered || (!explicit && (await readOrigin(id.folder)) !== undefined);
  const main = id.mainWorktree ? records.find((r) => r.folder === id.mainWorktree) : undefined;
  return {
    folder: id.folder,
    explicit,
    configSays: loaded.declaresStack === true,
    configFile: loaded.file !== undefined,
    recorded,
    ...(main ? { main } : {}),
    composeFiles: ownComposeFiles(id.folder),
    seedScript: isFile(path.join(id.folder, SEED_SCRIPT)),
  };
}

/** The refusal where both stacks are plausible: one line naming both ways out. */
export function askError(folder: string, p: Extract<StackPick, { pick: 'ask' }>): AxiError {
  const from = p.from.map((f) => `--from ${f}`).join(' ');
  return new AxiError(
    'CHOOSE_STACK',
    `${folder} has both ${p.from.join(' + ')} and ${p.sign}: choose ${from} (its own compose file) or --template aegisx (the AegisX stack)`,
  );
}

/** The setup options a choice stands for: the window's two buttons are `--from FILES` and `--template aegisx`. */
export function choiceOptions(folder: string, choice: StackChoice): { from?: string[]; template?: string } {
  if (choice === 'aegisx') return { template: 'aegisx' };
  const from = ownComposeFiles(folder);
  if (!from.length)
    throw new AxiError('BAD_INPUT', `${folder} has no compose file (${COMPOSE_FILES.join(', ')}): nothing to use`);
  return { from };
}

/** Setup's one line on what the instance was made from: `using docker-compose.yml (2 services: web, db)`. */
export function usingLine(
  rec: Pick<InstanceRecord, 'source' | 'from' | 'template'>,
  services: readonly string[],
  why?: string,
): string {
  const what =
    rec.source === 'compose'
      ? (rec.from ?? []).join(' + ')
      : rec.template
        ? `template ${rec.template}`
        : 'the AegisX stack';
  const list = `${services.length} service${services.length === 1 ? '' : 's'}: ${services.join(', ')}`;
  const other =
    why === 'its own compose file' ? '; for the AegisX stack instead: --template aegisx' : why ? `: ${why}` : '';
  return `using ${what} (${list})${other}`;
}

/**
 * The window's sentence for the same: "Using its own docker-compose.yml (web, db)", "Using the AegisX stack
 * (postgres, redis, pgadmin): as its main checkout …". Why is left out where the user chose it or where it is
 * the folder's own file (the window's add field showed the choice).
 */
export function usingSentence(
  rec: Pick<InstanceRecord, 'source' | 'from' | 'template'>,
  services: readonly string[],
  why?: string,
): string {
  const own = why === 'its own compose file' || why === 'chosen';
  const what =
    rec.source === 'compose'
      ? `${own ? 'its own ' : ''}${(rec.from ?? []).join(' + ')}`
      : rec.template
        ? `template ${rec.template}`
        : 'the AegisX stack';
  const list = services.length ? ` (${services.join(', ')})` : '';
  return `Using ${what}${list}${why && !own ? `: ${why}` : ''}`;
}

/** Setup's stack options for a folder: the choice, else `pickStack`'s default (a refusal where it would ask). */
export async function defaultStack(
  id: FolderIdentity,
  opts: { from?: string[]; template?: string; stack?: StackChoice },
  records: readonly InstanceRecord[],
  loaded: LoadedConfig,
): Promise<{ from?: string[]; template?: string; why?: string }> {
  if (opts.stack) return { ...choiceOptions(id.folder, opts.stack), why: 'chosen' };
  const p = pickStack(await stackFacts(id, Boolean(opts.from?.length || opts.template), records, loaded));
  if (p.pick === 'ask') throw askError(id.folder, p);
  if (p.pick === 'compose') {
    // The main checkout's files, missing on a branch made before them: say so, not "compose file not found".
    const missing = p.from.find((f) => !isFile(path.join(id.folder, f)));
    if (missing)
      throw new AxiError(
        'BAD_INPUT',
        `${id.folder} has no ${missing} (the stack chosen ${p.why}): bring it into this branch, or choose --template aegisx`,
      );
    return { from: p.from, why: p.why };
  }
  if (p.pick === 'aegisx') return { ...(p.template ? { template: p.template } : {}), why: p.why };
  return {};
}

/** What the window's add field says of a folder before it is registered. */
export interface StackPreview {
  folder: string;
  /** Its registration's name, when it has one (registering again keeps its stack). */
  registered: string | null;
  /** What registering it uses with nothing chosen; `ask`: the user must pick one. */
  pick: StackPick['pick'];
  /** Its own compose files, if any: what the "its compose file" choice uses. */
  composeFiles: string[];
  /** Their services, by name. */
  services: string[];
  /** One line: `its docker-compose.yml (2 services: web, db)`, or why the AegisX stack. */
  text: string;
}

/** Service names of plain compose files, for the preview (a file that does not parse shows none). */
async function composeServices(folder: string, files: readonly string[]): Promise<string[]> {
  const Y = await import('yaml');
  const names = new Set<string>();
  for (const f of files) {
    const text = await readRepoYaml(folder, path.join(folder, f), 'compose file').catch(() => '');
    const doc = (() => {
      try {
        return Y.parse(text) as { services?: unknown } | null;
      } catch {
        return null;
      }
    })();
    if (doc?.services && typeof doc.services === 'object') for (const s of Object.keys(doc.services)) names.add(s);
  }
  return [...names];
}

/** The add field's preview: which stack a registration of `dir` will use, and whether it must ask. */
export async function previewStack(dir: string, records: readonly InstanceRecord[]): Promise<StackPreview> {
  const id = await identifyFolder(dir);
  const rec = records.find((r) => r.folder === id.folder);
  const loaded = await repoConfigOf(id.folder, rec ? undefined : id.mainWorktree);
  const facts = await stackFacts(id, false, records, loaded);
  const p = pickStack(facts);
  const services = await composeServices(id.folder, facts.composeFiles);
  const own = `its ${facts.composeFiles.join(' + ')} (${services.length} service${services.length === 1 ? '' : 's'}: ${services.join(', ')})`;
  const text = rec
    ? `registered as ${labelOf(rec, records)}: registering again keeps its stack`
    : p.pick === 'compose'
      ? p.why === 'its own compose file'
        ? own
        : `${p.from.join(' + ')}, ${p.why}`
      : p.pick === 'aegisx'
        ? `the AegisX stack: ${p.why}`
        : p.pick === 'ask'
          ? `${own}, or the AegisX stack (${p.sign} is there): choose one`
          : loaded.inherited
            ? `as its main checkout's ${CONFIG_FILE} says (this branch has none)`
            : 'as its repository config or instance file says';
  return {
    folder: id.folder,
    registered: rec ? labelOf(rec, records) : null,
    pick: p.pick,
    composeFiles: facts.composeFiles,
    services,
    text,
  };
}

/** Setup's words on the prefix its instances' names take, and where it came from (docs/configuration.md). */
export function prefixLine(
  rec: Pick<InstanceRecord, 'source' | 'prefix'>,
  from: { config?: string; option?: string; base?: string; main?: string; env?: string },
): string {
  const prefix = rec.prefix ?? 'aegisx';
  const compose = rec.source === 'compose';
  const why =
    from.option === prefix && compose
      ? '--prefix'
      : from.config === prefix
        ? '.aegisx-instances.yml'
        : !compose
          ? from.env === prefix
            ? 'AXI_PREFIX'
            : "the AegisX stack's"
          : from.main === prefix
            ? `the main checkout's Compose project name`
            : from.base === prefix
              ? "the repository's base name"
              : 'as registered before';
  return `prefix ${prefix} (${why})`;
}
