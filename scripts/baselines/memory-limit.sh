#!/usr/bin/env bash
# Runs a command in a fresh memory cgroup limited to MB megabytes, as a machine of that size would
# hold it: the kernel counts the page cache the command reads and writes (the index files it maps
# while merging) against the limit and reclaims it there, and swap is limited too where the kernel
# accounts it, so the command fails (killed) if what it cannot give back does not fit. Pages
# already cached before the run (the corpus, read by an earlier run) stay charged where they were.
#
#   memory-limit.sh MB CMD...     runs CMD; prints the cgroup's counters to stderr at the end
#   memory-limit.sh --check       exit 0 when this machine can do it (root, cgroup v2 or v1 memory)
#
# Exit status: CMD's; 2 for a bad MB; 3 when no memory cgroup can be made here. Only CMD joins the
# cgroup (this shell stays where it was, to remove the cgroup however CMD ends); on cgroup v1 the
# cgroup is made inside the caller's own, so the caller's limits still hold.
set -uo pipefail

v2=/sys/fs/cgroup v1=/sys/fs/cgroup/memory
if [ -f "$v2/cgroup.controllers" ] && grep -qw memory "$v2/cgroup.controllers"; then
  kind=v2 parent=$v2
elif [ -f "$v1/memory.limit_in_bytes" ]; then
  kind=v1 parent=$v1$(awk -F: '$2 ~ /(^|,)memory(,|$)/ {print $3}' /proc/self/cgroup)
else
  kind=none parent=
fi

cg=
# make_cgroup BYTES: a new cgroup under the parent with the limit set, in $cg; false if it cannot.
make_cgroup() {
  [ "$kind" != none ] && [ -w "$parent" ] || return 1
  cg=$parent/hoptac-limit-$$
  mkdir "$cg" 2>/dev/null || { cg=; return 1; }
  if [ $kind = v2 ]; then
    # The memory controller must be enabled for the parent's children (it usually is).
    echo +memory 2>/dev/null > "$parent/cgroup.subtree_control"
    echo "$1" 2>/dev/null > "$cg/memory.max" || return 1
    swap=limited
    echo 0 2>/dev/null > "$cg/memory.swap.max" || swap="not limited (memory.swap.max not writable)"
  else
    echo "$1" 2>/dev/null > "$cg/memory.limit_in_bytes" || return 1
    swap="not limited (no swap accounting)"
    if [ -f "$cg/memory.memsw.limit_in_bytes" ]; then
      echo "$1" 2>/dev/null > "$cg/memory.memsw.limit_in_bytes" && swap=limited
    fi
  fi
}
remove_cgroup() {
  [ -n "$cg" ] || return 0
  [ $kind = v2 ] && [ -f "$cg/cgroup.kill" ] && echo 1 2>/dev/null > "$cg/cgroup.kill"
  for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$cg" 2>/dev/null && break; sleep 0.2; done
  cg=
}
trap remove_cgroup EXIT

if [ "${1:-}" = --check ]; then
  make_cgroup $((64 * 1024 * 1024)) || exit 3
  exit 0
fi
mb=${1:-}
if ! [[ $mb =~ ^[0-9]+$ ]] || [ "$mb" = 0 ] || [ $# -lt 2 ]; then
  echo "memory-limit: usage: memory-limit.sh MB CMD... (MB a positive number)" >&2
  exit 2
fi
shift
if ! make_cgroup $((mb * 1024 * 1024)); then
  echo "memory-limit: no memory cgroup can be made here (needs root and cgroup v1 or v2)" >&2
  exit 3
fi

# The command joins the cgroup and becomes CMD; a signal to this shell (a time limit, Ctrl-C) is
# passed on to it, and the cgroup is removed once it has ended.
sh -c 'echo $$ > "$1/cgroup.procs" || exit 3; shift; exec "$@"' _ "$cg" "$@" &
child=$!
trap 'kill -TERM $child 2>/dev/null' TERM INT
rc=0
while :; do
  wait $child
  rc=$?
  kill -0 $child 2>/dev/null || break
done
if [ $kind = v2 ]; then
  peak=$(cat "$cg/memory.peak" 2>/dev/null)
  peak=${peak:+$((peak / 1048576)) MB}
  echo "memory-limit: ${mb} MB (v2, swap $swap): the cgroup's peak ${peak:-unknown}; events: $(tr '\n' ' ' < "$cg/memory.events")" >&2
else
  echo "memory-limit: ${mb} MB (v1, swap $swap): the cgroup's peak $(($(cat "$cg/memory.max_usage_in_bytes") / 1048576)) MB, $(awk '$1 == "oom_kill" {print $2}' "$cg/memory.oom_control") processes killed for memory" >&2
fi
exit $rc
