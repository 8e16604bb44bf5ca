#!/usr/bin/env bash
# Members' CPU per put on a cluster (issue #13): starts a fresh cluster of etcd or vkv on loopback (benchmarks/
# cluster-lib.sh: the flags, JVM and AOT cache bin/vkv uses), warms it up with puts until the JIT has settled, then
# measures one put run and prints its rate, its p50, the client's CPU and the members' CPU per put (user+system of
# every member process, from /proc, and each apart: on loopback the kernel's share is large). On this 2-core
# machine the members and the client share the cores, so with enough clients the put rate is bound by the CPU a
# put costs; this is the figure to bring down.
#
#   benchmarks/cluster-cpu.sh etcd|vkv [--members 3] [--clients 256] [--conns 6] [--warmup 90s] [--duration 20s]
#
# --conns is per endpoint. The warm-up (64 clients) is long because a JVM's compiler keeps busy for about a minute
# under load (docs/PERFORMANCE.md, section 9). Jars: $VKV_JAR (node/target/vkv.jar), $BENCH_JAR
# (benchmarks/target/vkv-bench.jar); build them first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kind=${1:?etcd or vkv}; shift
members=3 clients=256 conns=6 warmup=90s duration=20s
while [ $# -gt 0 ]; do
  case "$1" in
    --members) members=$2; shift ;;
    --clients) clients=$2; shift ;;
    --conns) conns=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --duration) duration=$2; shift ;;
    *) echo "cluster-cpu.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
case "$kind" in etcd|vkv) ;; *) echo "cluster-cpu.sh: the first argument is etcd or vkv" >&2; exit 2 ;; esac
vkv_jar=${VKV_JAR:-$root/node/target/vkv.jar}
bench_jar=${BENCH_JAR:-$root/benchmarks/target/vkv-bench.jar}
started=$(date +%s)
. "$root/benchmarks/cluster-lib.sh"
scratch_dir "${TMPDIR:-/tmp}" "cluster-cpu-$kind"

start_cluster "$kind" "$members"
endpoints_var="${kind}_endpoints" pids_var="${kind}_pids"
bench=(java -jar "$bench_jar" --endpoints "${!endpoints_var}" --key-size 8 --val-size 256)
log "warm-up: $warmup of puts from 64 clients"
"${bench[@]}" put --clients 64 --conns 2 --duration "$warmup" --key-space-size 100000 >/dev/null 2>&1
# user and system ticks of all members, "U S" (fields 14 and 15 of /proc/PID/stat)
cpu_ticks() { for p in ${!pids_var}; do awk '{print $14, $15}' "/proc/$p/stat"; done | awk '{u += $1; s += $2} END {print u, s}'; }
read -r user_before sys_before <<<"$(cpu_ticks)"
"${bench[@]}" put --clients "$clients" --conns "$conns" --duration "$duration" --key-space-size 100000 \
  >"$work/run.json" 2>"$work/run.err"
read -r user_after sys_after <<<"$(cpu_ticks)"
tick_ms=$((1000 / $(getconf CLK_TCK)))
python3 - "$work/run.json" "$(( (user_after - user_before) * tick_ms ))" "$(( (sys_after - sys_before) * tick_ms ))" \
  "$kind" "$members" "$clients" <<'EOF'
import json, sys
run = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
user_ms, sys_ms, kind, members, clients = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
per_put = lambda ms: ms * 1000 / max(run['ops'], 1)
print(f"{kind}, {members} member(s), put from {clients} clients: {run['ops']:,} puts, {run['ops_per_s']:,.0f}/s, "
      f"p50 {run['p50_ms']:.1f} ms, p99 {run['p99_ms']:.1f} ms, client CPU {run['client_cpu']:.2f} cores; "
      f"members' CPU {user_ms + sys_ms:,} ms = {per_put(user_ms + sys_ms):,.0f} µs per put "
      f"(user {per_put(user_ms):,.0f}, system {per_put(sys_ms):,.0f})")
EOF
