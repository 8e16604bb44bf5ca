#!/usr/bin/env bash
# Server CPU time per operation: starts a fresh single-member server (real etcd or a vkv jar) on free loopback
# ports, runs one vkv-bench workload against it (optionally a warm-up run of the same workload first, in the same
# server process, so JIT compilation is mostly out of the measured run) and prints the bench's JSON figures, the
# server's CPU µs per op (user+system, from /proc) and the measured run's CPU per thread name.
#
# usage: benchmarks/server-cpu.sh etcd|path/to/vkv.jar LABEL -- vkv-bench args...
# env:   WARMUP=1       run the workload once before the measured run (default 0)
#        BENCH_JAR=...  vkv-bench jar (default benchmarks/target/vkv-bench.jar next to this script)
#        NODE_OPTS=...  extra JVM options for a vkv server (e.g. -XX:StartFlightRecording=...)
#        THREADS=N      how many thread-name rows to print (default 10, 0 = none)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kind=$1; label=$2; shift 2; [ "${1:-}" = "--" ] && shift
bench=${BENCH_JAR:-$here/target/vkv-bench.jar}
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work=$(mktemp -d); c=$(port); p=$(port)
flags="--data-dir $work/d --listen-client-urls http://127.0.0.1:$c --advertise-client-urls http://127.0.0.1:$c
 --listen-peer-urls http://127.0.0.1:$p --initial-advertise-peer-urls http://127.0.0.1:$p
 --initial-cluster default=http://127.0.0.1:$p"
if [ "$kind" = etcd ]; then
  etcd --name default $flags > "$work/log" 2>&1 &
else
  java ${NODE_OPTS:-} -jar "$kind" $flags > "$work/log" 2>&1 &
fi
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 200); do
  ETCDCTL_API=3 etcdctl --endpoints 127.0.0.1:$c endpoint health >/dev/null 2>&1 && break; sleep 0.1
done
ETCDCTL_API=3 etcdctl --endpoints 127.0.0.1:$c put 00000000 seed >/dev/null
[ "${WARMUP:-0}" = 1 ] && java -jar "$bench" --endpoints 127.0.0.1:$c "$@" >/dev/null 2>&1
# per-thread CPU seconds (utime+stime; comm may contain spaces, so read the fields after the last ')')
threads() { for t in /proc/$pid/task/*; do
  s=$(cat "$t/stat" 2>/dev/null) || continue
  f=${s##*) }; set -- $f; echo "$(( ${12} + ${13} )) $(cat "$t/comm" 2>/dev/null | tr ' ' '_')"
done | awk '{a[$2]+=$1} END {for (k in a) print k, a[k]}'; }
io() { awk '/^syscr|^syscw/ {s += $2} END {print s}' /proc/$pid/io; }
total() { s=$(cat /proc/$pid/stat); f=${s##*) }; set -- $f; echo $(( ${12} + ${13} )) ${13}; }
t0=$(threads); read cpu0 sys0 <<< "$(total)"; io0=$(io)
out=$(java -jar "$bench" --endpoints 127.0.0.1:$c "$@" 2>/dev/null)
read cpu1 sys1 <<< "$(total)"; t1=$(threads); io1=$(io)
hz=$(getconf CLK_TCK)
# JIT compiler threads: their CPU is a warm-up cost that varies a lot from run to run
jit() { echo "$1" | awk '/^C[12]_Compiler/ {s += $2} END {print s + 0}'; }
echo "$out" | python3 -c '
import json, sys
d = json.loads(sys.stdin.read()); label, c0, c1, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
figs = {k: d[k] for k in ("ops", "errors", "ops_per_s", "p50_ms", "p99_ms") if k in d}
s0, s1, j0, j1, i0, i1 = (int(a) for a in sys.argv[5:11])
ops = max(1, d["ops"])
print(label, figs, "us_cpu_per_op=%.1f" % ((c1 - c0) * 1e6 / hz / ops),
      "excl_jit=%.1f" % ((c1 - c0 - (j1 - j0)) * 1e6 / hz / ops),
      "system=%.0f%%" % (100.0 * (s1 - s0) / max(1, c1 - c0)), "io_syscalls_per_op=%.2f" % ((i1 - i0) / ops))
' "$label" "$cpu0" "$cpu1" "$hz" "$sys0" "$sys1" "$(jit "$t0")" "$(jit "$t1")" "$io0" "$io1"
if [ "${THREADS:-10}" != 0 ]; then
  python3 -c '
import sys
before = dict((l.split()[0], int(l.split()[1])) for l in sys.argv[1].splitlines() if l.strip())
after = dict((l.split()[0], int(l.split()[1])) for l in sys.argv[2].splitlines() if l.strip())
hz, n = int(sys.argv[3]), int(sys.argv[4])
rows = sorted(((after[k] - before.get(k, 0)) / hz, k) for k in after)
for s, k in reversed(rows[-n:]):
  if s > 0: print("   %7.2f s  %s" % (s, k))' "$t0" "$t1" "$hz" "${THREADS:-10}"
fi
