import path from 'node:path';
import { AxiError } from '../../shared/errors';
import { interpolate } from './composePorts';
import { composeDefaultProject } from './composeTransform';
import type { Doc } from './doc';

/**
 * Compose's own project name for the main checkout, so its existing containers and volumes are the ones used,
 * in Compose's order: `-p` (setup's --project-name), COMPOSE_PROJECT_NAME (the environment, then the project's
 * `.env`: `env` holds both, the environment winning), the file's top-level `name:`, else the folder of the first
 * compose file, normalised as Compose does.
 */
export function composeProjectName(
  doc: Doc,
  env: Record<string, string | undefined>,
  sourceDir: string,
  flag?: string,
): string {
  if (flag !== undefined && !/^[a-z0-9][a-z0-9_-]*$/.test(flag))
    throw new AxiError(
      'BAD_INPUT',
      `--project-name ${JSON.stringify(flag)}: Compose takes lower-case letters, digits, _ and - (a letter or digit first)`,
    );
  const named = typeof doc.name === 'string' ? interpolate(doc.name, env) : undefined;
  return composeDefaultProject(flag || env.COMPOSE_PROJECT_NAME || named || path.basename(sourceDir));
}
