#!/usr/bin/env bash
# Stop the Slurm daemons start_cluster.sh started: stop_cluster.sh <base> <started list>.
base="${1:-/tmp/e2llm-slurm}"
for d in ${2//,/ }; do
  f="$base/run/$d.pid"
  [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
done
exit 0
