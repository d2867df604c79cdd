import { AxiError } from '../shared/errors';

export interface RevealDeps {
  exists(folder: string): boolean;
  /** shell.showItemInFolder: selects the folder in the file manager and never opens it. */
  show(folder: string): void;
}

/**
 * Shows an instance's folder in the OS file manager. Not shell.openPath: on
 * macOS that launches a folder named *.app. showItemInFolder reports nothing,
 * so a missing folder is checked first.
 */
export function revealFolder(folder: string, deps: RevealDeps): void {
  if (!deps.exists(folder)) throw new AxiError('NOT_FOUND', `folder does not exist: ${folder}`);
  deps.show(folder);
}
