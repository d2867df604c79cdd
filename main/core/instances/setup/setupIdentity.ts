import { isIP } from 'node:net';
import { AxiError } from '../../../shared/errors';
import { gitMainCheckout } from './mainCheckout';
import {
  identifyFolder,
  type FolderIdentity,
  instanceNameFromSuffix,
  standaloneMain,
  validateInstanceName,
} from '../../project/identity';
import { defaultStack } from './stackChoice';
import { CONFIG_FILE, repoConfigOf } from '../../project/repoConfig';
import { type InstanceRecord } from '../../registry/record';
import type { SetupOptions } from '../serviceTypes';

export function validateBind(bind: string, where: string): string {
  if (!isIP(bind))
    throw new AxiError(
      'BAD_INPUT',
      `${where} ${JSON.stringify(bind)} is not an IP address (e.g. 127.0.0.1, or 0.0.0.0 for the LAN)`,
    );
  return bind;
}

/** The folder's identity and instance name for setup, and the registration it already has, if any. */
export async function identifyForSetup(
  dir: string,
  opts: SetupOptions,
  records: readonly InstanceRecord[],
): Promise<{
  id: FolderIdentity;
  name: string;
  before?: InstanceRecord;
  rule?: string;
  stack: { from?: string[]; template?: string; why?: string };
  configFolder?: string;
}> {
  let id = await identifyFolder(dir, opts.env ?? process.env);
  let rule: string | undefined;
  // A registration keeps its stack: only a new worktree follows its main checkout's config.
  const registered = records.find((i) => i.folder === id.folder);
  const loaded = await repoConfigOf(id.folder, registered ? undefined : id.mainWorktree);
  const inherited =
    loaded.inherited && `this branch has no ${CONFIG_FILE}: following its main checkout's (${loaded.file})`;
  // A project's own compose file unless something says otherwise (see stackChoice); registrations keep theirs.
  const stack = await defaultStack(id, opts, records, loaded);
  // Only for a folder not registered yet: an existing registration keeps its name and project.
  if (!registered && ((stack.from ?? opts.from)?.length || loaded.config.source === 'compose')) {
    ({ id, note: rule } = await gitMainCheckout(id, records));
    rule = [inherited, rule].filter(Boolean).join('; ') || undefined;
    id = standaloneMain(id);
  }
  // A main checkout by git's word or by having no sibling (both decided at its first setup) stays one: taken
  // for an instance again, it got a new name, new ports and a new project, and its containers and data were orphaned.
  if (registered?.main && !id.main) id = { ...id, base: id.folderName, suffix: '', main: true };
  const name = opts.name ? validateInstanceName(opts.name) : instanceNameFromSuffix(id.main ? id.base : id.suffix);
  return {
    id,
    name,
    rule: rule ?? (inherited || undefined),
    stack,
    configFolder: loaded.inherited,
    before: records.find((i) => i.folder === id.folder && i.name === name),
  };
}
