#!/bin/sh
# The official redis image's contract: reachable from outside the container, data in /data.
set -eu
if [ "${1:-}" = redis-server ]; then
  shift
  exec redis-server --bind 0.0.0.0 --protected-mode no --dir /data "$@"
fi
exec "$@"
