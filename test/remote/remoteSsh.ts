import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exec } from '../docker/dockerHelpers';
import { NETNS, REMOTE_ADDR, waitConnects } from './remoteEngine';

/**
 * SSH into the namespace engine's host (issue 11, section 7): an sshd of its own inside the namespace, on
 * 10.231.0.2:22 only, with its own host key, pid file and config under /run/axiremote/ssh, key authentication
 * with a throwaway key, and `SetEnv DOCKER_HOST=unix://…` so that `docker system dial-stdio` in a session reaches
 * the namespace engine, not the host's. The user's ~/.ssh is never read or written: clients get `-F` our config
 * through an `ssh` wrapper first on PATH (Docker's CLI and `axi tunnel` run whatever `ssh` PATH gives).
 */
const SSH_DIR = '/run/axiremote/ssh';
const SOCKET = '/run/axiremote/docker.sock';
const PIDFILE = path.join(SSH_DIR, 'sshd.pid');
const KEY = path.join(SSH_DIR, 'id_ed25519');
const CLIENT_CONFIG = path.join(SSH_DIR, 'ssh_config');
const BIN = path.join(SSH_DIR, 'bin');
export const REMOTE_SSH = `ssh://root@${REMOTE_ADDR}`;

export interface RemoteSsh {
  /** `ssh://root@10.231.0.2` */
  readonly host: string;
  /** The throwaway private key (for dockerode's own `protocol: 'ssh'`). */
  readonly privateKey: string;
  /** An environment whose `ssh` (first on PATH) uses the throwaway key and known_hosts only. */
  env(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

async function must(cmd: string, args: string[]): Promise<void> {
  const r = await exec(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr.trim() || `exit ${r.code}`}`);
}

function sshdPid(): number | undefined {
  try {
    const pid = Number(readFileSync(PIDFILE, 'utf8').trim());
    if (pid > 0) process.kill(pid, 0);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Stops the namespace's sshd by its pid (the engine and namespace stay). */
export async function stopSshd(): Promise<void> {
  const pid = sshdPid();
  if (!pid) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 40 && sshdPid() === pid; i++) await new Promise((r) => setTimeout(r, 100));
}

async function writeKeysAndConfigs(): Promise<void> {
  mkdirSync(BIN, { recursive: true, mode: 0o700 });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege separation directory
  for (const key of ['host_key', 'id_ed25519'])
    if (!existsSync(path.join(SSH_DIR, key)))
      await must('ssh-keygen', [
        '-q',
        '-t',
        'ed25519',
        '-N',
        '',
        '-C',
        `axiremote-${key}`,
        '-f',
        path.join(SSH_DIR, key),
      ]);
  writeFileSync(path.join(SSH_DIR, 'authorized_keys'), readFileSync(`${KEY}.pub`), { mode: 0o600 });
  const hostKey = readFileSync(path.join(SSH_DIR, 'host_key.pub'), 'utf8').trim();
  writeFileSync(path.join(SSH_DIR, 'known_hosts'), `${REMOTE_ADDR} ${hostKey}\n`, { mode: 0o600 });
  const sshd = [
    `ListenAddress ${REMOTE_ADDR}`,
    `HostKey ${SSH_DIR}/host_key`,
    `PidFile ${PIDFILE}`,
    `AuthorizedKeysFile ${SSH_DIR}/authorized_keys`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'UsePAM no',
    'StrictModes no',
    'AllowTcpForwarding yes',
    `SetEnv DOCKER_HOST=unix://${SOCKET}`,
  ];
  writeFileSync(path.join(SSH_DIR, 'sshd_config'), sshd.join('\n') + '\n', { mode: 0o600 });
  const client = [
    `Host ${REMOTE_ADDR}`,
    `  IdentityFile ${KEY}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${SSH_DIR}/known_hosts`,
    '  StrictHostKeyChecking yes',
    '  BatchMode yes',
  ];
  writeFileSync(CLIENT_CONFIG, client.join('\n') + '\n', { mode: 0o600 });
  writeFileSync(path.join(BIN, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${CLIENT_CONFIG} "$@"\n`);
  chmodSync(path.join(BIN, 'ssh'), 0o755);
}

/** sshd in the namespace (reused when it already runs), or why it cannot be started. Needs the engine up. */
export async function startRemoteSsh(): Promise<
  { ssh: RemoteSsh; skip?: undefined } | { ssh?: undefined; skip: string }
> {
  if (!existsSync('/usr/sbin/sshd')) return { skip: 'openssh-server is not installed (scripts/setup-machine.sh)' };
  try {
    await writeKeysAndConfigs();
    if (!sshdPid()) {
      // sshd re-executes itself: it needs its absolute path. It daemonizes and writes its pid file.
      const child = spawn(
        'nsenter',
        [
          `--net=/var/run/netns/${NETNS}`,
          '/usr/sbin/sshd',
          '-f',
          `${SSH_DIR}/sshd_config`,
          '-E',
          `${SSH_DIR}/sshd.log`,
        ],
        { stdio: 'ignore' },
      );
      await new Promise((resolve) => child.once('exit', resolve));
      if (!(await waitConnects(REMOTE_ADDR, 22, 10000))) throw new Error(`sshd did not listen on ${REMOTE_ADDR}:22`);
    }
  } catch (err) {
    return { skip: `no sshd in the namespace: ${(err as Error).message}` };
  }
  return {
    ssh: {
      host: REMOTE_SSH,
      privateKey: readFileSync(KEY, 'utf8'),
      env: (base) => ({ ...base, PATH: `${BIN}:${base.PATH ?? '/usr/bin:/bin'}` }),
      stop: stopSshd,
    },
  };
}
