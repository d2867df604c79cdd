import path from 'node:path';
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
  main?: { folder: string; record?: InstanceRecord };
}> {
  let id = await identifyFolder(dir, opts.env ?? process.env);
  let rule: string | undefined;
  let mainRecord: InstanceRecord | undefined;
  // A registration keeps its stack: only a new worktree follows its main checkout's config.
  const registered = records.find((i) => i.folder === id.folder);
  const loaded = await repoConfigOf(id.folder, registered ? undefined : id.mainWorktree);
  const inherited =
    loaded.inherited && `this branch has no ${CONFIG_FILE}: following its main checkout's (${loaded.file})`;
  // A project's own compose file unless something says otherwise (see stackChoice); registrations keep theirs.
  const stack = await defaultStack(id, opts, records, loaded);
  // Only for a folder not registered yet: an existing registration keeps its name and project.
  if (!registered && ((stack.from ?? opts.from)?.length || loaded.config.source === 'compose')) {
    const checked = await gitMainCheckout(id, records);
    ({ id, note: rule, main: mainRecord } = checked);
    id = standaloneMain(id);
    if (id.main && !checked.id.main)
      rule = `the main checkout: no sibling folder is named ${checked.id.base} (its base), so no main checkout of it is here`;
    rule = [inherited, rule].filter(Boolean).join('; ') || undefined;
  }
  // A second clone keeps the name counted from its main checkout's folder (`chat-docker-2` → `2`): its folder is
  // not `<base>-<name>`, so the folder rule alone would name it anew. Any other name follows the folder, or
  // FOLDER_NAME (the seed's rename: refused while it runs, --replace), as it always did.
  const namedByRule = id.folderName === path.basename(id.folder) && id.suffix === id.folderName;
  if (registered && !registered.main && !id.main && namedByRule) id = { ...id, suffix: registered.suffix };
  // A main checkout by git's word or by having no sibling (both decided at its first setup) stays one: taken
  // for an instance again, it got a new name, new ports and a new project, and its containers and data were orphaned.
  if (registered?.main && !id.main) id = { ...id, base: id.folderName, suffix: '', main: true };
  const name = opts.name ? validateInstanceName(opts.name) : instanceNameFromSuffix(id.main ? id.base : id.suffix);
  // An instance's names derive from its main checkout's Compose project name (see composeStack).
  const mainFolder = id.main
    ? undefined
    : (mainRecord?.folder ?? id.mainWorktree ?? path.join(path.dirname(id.folder), id.base));
  mainRecord ??= mainFolder ? records.find((r) => r.main && r.folder === mainFolder) : undefined;
  return {
    id,
    name,
    ...(mainFolder ? { main: { folder: mainFolder, ...(mainRecord ? { record: mainRecord } : {}) } } : {}),
    rule: rule ?? (inherited || undefined),
    stack,
    configFolder: loaded.inherited,
    before: records.find((i) => i.folder === id.folder && i.name === name),
  };
}
