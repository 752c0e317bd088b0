#!/bin/sh
# Start method of site/triton-recover-sync (see triton-recover-sync.xml): one
# `triton-recover sync`, then a pause, forever. SMF runs it as a child process
# and restarts it if it dies. A sync that fails only says so in the log: the
# next one tries again; sync itself refuses while a restore runs.
interval=${1:-300}
case "$interval" in
  '' | *[!0-9]*) echo "triton-recover-sync: interval must be a number of seconds, not '$interval'" >&2; exit 1 ;;
esac
tr=${TRITON_RECOVER:-/opt/triton-recover/bin/triton-recover}
while :; do
  echo "--- $(date -u '+%Y-%m-%dT%H:%M:%SZ') sync"
  # Word splitting of the extra options is intended (plain flags and numbers).
  # shellcheck disable=SC2086
  "$tr" sync ${TRITON_RECOVER_SYNC_ARGS:-}
  echo "--- exit $?"
  sleep "$interval"
done
