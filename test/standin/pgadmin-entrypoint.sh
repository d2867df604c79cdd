#!/bin/sh
# Stands in for pgAdmin: an HTTP server on port 80 (the official image's port).
set -eu
mkdir -p /www
printf '<!doctype html><title>pgAdmin (stand-in)</title><h1>pgAdmin stand-in</h1><p>%s</p>\n' "${PGADMIN_DEFAULT_EMAIL:-}" > /www/index.html
# As PID 1 httpd would ignore SIGTERM and every stop would wait for Docker's 10 s kill.
busybox httpd -f -v -p 80 -h /www &
pid=$!
trap 'kill "$pid"; wait "$pid"; exit 0' TERM INT
wait "$pid"
