#!/usr/bin/env bash
# Installs the Debian packages the tests use, when missing (idempotent; CI and a fresh machine).
#   git, lsof          identity from git origin; the seed's way in benchmarks
#   docker-compose     validates generated compose files (`docker-compose config`)
set -euo pipefail
need=()
command -v git >/dev/null || need+=(git)
command -v lsof >/dev/null || need+=(lsof)
command -v docker-compose >/dev/null || need+=(docker-compose)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-machine: missing ${need[*]}; install them (apt-get install -y ${need[*]}) or run as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
