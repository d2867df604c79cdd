#!/bin/sh
# Stands in for nginx: serves /usr/share/nginx/html on port 80, with the image's welcome page when it is empty.
set -eu
root=/usr/share/nginx/html
mkdir -p "$root"
[ -n "$(ls -A "$root")" ] || printf '<!doctype html><title>Welcome to nginx!</title><h1>Welcome to nginx!</h1>\n' > "$root/index.html"
busybox httpd -f -p 80 -h "$root" &
pid=$!
trap 'kill "$pid"; wait "$pid"; exit 0' TERM INT
wait "$pid"
