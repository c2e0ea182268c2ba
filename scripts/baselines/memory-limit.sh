#!/usr/bin/env bash
# Runs a command in a fresh memory cgroup limited to MB megabytes, as a machine of that size would
# hold it: the kernel counts the page cache the command reads and writes (the index files it maps
# while merging) against the limit and reclaims it there, and swap is off, so the command fails
# (killed) if what it cannot give back does not fit.
#
#   memory-limit.sh MB CMD...     runs CMD; prints the cgroup's counters to stderr at the end
#   memory-limit.sh --check       exit 0 when this machine can do it (root, cgroup v2 or v1 memory)
#
# Exit status: CMD's; 3 when no memory cgroup can be made here.
set -uo pipefail

v2=/sys/fs/cgroup v1=/sys/fs/cgroup/memory
if [ -f "$v2/cgroup.controllers" ] && grep -qw memory "$v2/cgroup.controllers" && [ -w "$v2" ]; then
  kind=v2 root=$v2
elif [ -f "$v1/memory.limit_in_bytes" ] && [ -w "$v1" ]; then
  kind=v1 root=$v1
else
  [ "${1:-}" = --check ] && exit 3
  echo "memory-limit: no writable memory cgroup here (needs root and cgroup v1 or v2)" >&2
  exit 3
fi
[ "${1:-}" = --check ] && exit 0
mb=$1
shift

cg=$root/hoptac-limit-$$
mkdir "$cg" || exit 3
bytes=$((mb * 1024 * 1024))
if [ $kind = v2 ]; then
  # The memory controller must be enabled for the root's children (it usually is).
  echo +memory > "$root/cgroup.subtree_control" 2>/dev/null || true
  echo $bytes > "$cg/memory.max" && { echo 0 > "$cg/memory.swap.max" 2>/dev/null || true; } || exit 3
else
  echo $bytes > "$cg/memory.limit_in_bytes" || exit 3
  [ -f "$cg/memory.memsw.limit_in_bytes" ] && echo $bytes > "$cg/memory.memsw.limit_in_bytes" 2>/dev/null
fi
# This shell's own cgroup, to come back to before removing the new one.
if [ $kind = v2 ]; then home=$root$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)
else home=$root$(awk -F: '$2 ~ /(^|,)memory(,|$)/ {print $3}' /proc/self/cgroup); fi

echo $$ > "$cg/cgroup.procs"
"$@"
rc=$?
if [ $kind = v2 ]; then
  peak=$(cat "$cg/memory.peak" 2>/dev/null || echo 0)
  echo "memory-limit: ${mb} MB (v2): the cgroup's peak $((peak / 1048576)) MB; events: $(tr '\n' ' ' < "$cg/memory.events")" >&2
else
  echo "memory-limit: ${mb} MB (v1): the cgroup's peak $(($(cat "$cg/memory.max_usage_in_bytes") / 1048576)) MB, $(awk '$1 == "oom_kill" {print $2}' "$cg/memory.oom_control") processes killed for memory" >&2
fi
echo $$ > "$home/cgroup.procs" 2>/dev/null || echo $$ > "$root/cgroup.procs"
rmdir "$cg" 2>/dev/null || true
exit $rc
