#!/bin/bash
# Container readiness probe: GET /q/health/ready on this node's management interface
# (MANAGEMENT_HOST:MANAGEMENT_PORT; health is never served on HTTP_PORT), healthy only on 200
# (Quarkus answers 503 while a dependency is DOWN). The JRE base image has neither curl nor wget,
# so this speaks one HTTP/1.0 request over bash's /dev/tcp. Usage: storefront-healthcheck [PATH]
set -u
path="${1:-/q/health/ready}"
port="${MANAGEMENT_PORT:-9000}"
host="${MANAGEMENT_HOST:-127.0.0.1}"
case "$host" in 0.0.0.0|::|'[::]'|'') host=127.0.0.1 ;; esac

{ exec 3<>"/dev/tcp/${host}/${port}"; } 2>/dev/null || { echo "storefront-healthcheck: cannot connect to ${host}:${port}" >&2; exit 1; }
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
status=""
IFS= read -r -t 4 status <&3 || true
exec 3<&- 3>&-
status="${status%$'\r'}"
case "$status" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) echo "storefront-healthcheck: ${path}: ${status:-no response}" >&2; exit 1 ;;
esac
