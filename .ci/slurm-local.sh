#!/usr/bin/env bash
# .ci/slurm-local.sh - a throwaway single-node Slurm cluster for the Slurm tests of `ntksharp kernel --slurm`.
#
#   .ci/slurm-local.sh start DIR   install slurm-wlm + munge (Debian packages) if missing, configure everything under
#                                  DIR, start munged, slurmctld and slurmd by hand (no systemd), wait for an idle node,
#                                  write DIR/env (". DIR/env" exports SLURM_CONF) and DIR/pids
#   .ci/slurm-local.sh stop DIR    cancel this cluster's jobs and stop exactly the daemons listed in DIR/pids
#
# Needs root (slurmd starts jobs as their user). What it works around on CI machines:
#   - munged refuses keys and socket folders that are group/other writable, and parents it cannot traverse (umask 022,
#     chmod 755 on DIR and DIR/munge, key 0600);
#   - no cgroups here: proctrack/linuxproc and task/none (the cgroup plugins fail with "freezer not mounted");
#   - the node's address is pinned to 127.0.0.1 (an unresolvable hostname would leave the node invalid);
#   - no accounting daemon (no sacct): one line per finished task in DIR/log/jobcomp.txt;
#   - `sbatch --wait` polls slowly (2 s, 8 s, then 32 s): callers poll `squeue -h -j JOB` instead.
# Environment: NTKSHARP_SLURM_PORT (slurmctld port, slurmd uses +1; default 6817), NTKSHARP_SLURM_TIMEOUT (s, default 60).
# Quiet on success; on failure one line on stderr and a non-zero exit.
set -u
umask 022

fail() { echo "slurm-local: $*" >&2; exit 1; }

# running PID CMDSUBSTR: a live (not zombie) process whose command line contains CMDSUBSTR
running() {
    [[ $1 =~ ^[0-9]+$ ]] || return 1
    local state; state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
    [[ -n $state && $state != Z && $state != X ]] || return 1
    tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"
}

last_error() { grep -hiE 'error|fatal' "$@" 2>/dev/null | tail -1; }

stop_daemons() {
    [[ -f $D/pids ]] || return 0
    local name pid i
    for name in slurmd slurmctld munged; do   # munged last: the others need it to shut down
        pid=$(awk -v n="$name" '$1 == n {print $2}' "$D/pids")
        running "${pid:-x}" "$D/" || continue
        kill -TERM "$pid"
        for i in $(seq 50); do running "$pid" "$D/" || break; sleep 0.1; done
        running "$pid" "$D/" && kill -KILL "$pid"
    done
    rm -f "$D/pids"
}

install_packages() {
    local b need=0
    for b in munged slurmctld slurmd sbatch squeue sinfo scancel; do command -v "$b" >/dev/null || need=1; done
    (( need )) || return 0
    command -v apt-get >/dev/null || fail "slurm-wlm/munge missing and no apt-get"
    local policy=""
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then   # keep the packages from starting system-wide daemons
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && policy=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    local log=$D/log/apt.log
    apt-get install -y -q --no-install-recommends slurm-wlm munge >"$log" 2>&1 \
        || { apt-get update -q >>"$log" 2>&1 && apt-get install -y -q --no-install-recommends slurm-wlm munge >>"$log" 2>&1; }
    local rc=$?
    [[ -n $policy ]] && rm -f /usr/sbin/policy-rc.d
    (( rc == 0 )) || fail "apt-get install slurm-wlm munge failed: $(grep -E '^E:' "$log" | tail -1)"
}

write_config() {
    local host=$1 port=$2 cpus mem topo
    # The node's real topology, so that slurmd does not report a mismatch and drain itself.
    read -r cpus mem topo < <(slurmd -C 2>/dev/null | awk 'NR == 1 {
        for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        printf "%s %s Boards=%s SocketsPerBoard=%s CoresPerSocket=%s ThreadsPerCore=%s\n",
               v["CPUs"], v["RealMemory"], v["Boards"], v["SocketsPerBoard"], v["CoresPerSocket"], v["ThreadsPerCore"] }')
    if [[ -z ${cpus:-} || -z ${mem:-} ]]; then
        cpus=$(nproc); mem=$(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo); topo=""
    fi
    mem=$(( mem > 2048 ? mem - 1024 : mem ))
    cat >"$D/slurm.conf" <<CONF
# .ci/slurm-local.sh: one node, no cgroups, no accounting
ClusterName=ntksharp
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$D/munge/munge.sock
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/run/slurmctld.pid
SlurmdPidFile=$D/run/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
PlugStackConfig=$D/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$D/log/jobcomp.txt
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
MpiDefault=none
ReturnToService=2
MinJobAge=600
MailProg=/bin/true
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus $topo RealMemory=$mem State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
}

wait_for() {  # wait_for SECONDS COMMAND...: poll every 0.2 s until COMMAND succeeds
    local n=$(( $1 * 5 )); shift
    local i
    for i in $(seq "$n"); do "$@" && return 0; sleep 0.2; done
    "$@"
}

munge_ok() { munge -n -S "$D/munge/munge.sock" 2>/dev/null | unmunge -S "$D/munge/munge.sock" >/dev/null 2>&1; }
node_idle() { [[ $(sinfo -h -n "$HOST" -o %T 2>/dev/null) == idle ]]; }

start() {
    [[ $(id -u) -eq 0 ]] || fail "must run as root"
    mkdir -p "$D" || fail "cannot create $D"
    D=$(cd "$D" && pwd -P)
    export SLURM_CONF=$D/slurm.conf
    HOST=$(hostname -s 2>/dev/null || hostname)
    local timeout=${NTKSHARP_SLURM_TIMEOUT:-60} port=${NTKSHARP_SLURM_PORT:-6817} pid
    if [[ -f $D/pids ]]; then   # already started by us: fine if it still answers
        node_idle && [[ -f $D/env ]] && return 0
        stop_daemons
    fi
    mkdir -p "$D/munge" "$D/state" "$D/spool" "$D/log" "$D/run" || fail "cannot create folders in $D"
    install_packages
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && fail "port $port is taken (another slurmctld?); set NTKSHARP_SLURM_PORT"
    chmod 755 "$D" "$D/munge"
    [[ -s $D/munge/munge.key ]] || dd if=/dev/urandom of="$D/munge/munge.key" bs=1024 count=1 status=none || fail "cannot write the munge key"
    chown root:root "$D/munge/munge.key" && chmod 600 "$D/munge/munge.key"
    : >"$D/plugstack.conf"
    write_config "$HOST" "$port"
    : >"$D/pids"

    munged --socket="$D/munge/munge.sock" --key-file="$D/munge/munge.key" --pid-file="$D/munge/munged.pid" \
           --log-file="$D/munge/munged.log" --seed-file="$D/munge/munged.seed" 2>"$D/log/munged.err" \
        || { stop_daemons; fail "munged: $(last_error "$D/log/munged.err" "$D/munge/munged.log")"; }
    echo "munged $(cat "$D/munge/munged.pid" 2>/dev/null)" >>"$D/pids"
    wait_for "$timeout" munge_ok || { stop_daemons; fail "munge credentials do not round-trip: $(last_error "$D/munge/munged.log")"; }

    slurmctld -f "$D/slurm.conf" 2>"$D/log/slurmctld.err" \
        || { stop_daemons; fail "slurmctld: $(last_error "$D/log/slurmctld.err" "$D/log/slurmctld.log")"; }
    wait_for "$timeout" test -s "$D/run/slurmctld.pid"
    pid=$(cat "$D/run/slurmctld.pid" 2>/dev/null); echo "slurmctld ${pid:-?}" >>"$D/pids"
    running "${pid:-x}" "$D/" || { stop_daemons; fail "slurmctld exited: $(last_error "$D/log/slurmctld.log")"; }

    slurmd -f "$D/slurm.conf" -N "$HOST" 2>"$D/log/slurmd.err" \
        || { stop_daemons; fail "slurmd: $(last_error "$D/log/slurmd.err" "$D/log/slurmd.log")"; }
    wait_for "$timeout" test -s "$D/run/slurmd.pid"
    pid=$(cat "$D/run/slurmd.pid" 2>/dev/null); echo "slurmd ${pid:-?}" >>"$D/pids"
    running "${pid:-x}" "$D/" || { stop_daemons; fail "slurmd exited: $(last_error "$D/log/slurmd.log")"; }

    wait_for "$timeout" node_idle \
        || { stop_daemons; fail "node $HOST not idle after ${timeout}s: $(last_error "$D/log/slurmd.log" "$D/log/slurmctld.log")"; }
    echo "export SLURM_CONF=$D/slurm.conf" >"$D/env"
}

stop() {
    [[ -d $D && -f $D/pids ]] || return 0
    D=$(cd "$D" && pwd -P)
    export SLURM_CONF=$D/slurm.conf
    local jobs ctld i
    ctld=$(awk '$1 == "slurmctld" {print $2}' "$D/pids")
    if running "${ctld:-x}" "$D/"; then
        jobs=$(squeue -h -o %i 2>/dev/null)
        if [[ -n $jobs ]]; then
            scancel --quiet $jobs 2>/dev/null
            for i in $(seq 50); do [[ -z $(squeue -h -o %i 2>/dev/null) ]] && break; sleep 0.2; done
        fi
    fi
    stop_daemons
}

D=${2:-}
[[ -n $D ]] || fail "usage: $0 start|stop DIR"
case ${1:-} in
    start) start ;;
    stop) stop ;;
    *) fail "usage: $0 start|stop DIR" ;;
esac
