import path from 'node:path';
import { composeReading } from './composeValidation';
import { AxiError } from '../../shared/errors';
import { readUserYaml, resolveInside } from '../project/userFiles';
import { isMap } from './yamlValues';
import { mergeCompose, Override, RESET, settled } from './composeMerge';
import { documentFromModel, type ComposeModelReader } from './composeModel';
import type { Doc } from './doc';

/** Real files lean on anchors (one has 131 merge keys); the bound still stops an alias bomb. */
const MAX_ALIASES = 10_000;

/**
 * One compose file as data. Integers written with a leading 0 (`mode: 0440`) are octal, as Compose
 * reads them; YAML 1.2 would take them as decimal.
 */
function parseComposeYaml(Y: typeof import('yaml'), text: string, file: string): unknown {
  const d = Y.parseDocument(text, { merge: true });
  const e = d.errors[0];
  if (e)
    throw new AxiError(
      'BAD_INPUT',
      `${file}:${e.linePos?.[0]?.line ?? '?'}: not valid YAML: ${e.message.split('\n')[0]}`,
    );
  Y.visit(d, {
    Scalar(_key, node) {
      if (typeof node.value === 'number' && typeof node.source === 'string' && /^0[0-7]+$/.test(node.source))
        node.value = parseInt(node.source, 8);
    },
  });
  // After the octal pass: a tagged node becomes one value, which the visit does not enter.
  Y.visit(d, {
    Node(_key, node) {
      if (node.tag === '!reset') return new Y.Scalar(RESET);
      if (node.tag === '!override') return new Y.Scalar(new Override(node.toJS(d, { maxAliasCount: MAX_ALIASES })));
      return undefined;
    },
  });
  try {
    return d.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (err) {
    if (err instanceof ReferenceError)
      throw new AxiError(
        'BAD_INPUT',
        `${file}: too many YAML aliases (more than ${MAX_ALIASES}); refusing it as an alias bomb`,
      );
    throw err;
  }
}

/** A project's files as one document, and how it was read. */
export interface ComposeSource {
  doc: Doc;
  /** The first file's folder: Compose's project directory, where it reads `.env`. */
  dir: string;
  files: string[];
  /** The folder the document's relative paths start from. */
  pathBase: string;
  /** True when Compose v2 merged the files (include, extends, overrides as `up` reads them). */
  byCompose: boolean;
  /** Compose accepts the files only interpolated (see InterpolatedOnly): what it said of them uninterpolated. */
  interpolatedOnly?: string;
}

/** What only Compose itself resolves: refused rather than turned into a file that runs something else. */
function needsCompose(doc: unknown, file: string): string | undefined {
  if (!isMap(doc)) return undefined;
  if (doc.include !== undefined) return `${file} uses include:`;
  for (const [name, def] of Object.entries(isMap(doc.services) ? doc.services : {})) {
    if (isMap(def) && def.extends !== undefined) return `${file}: service ${name} uses extends:`;
  }
  return undefined;
}

/**
 * Reads the project's compose file(s). Each is checked here (inside the repository, size, YAML
 * errors with file and line, alias bombs); then Compose v2 merges them when it is installed, as
 * `up` would. Without it, axi merges them itself and says so.
 */
export async function loadComposeSource(
  folder: string,
  files: readonly string[],
  model?: ComposeModelReader,
  env?: NodeJS.ProcessEnv,
): Promise<ComposeSource> {
  const Y = await import('yaml');
  const parsed: unknown[] = [];
  // Resolved with symlinks followed and kept inside the repository: `from: [/etc/passwd]` is never read.
  const abs: string[] = [];
  for (const f of files) abs.push(await resolveInside(folder, f, 'compose file'));
  const dir = path.dirname(abs[0]!);
  // Several files: Compose's reading (~0.5 s to start) runs while axi checks them. Its error waits for ours.
  const early =
    model && abs.length > 1
      ? model(abs, { cwd: dir, env }).then(
          (m) => ({ m }),
          (err: unknown) => ({ err }),
        )
      : undefined;
  for (const file of abs) {
    const text = await readUserYaml(file).catch((err) => {
      throw err instanceof AxiError ? err : new AxiError('BAD_INPUT', `compose file not found: ${file}`);
    });
    parsed.push(parseComposeYaml(Y, text, file));
  }
  // Compose is asked only where there is something to merge: one plain file reads the same either way
  // (the suites compare both readings with Compose's).
  const merging = parsed.length > 1 || parsed.some((d, i) => needsCompose(d, abs[i]!));
  const reading =
    model && merging ? await composeReading(early ?? model(abs, { cwd: dir, env }).then((m) => ({ m }))) : {};
  const composed = reading.model;
  let doc: unknown;
  if (composed !== undefined) doc = documentFromModel(composed, folder);
  else {
    const unsupported = parsed.map((d, i) => needsCompose(d, abs[i]!)).find(Boolean);
    if (unsupported)
      throw new AxiError(
        'BAD_INPUT',
        `${unsupported}, which axi reads through Compose v2 (docker compose config); install the Compose plugin`,
      );
    doc = settled(parsed.reduce((a, b) => mergeCompose(a, b), {}));
  }
  if (!isMap(doc) || !isMap(doc.services) || !Object.keys(doc.services).length) {
    throw new AxiError('BAD_INPUT', `${abs.join(', ')}: no services defined`);
  }
  return {
    doc: doc as Doc,
    dir,
    files: abs,
    pathBase: composed !== undefined ? folder : dir,
    byCompose: composed !== undefined,
    ...(reading.interpolatedOnly ? { interpolatedOnly: reading.interpolatedOnly } : {}),
  };
}
