import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** How the OS starts an app at login: Electron's API (macOS, Windows), an XDG autostart entry (Linux, BSDs), or not at all. */
export type LoginItemWay = 'electron' | 'xdg' | null;

export function loginItemWay(platform: NodeJS.Platform): LoginItemWay {
  if (platform === 'darwin' || platform === 'win32') return 'electron';
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd' || platform === 'netbsd') return 'xdg';
  return null;
}

export const LOGIN_UNSUPPORTED =
  'start at login is not available on this OS (neither a login item API nor XDG autostart)';

/** `$XDG_CONFIG_HOME/autostart/<name>.desktop` (the XDG Autostart spec), ~/.config when unset or relative. */
export function autostartFile(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const config = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : undefined;
  return path.join(config ?? path.join(env.HOME || os.homedir(), '.config'), 'autostart', `${name}.desktop`);
}

/** One Exec argument quoted as the Desktop Entry spec asks (double quotes; \, ", `, $ escaped; % doubled). */
function execArg(arg: string): string {
  const escaped = arg.replace(/%/g, '%%');
  if (!/[\s"'\\`$<>|;&*?#()~]/.test(arg)) return escaped;
  return `"${escaped.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
}

/** The entry's text: the command as an argument list, never a shell line. */
export function autostartEntry(o: { title: string; exec: string[]; comment: string }): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${o.title}`,
    `Comment=${o.comment}`,
    `Exec=${o.exec.map(execArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * Writes the entry (a temp file renamed over it, so a symlink there is
 * replaced, never written through) or removes it; a missing entry is already off.
 */
export function setXdgAutostart(file: string, entry: string | null): void {
  if (entry === null) return rmSync(file, { force: true });
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, entry, { mode: 0o644, flag: 'w' });
  renameSync(tmp, file);
}
