#!/usr/bin/env bash
# install-compose-v2.sh DEST_DIR
#
# Makes Docker Compose v2 available as a Docker CLI plugin in a private
# DOCKER_CONFIG folder, without touching the machine's apt sources, apt lists
# or system-wide plugin folders:
#
#   bash scripts/install-compose-v2.sh /some/dir
#   DOCKER_CONFIG=/some/dir docker compose version     # -> 2.x
#
# Compose v2 is taken from Debian's `docker-compose` package in trixie (2.26+;
# only needs libc >= 2.34, so it runs on Debian 12). It is fetched with
# `apt-get download` through a throwaway sources list and private apt state
# kept in a cache folder, verified against the local Debian archive keyring,
# unpacked with dpkg-deb and copied to DEST_DIR/cli-plugins/docker-compose.
#
# Idempotent: returns at once when DEST_DIR already has a working v2 plugin,
# and reuses the cached .deb instead of downloading again.
#
# Environment overrides (all optional):
#   AXI_COMPOSE_V2_CACHE    cache folder (default /var/cache/axi-compose-v2 as
#                           root, else ${XDG_CACHE_HOME:-~/.cache}/axi-compose-v2)
#   AXI_COMPOSE_V2_MIRROR   Debian mirror (default http://deb.debian.org/debian)
#   AXI_COMPOSE_V2_SUITE    Debian suite  (default trixie)
#   AXI_COMPOSE_V2_KEYRING  keyring for signed-by
#                           (default /usr/share/keyrings/debian-archive-keyring.gpg)
#   DOCKER_BIN              docker CLI to check with (default: docker on PATH)
set -euo pipefail

PROG=install-compose-v2
umask 022   # cache folders must stay readable by apt's _apt user
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

[[ $# -eq 1 && -n ${1:-} ]] || die "usage: $0 DEST_DIR (a DOCKER_CONFIG folder)"

DOCKER_BIN=${DOCKER_BIN:-docker}
command -v "$DOCKER_BIN" >/dev/null 2>&1 || die "docker CLI '$DOCKER_BIN' not found on PATH"

mkdir -p -- "$1" 2>/dev/null || die "cannot create DEST_DIR '$1'"
DEST=$(cd -- "$1" && pwd -P) || die "cannot enter DEST_DIR '$1'"
PLUGIN_DIR=$DEST/cli-plugins
PLUGIN=$PLUGIN_DIR/docker-compose

# Prints the short version (e.g. 2.26.1-4) if `docker compose` under
# DOCKER_CONFIG=$DEST answers with v2; fails otherwise. A DEST without
# config.json is fine for the docker CLI (it only reads it when present).
compose_v2_version() {
  local v
  v=$(DOCKER_CONFIG=$DEST "$DOCKER_BIN" compose version --short 2>/dev/null) || return 1
  v=${v#v}
  [[ $v =~ ^2\.[0-9]+ ]] || return 1
  printf '%s\n' "$v"
}

# --- fast path: already installed -------------------------------------------
if [[ -f $PLUGIN && -x $PLUGIN ]] && ver=$(compose_v2_version); then
  printf 'compose v2: %s in %s (already installed)\n' "$ver" "$PLUGIN_DIR"
  exit 0
fi

# --- tools and settings ------------------------------------------------------
for tool in apt-get apt-cache dpkg dpkg-deb; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found (this script needs a Debian-based machine)"
done

if [[ -n ${AXI_COMPOSE_V2_CACHE:-} ]]; then
  CACHE=$AXI_COMPOSE_V2_CACHE
elif [[ $EUID -eq 0 ]]; then
  CACHE=/var/cache/axi-compose-v2
else
  CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/axi-compose-v2
fi
MIRROR=${AXI_COMPOSE_V2_MIRROR:-http://deb.debian.org/debian}
SUITE=${AXI_COMPOSE_V2_SUITE:-trixie}
KEYRING=${AXI_COMPOSE_V2_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
ARCH=$(dpkg --print-architecture) || die "cannot determine dpkg architecture"
PKG=docker-compose

mkdir -p -- "$CACHE/lists" "$CACHE/debs" "$CACHE/apt-cache" "$CACHE/preferences.d" 2>/dev/null \
  || die "cannot create cache folder '$CACHE'"

# Serialise concurrent runs sharing the cache (best effort if flock is missing).
if command -v flock >/dev/null 2>&1; then
  { exec 9>"$CACHE/.lock"; } 2>/dev/null || die "cannot open lock file '$CACHE/.lock'"
  flock -w 600 9 || die "timed out waiting for lock '$CACHE/.lock'"
  # Another run may have finished the job while we waited.
  if [[ -f $PLUGIN && -x $PLUGIN ]] && ver=$(compose_v2_version); then
    printf 'compose v2: %s in %s (already installed)\n' "$ver" "$PLUGIN_DIR"
    exit 0
  fi
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/$PROG.XXXXXX") || die "cannot create temp folder"
trap 'rm -rf -- "$WORK"' EXIT

# Runs a command with its output in a log; on failure dies with one line that
# carries apt's own error message.
run_logged() {
  local what=$1; shift
  local log=$WORK/cmd.log
  if ! "$@" >"$log" 2>&1; then
    local msg
    msg=$(grep -E '^E:' "$log" | head -n 1 || true)
    [[ -n $msg ]] || msg=$(tail -n 1 "$log" || true)
    die "$what failed: ${msg:-no output}"
  fi
}

# Newest cached docker-compose 2.x .deb for this architecture, if any.
cached_deb() {
  local f best='' bestv='' v
  for f in "$CACHE/debs/${PKG}_"*"_${ARCH}.deb"; do
    [[ -f $f ]] || continue
    v=$(dpkg-deb -f "$f" Version 2>/dev/null) || continue
    [[ $v =~ ^2\. ]] || continue
    if [[ -z $bestv ]] || dpkg --compare-versions "$v" gt "$bestv"; then
      best=$f bestv=$v
    fi
  done
  [[ -n $best ]] && printf '%s\n' "$best"
}

# --- get the .deb (from the cache, or via a private apt setup) ---------------
DEB=$(cached_deb || true)
if [[ -z $DEB ]]; then
  [[ -r $KEYRING ]] || die "Debian archive keyring '$KEYRING' not readable (install debian-archive-keyring)"

  # Throwaway sources list: only the target suite, signed by the local keyring.
  SOURCES=$CACHE/sources.list
  printf 'deb [signed-by=%s] %s %s main\n' "$KEYRING" "$MIRROR" "$SUITE" >"$SOURCES"

  # Loaded with -c (after the system config): drop the system's apt update
  # hooks (PackageKit / AppStream refreshes), which would otherwise run on
  # our private update and touch system caches.
  APTCONF=$CACHE/apt.conf
  printf '%s\n' \
    '#clear APT::Update::Pre-Invoke;' \
    '#clear APT::Update::Post-Invoke;' \
    '#clear APT::Update::Post-Invoke-Success;' >"$APTCONF"

  # Private apt state: own sources, lists, caches, no pinning, empty dpkg
  # status (so the installed Compose v1 package plays no part).
  APT_OPTS=(
    -q
    -c "$APTCONF"
    -o "Dir::Etc::sourcelist=$SOURCES"
    -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=$CACHE/lists"
    -o "Dir::State::status=/dev/null"
    -o "Dir::Cache=$CACHE/apt-cache"
    -o "Dir::Cache::pkgcache="
    -o "Dir::Cache::srcpkgcache="
    -o "Dir::Etc::preferences=$CACHE/preferences"
    -o "Dir::Etc::preferencesparts=$CACHE/preferences.d"
    -o "APT::Architecture=$ARCH"
  )

  # --error-on=any: fail on fetch errors instead of silently keeping no lists.
  run_logged "apt-get update ($SUITE, private lists in $CACHE/lists)" \
    apt-get "${APT_OPTS[@]}" --error-on=any update

  CAND=$(apt-cache "${APT_OPTS[@]}" policy "$PKG" 2>/dev/null \
           | awk '$1 == "Candidate:" { print $2; exit }') || true
  [[ -n $CAND && $CAND != "(none)" ]] || die "package '$PKG' not found in $SUITE ($MIRROR)"
  [[ $CAND =~ ^2\. ]] || die "$SUITE offers $PKG $CAND, which is not Compose v2"

  # apt drops privileges to _apt for downloads; give it a staging folder it
  # can reach and write (inside the 755 cache, not the 700 temp folder) so the
  # download stays sandboxed, and partial files never land in debs/.
  STAGE=$CACHE/partial
  mkdir -p -- "$STAGE" 2>/dev/null || die "cannot create '$STAGE'"
  rm -f -- "$STAGE/"*.deb
  if [[ $EUID -eq 0 ]] && id _apt >/dev/null 2>&1; then
    chown _apt "$STAGE"
  fi
  ( cd -- "$STAGE" && run_logged "apt-get download $PKG=$CAND" \
      apt-get "${APT_OPTS[@]}" download "$PKG=$CAND" ) || exit 1

  got=("$STAGE/${PKG}_"*"_${ARCH}.deb")
  [[ -f ${got[0]} ]] || die "apt-get download left no ${PKG}_*_${ARCH}.deb"
  mv -f -- "${got[0]}" "$CACHE/debs/" 2>/dev/null || die "cannot move .deb into '$CACHE/debs'"
  DEB=$CACHE/debs/$(basename -- "${got[0]}")
fi

# --- unpack and install ------------------------------------------------------
if ! dpkg-deb -x "$DEB" "$WORK/root" >/dev/null 2>&1; then
  # A damaged cached .deb would fail forever: drop it so a rerun fetches anew.
  rm -f -- "$DEB"
  die "cannot unpack $(basename -- "$DEB") (removed from the cache; run again to re-download)"
fi

BIN=''
for rel in usr/libexec/docker/cli-plugins/docker-compose \
           usr/lib/docker/cli-plugins/docker-compose \
           usr/bin/docker-compose; do
  # Skip symlinks (usr/bin/docker-compose links to the plugin; the link target
  # would resolve against the host, not the unpacked tree).
  if [[ -f $WORK/root/$rel && ! -L $WORK/root/$rel ]]; then BIN=$WORK/root/$rel; break; fi
done
[[ -n $BIN ]] || die "no docker-compose binary found inside $(basename -- "$DEB")"

NEWVER=$("$BIN" version --short 2>/dev/null) || die "extracted docker-compose does not run on this machine ($BIN)"
NEWVER=${NEWVER#v}
[[ $NEWVER =~ ^2\. ]] || die "extracted docker-compose reports '$NEWVER', not v2"

mkdir -p -- "$PLUGIN_DIR" 2>/dev/null || die "cannot create '$PLUGIN_DIR'"
TMPBIN=$PLUGIN_DIR/.docker-compose.tmp.$$
cp -- "$BIN" "$TMPBIN" 2>/dev/null || die "cannot copy binary into '$PLUGIN_DIR'"
chmod 755 -- "$TMPBIN"
mv -f -- "$TMPBIN" "$PLUGIN" 2>/dev/null || { rm -f -- "$TMPBIN"; die "cannot install '$PLUGIN'"; }

ver=$(compose_v2_version) || die "DOCKER_CONFIG=$DEST $DOCKER_BIN compose version does not report v2 after install"
printf 'compose v2: %s in %s\n' "$ver" "$PLUGIN_DIR"
