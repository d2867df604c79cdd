#!/usr/bin/env bash
# Builds local stand-ins for the images the AegisX template uses, since no registry can be reached:
# a debootstrap'ed Debian rootfs with postgresql-15, redis-server and busybox, `docker import`ed once,
# then three small images tagged as the template's names, whose entrypoints honour the official
# images' contracts. Cached: a second run with the same recipe does nothing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
recipe="$(cat "$0" "$here"/*.sh "$here"/Dockerfile.* | sha256sum | cut -c1-12)"
base="axi-standin-base:bookworm"
images=(postgres:15-alpine redis:7-alpine dpage/pgadmin4:latest nginx:alpine)

cached=1
for img in "${images[@]}"; do
  got="$(docker image inspect -f '{{ index .Config.Labels "dev.aegisx-instances.standin" }}' "$img" 2>/dev/null || true)"
  [ "$got" = "$recipe" ] || cached=0
done
if [ "$cached" = 1 ]; then echo "stand-in images up to date ($recipe)"; exit 0; fi

if ! docker image inspect "$base" >/dev/null 2>&1; then
  command -v debootstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  # The machine's own Debian mirror (active lines only); `|| true` because head closes the pipe early.
  mirror="$( (cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null || true) | grep -E '^(URIs:|deb )' \
    | grep -oE 'https?://[^ ]+' | grep -v security | head -n1 || true)"
  rootfs="$(mktemp -d /tmp/axi-rootfs.XXXXXX)"
  trap 'rm -rf "$rootfs"' EXIT
  echo "debootstrap bookworm from ${mirror:-http://deb.debian.org/debian} (about a minute)"
  debootstrap --variant=minbase --include=postgresql-15,redis-server,busybox,ca-certificates \
    bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" >/tmp/axi-debootstrap.log 2>&1 \
    || { tail -n 30 /tmp/axi-debootstrap.log >&2; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import - "$base" >/dev/null
fi

for spec in postgres:postgres:15-alpine redis:redis:7-alpine pgadmin:dpage/pgadmin4:latest web:nginx:alpine; do
  kind="${spec%%:*}"
  tag="${spec#*:}"
  DOCKER_BUILDKIT=0 docker build -q --label "dev.aegisx-instances.standin=$recipe" -f "$here/Dockerfile.$kind" -t "$tag" "$here" >/dev/null 2>&1 || { echo "docker build of $tag failed" >&2; exit 1; }
  echo "built stand-in $tag"
done
