#!/usr/bin/env bash
# Prepares this machine for the tests (idempotent; CI and a fresh machine):
#   Debian packages   git, lsof, docker.io, docker-compose, debootstrap, postgresql-client (psql), chromium (browser tests),
#                     iproute2 (the remote-engine tests' network namespace), openssh-server, openssh-client and
#                     python3-paramiko (their sshd in that namespace, ssh:// engines under Compose v1, axi tunnel),
#                     btrfs-progs and xfsprogs (the copy-on-write tests' loop-mounted data roots), e2fsprogs
#                     (filefrag: the exclusive sizes of clones)
#   a Docker engine   started (dockerd in the background) when none answers
#   stand-in images   postgres:15-alpine, redis:7-alpine, dpage/pgadmin4:latest built from Debian packages
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
need=()
command -v git >/dev/null || need+=(git)
command -v lsof >/dev/null || need+=(lsof)
command -v dockerd >/dev/null || need+=(docker.io)
command -v docker-compose >/dev/null || need+=(docker-compose)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v psql >/dev/null || need+=(postgresql-client)
# The remote-engine tests put a second dockerd in a network namespace (test/remote/remoteEngine.ts).
command -v ip >/dev/null || need+=(iproute2)
# ...and an sshd of their own there (test/remote/remoteSsh.ts), reached with the system's ssh, as axi tunnel is.
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null || need+=(openssh-client)
# Compose v1 (docker-py) refuses ssh:// without paramiko, even though it then runs the system's ssh.
python3 -c 'import paramiko' 2>/dev/null || need+=(python3-paramiko)
[ -x /usr/bin/chromium ] || need+=(chromium)
# The copy-on-write tests put engines' data roots on loop-mounted btrfs and XFS images (test/cow/cowEngine.ts).
command -v mkfs.btrfs >/dev/null || need+=(btrfs-progs)
command -v mkfs.xfs >/dev/null || need+=(xfsprogs)
command -v filefrag >/dev/null || need+=(e2fsprogs)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-machine: missing ${need[*]}; install them (apt-get install -y ${need[*]}) or run as root" >&2
    exit 1
  fi
  echo "setup-machine: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then echo "setup-machine: no Docker engine answers; start one" >&2; exit 1; fi
  echo "setup-machine: starting dockerd"
  # Remembered so the engine-restart test knows this engine is ours to stop and start again.
  echo "dockerd" > /run/axi-test-dockerd
  setsid nohup dockerd >/var/log/axi-test-dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { tail -n 20 /var/log/axi-test-dockerd.log >&2; exit 1; }
fi

bash "$root/test/standin/build.sh"

# Compose v2 beside v1: most users run `docker compose`, so every Docker suite runs under both.
# A private DOCKER_CONFIG holds the v2 plugin; `npm test` finds it there (scripts/run-tests.mjs).
if [ "$(id -u)" = 0 ]; then v2dir=/var/cache/axi-compose-v2/docker-config; else v2dir="${XDG_CACHE_HOME:-$HOME/.cache}/axi-compose-v2/docker-config"; fi
bash "$root/scripts/install-compose-v2.sh" "${AXI_COMPOSE_V2_CONFIG:-$v2dir}"
