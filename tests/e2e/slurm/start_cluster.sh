#!/usr/bin/env bash
# Start a one-node Slurm cluster on this host (root, no systemd): munge key + munged, a minimal
# slurm.conf from `slurmd -C`, slurmctld and slurmd, all state under $1 (default /tmp/e2llm-slurm).
# Prints "ready <conf> <started>" when `sinfo` shows the node idle (<started>: the daemons it
# started, "slurmctld,slurmd", or "none" when they were running), or "cannot start: <reason>" and
# exits 1. stop_cluster.sh <base> <started> stops what it started.
set -uo pipefail
base="${1:-/tmp/e2llm-slurm}"
fail() { echo "cannot start: $*"; exit 1; }
[ "$(id -u)" = 0 ] || fail "not root"
for b in munged slurmctld slurmd sbatch sinfo; do command -v "$b" >/dev/null || fail "$b not installed"; done
mkdir -p "$base"/{state,spool,log,run} /etc/munge /var/run/munge /var/lib/munge /var/log/munge
conf="$base/slurm.conf"
if ! pgrep -x munged >/dev/null; then
  [ -s /etc/munge/munge.key ] || { dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null; }
  chown -R munge:munge /etc/munge /var/run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
  chmod 400 /etc/munge/munge.key
  (munged --force 2>"$base/log/munged.err" || su -s /bin/sh munge -c "munged --force") || fail "munged did not start: $(cat "$base/log/munged.err")"
fi
host=$(hostname -s)
node=$(slurmd -C 2>/dev/null | head -n1 | sed -E 's/ UpTime=.*//')
[ -n "$node" ] || fail "slurmd -C printed nothing"
cat >"$conf" <<CONF
ClusterName=e2llm
SlurmctldHost=$host
AuthType=auth/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$base/state
SlurmdSpoolDir=$base/spool
SlurmctldPidFile=$base/run/slurmctld.pid
SlurmdPidFile=$base/run/slurmd.pid
SlurmctldLogFile=$base/log/slurmctld.log
SlurmdLogFile=$base/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=600
KillWait=10
$node State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
CONF
export SLURM_CONF="$conf"
started=()
if ! pgrep -x slurmctld >/dev/null; then
  slurmctld -f "$conf" -c 2>>"$base/log/start.err" || fail "slurmctld: $(tail -n3 "$base/log/start.err")"
  started+=(slurmctld)
fi
if ! pgrep -x slurmd >/dev/null; then
  slurmd -f "$conf" 2>>"$base/log/start.err" || fail "slurmd: $(tail -n3 "$base/log/start.err")"
  started+=(slurmd)
fi
list=$(IFS=,; echo "${started[*]:-none}")
for _ in $(seq 1 30); do
  state=$(sinfo -h -o %t 2>/dev/null | head -n1)
  case "$state" in idle*|mix*|alloc*) echo "ready $conf $list"; exit 0 ;; esac
  sleep 1
done
fail "node state '${state:-none}' after 30 s: $(tail -n3 "$base/log/slurmctld.log" 2>/dev/null | tr '\n' ' ')"
