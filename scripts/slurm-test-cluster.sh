#!/usr/bin/env bash
# A single-node SLURM cluster on this machine, for remcg's SLURM tests (Debian/Ubuntu: slurm-wlm and munge).
#
#   scripts/slurm-test-cluster.sh [start]   install what is missing, configure, start, wait until the node is idle,
#                                           then prove it with 'srun -n1 hostname' and 'salloc -n2 srun --exact -n1 true'
#   scripts/slurm-test-cluster.sh stop      stop the daemons this script started (by their pid files)
#   scripts/slurm-test-cluster.sh status    print whether the cluster answers
#
# Needs root (or sudo). Safe to run again: a running cluster with the same configuration is left as it is. The
# configuration suits a container: no cgroups (proctrack/linuxproc, task/none), no accounting, this host's own
# CPU count and memory as 'slurmd -C' reports them, cores as consumable resources (srun --exact works). Do not
# use it on a machine that runs a real SLURM cluster: it writes /etc/slurm/slurm.conf.
set -euo pipefail

CONF_DIR=/etc/slurm
CONF="$CONF_DIR/slurm.conf"
STATE=/var/lib/slurm
LOGS=/var/log/slurm
RUN=/run/remcg-slurm
MUNGE_RUN=/run/munge
MUNGE_PID="$MUNGE_RUN/munged.pid"
CTLD_PID="$RUN/slurmctld.pid"
SLURMD_PID="$RUN/slurmd.pid"
WAIT_SECONDS=${REMCG_SLURM_WAIT:-60}

say() { echo "slurm-test-cluster: $*"; }
die() { echo "slurm-test-cluster: $*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "needs root (or sudo)"
    exec sudo -E "$0" "$@"
fi

# true when process $1 is alive and its command line contains $2
running() {
    [ -n "$1" ] && [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q -- "$2"
}

# true when the pid file names a live process whose command line contains $2
alive() {
    [ -s "$1" ] && running "$(cat "$1" 2>/dev/null)" "$2"
}

# ends the process of a pid file (if it is the named program) and waits up to 10 s for the process itself (a daemon
# may remove its pid file long before it has ended)
end() {
    local file=$1 name=$2 pid i
    if alive "$file" "$name"; then
        pid=$(cat "$file")
        kill "$pid" 2>/dev/null || true
        for i in $(seq 1 100); do
            running "$pid" "$name" || break
            sleep 0.1
        done
        if running "$pid" "$name"; then
            say "$name (pid $pid) did not end on SIGTERM within 10 s; sending SIGKILL"
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$file"
}

# the PMIx library SLURM's mpi/pmix plugin loads (libpmix.so, in the -dev package on Debian)
pmix_library() {
    ls /usr/lib/*/pmix*/lib/libpmix.so /usr/lib/*/libpmix.so 2>/dev/null | head -n 1
}

# installs what is missing; true when it installed something (daemons started before must be restarted)
install_packages() {
    local missing=()
    command -v munged >/dev/null 2>&1 || missing+=(munge)
    { command -v slurmctld && command -v slurmd && command -v srun; } >/dev/null 2>&1 || missing+=(slurm-wlm)
    # srun starts Open MPI programs through PMIx
    [ -n "$(pmix_library)" ] || missing+=(libpmix-dev)
    [ ${#missing[@]} -eq 0 ] && return 1
    command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them"
    say "installing ${missing[*]}"
    local log
    log=$(mktemp)
    if ! apt-cache policy "${missing[@]}" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        apt-get update -qq >"$log" 2>&1 || { tail -n 20 "$log" >&2; die "apt-get update failed"; }
    fi
    apt-cache policy "${missing[@]}" | grep -q 'Candidate: (none)' && die "no installable candidate for ${missing[*]} (apt-cache policy)"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >"$log" 2>&1; then
        tail -n 20 "$log" >&2
        die "apt-get install ${missing[*]} failed"
    fi
    rm -f "$log"
    return 0
}

start_munge() {
    if alive "$MUNGE_PID" munged && munge -n </dev/null | unmunge >/dev/null 2>&1; then
        return 0
    fi
    install -d -o munge -g munge -m 0700 /etc/munge
    install -d -o munge -g munge -m 0755 "$MUNGE_RUN"
    install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
    if [ ! -s /etc/munge/munge.key ]; then
        say "creating /etc/munge/munge.key"
        dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    fi
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
    end "$MUNGE_PID" munged
    runuser -u munge -- /usr/sbin/munged --pid-file="$MUNGE_PID" --force
    local i
    for i in $(seq 1 50); do
        munge -n </dev/null | unmunge >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    die "munged does not answer (munge -n | unmunge); see /var/log/munge/munged.log"
}

# the configuration for this host: its name, and CPUs and memory as slurmd itself detects them
write_conf() {
    local host node tmp mpi
    host=$(hostname -s)
    node=$(slurmd -C | head -n 1)
    case "$node" in
        NodeName=*) ;;
        *) die "'slurmd -C' did not describe this node: $node" ;;
    esac
    # Open MPI programs started by srun need a PMI: PMIx when SLURM has the plugin and the library is installed
    mpi=none
    if [ -n "$(ls /usr/lib/*/slurm-wlm/mpi_pmix.so /usr/lib/*/slurm/mpi_pmix.so 2>/dev/null)" ] && [ -n "$(pmix_library)" ]; then
        mpi=pmix
    fi
    tmp=$(mktemp)
    cat >"$tmp" <<EOF
# written by remcg scripts/slurm-test-cluster.sh: a single-node test cluster (no cgroups, no accounting)
ClusterName=remcg-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=$mpi
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
StateSaveLocation=$STATE/slurmctld
SlurmdSpoolDir=$STATE/slurmd
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
MinJobAge=60
$node State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
    if [ -f "$CONF" ] && cmp -s "$tmp" "$CONF"; then
        rm -f "$tmp"
        return 1   # unchanged
    fi
    install -d -m 0755 "$CONF_DIR"
    install -m 0644 "$tmp" "$CONF"
    rm -f "$tmp"
    return 0
}

node_state() {
    sinfo -h -N -o '%t' 2>/dev/null | head -n 1
}

start() {
    local changed=0
    install_packages && changed=1
    start_munge
    install -d -m 0755 "$RUN" "$LOGS" "$STATE" "$STATE/slurmctld" "$STATE/slurmd"
    write_conf && changed=2
    if [ "$changed" -ne 0 ]; then
        [ "$changed" -eq 2 ] && say "wrote $CONF ($(grep '^NodeName' "$CONF" | sed 's/ State=UNKNOWN//'))"
        end "$SLURMD_PID" slurmd
        end "$CTLD_PID" slurmctld
    fi
    local d other
    for d in slurmctld slurmd; do
        other=$(pgrep -x "$d" | grep -v -x -f <(cat "$RUN/$d.pid" 2>/dev/null; echo none) | tr '\n' ' ' || true)
        [ -z "$other" ] || die "$d runs already with pid $other, not started by this script: stop it first (another SLURM on this machine?)"
    done
    if ! alive "$CTLD_PID" slurmctld; then
        say "starting slurmctld"
        /usr/sbin/slurmctld -f "$CONF"
    fi
    if ! alive "$SLURMD_PID" slurmd; then
        say "starting slurmd"
        /usr/sbin/slurmd -f "$CONF"
    fi
    local i state=""
    for i in $(seq 1 $((WAIT_SECONDS * 2))); do
        state=$(node_state || true)
        case "$state" in
            idle|mix|alloc) break ;;
            down*|drain*|drng*|fail*)
                scontrol update NodeName="$(hostname -s)" State=RESUME >/dev/null 2>&1 || true ;;
        esac
        sleep 0.5
    done
    case "$state" in
        idle|mix|alloc) ;;
        *) tail -n 5 "$LOGS/slurmctld.log" "$LOGS/slurmd.log" >&2 || true
           die "the node did not become idle within $WAIT_SECONDS s (sinfo state: '${state:-no answer}')" ;;
    esac
    say "node $(hostname -s) is $state: $(sinfo -h -N -o '%c CPUs, %m MB')"
    local h
    h=$(timeout 60 srun -n1 hostname) || die "'srun -n1 hostname' failed"
    [ "$h" = "$(hostname)" ] || die "'srun -n1 hostname' printed '$h', expected '$(hostname)'"
    timeout 60 salloc -n2 srun --exact -n1 true >/dev/null 2>&1 || die "'salloc -n2 srun --exact -n1 true' failed"
    if [ "$(sed -n 's/^MpiDefault=//p' "$CONF")" = pmix ]; then
        # a PMIx step of two ranks (the way remcg starts LAMMPS under launcher: slurm)
        local ranks
        ranks=$(timeout 60 srun -n2 --exact printenv PMIX_RANK 2>/dev/null | sort | tr '\n' ' ') || true
        [ "$ranks" = "0 1 " ] || die "'srun -n2 printenv PMIX_RANK' printed '$ranks', expected ranks 0 and 1 (mpi/pmix)"
    fi
    say "srun and salloc work"
}

stop() {
    end "$SLURMD_PID" slurmd
    end "$CTLD_PID" slurmctld
    end "$MUNGE_PID" munged
    say "stopped"
}

status() {
    if sinfo -h -N -o '%N %t %c CPUs %m MB' 2>/dev/null | grep .; then
        return 0
    fi
    say "not running"
    return 1
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) die "usage: $0 [start|stop|status]" ;;
esac
