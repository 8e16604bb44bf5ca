#!/usr/bin/env bash
# Where a put's time goes (issue #13): starts a fresh vkv cluster on loopback, warms it up, then for each client
# count runs `vkv-bench put` and prints the write path's per-stage histograms (leader and one follower) as the
# difference of two /metrics scrapes taken just before and just after the run (benchmarks/stage_report.py).
#
#   benchmarks/put-stages.sh [--members 3] [--clients "1 16 256"] [--duration 10s] [--warmup 30s] [--no-build]
#
# The warm-up (puts from 64 clients, not recorded) lets the JIT compile the put path first: without it the first
# minute of a JVM's life measures the compiler, not the server (docs/PERFORMANCE.md, "Warm-up").
# Jars: $VKV_JAR (node/target/vkv.jar) and $BENCH_JAR (benchmarks/target/vkv-bench.jar); vkv runs on bin/vkv's JVM
# and flags (bin/lib/vkv-jvm.sh: VKV_JAVA, VKV_HEAP, VKV_JAVA_OPTS, VKV_AOT, VKV_JVM_DEFAULTS). The report goes to stdout, progress to stderr.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
members=3 clients_list="1 16 256" dur=10s warm=30s build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --members) members=$2; shift ;;
    --clients) clients_list=$2; shift ;;
    --duration) dur=$2; shift ;;
    --warmup) warm=$2; shift ;;
    --no-build) build=0 ;;
    *) echo "put-stages.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
vkv_jar=${VKV_JAR:-$root/node/target/vkv.jar}
bench_jar=${BENCH_JAR:-$root/benchmarks/target/vkv-bench.jar}
if [ "$build" = 1 ]; then
  (cd "$root" && mvn -q -B -ntp -DskipTests -pl node,benchmarks -am package) >&2
fi
bench=(java -jar "$bench_jar")
started=$(date +%s)
. "$root/benchmarks/cluster-lib.sh"
scratch_dir "${TMPDIR:-/tmp}" vkv-stages

start_cluster vkv "$members"
# the leader's and one follower's client URL, from etcd's endpoint status
status=$(ETCDCTL_API=3 etcdctl --endpoints "$vkv_endpoints" endpoint status -w json)
read -r leader follower < <(python3 -c '
import json, sys
st = json.loads(sys.argv[1])
lead = [s["Endpoint"] for s in st if s["Status"]["leader"] == s["Status"]["header"]["member_id"]]
rest = [s["Endpoint"] for s in st if s["Endpoint"] not in lead]
print(lead[0], rest[0] if rest else "-")' "$status")
log "leader at $leader, follower at $follower"
"${bench[@]}" --endpoints "$vkv_endpoints" --key-size 8 --val-size 256 put --sequential-keys --key-space-size 100000 \
  --clients 64 --conns 2 --duration "$warm" >/dev/null 2>&1 || log "warm-up failed"

commit=$(cd "$root" && git rev-parse --short HEAD)
(cd "$root" && git diff --quiet HEAD -- . ':!docs' 2>/dev/null) || commit+=" (with uncommitted changes)"
echo "# put stages: $members member(s), $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $(vkv_jvm_command "$vkv_jar"; echo "${vkv_cmd[*]}")"
echo
# CPU ticks (user + system, all threads) of every member, from /proc
cpu_ticks() { local t=0 pid; for pid in $vkv_pids; do t=$(( t + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}') )); done; echo "$t"; }
hz=$(getconf CLK_TCK)
# resident memory of every member (VmRSS)
rss_mib() { local pid; for pid in $vkv_pids; do awk '/^VmRSS/ {printf "%d ", $2 / 1024}' "/proc/$pid/status"; done; }
for c in $clients_list; do
  conns=$(( c < 16 ? 1 : 16 ))
  conns=$(( (conns + members - 1) / members ))
  for who in leader follower; do
    [ "${!who}" = - ] || curl -s "http://${!who}/metrics" >"$work/$who.before"
  done
  ticks_before=$(cpu_ticks)
  out=$("${bench[@]}" --endpoints "$vkv_endpoints" --key-size 8 --val-size 256 put --clients "$c" --conns "$conns" \
    --key-space-size 100000 --duration "$dur")
  ticks_after=$(cpu_ticks)
  for who in leader follower; do
    [ "${!who}" = - ] || curl -s "http://${!who}/metrics" >"$work/$who.after"
  done
  echo "## put, $c client(s) (--conns $conns per endpoint, $dur)"
  echo
  echo '```'
  echo "$out" | python3 -c 'import json,sys; r=json.load(sys.stdin); cpu = int(sys.argv[1]) / int(sys.argv[2])
print("ops/s %.0f  p50 %.2f ms  p99 %.2f ms  errors %d  members CPU %.2f s = %.0f us per put" % (r["ops_per_s"],
      r["p50_ms"], r["p99_ms"], r["errors"], cpu, cpu * 1e6 / max(1, r["ops"])))' "$((ticks_after - ticks_before))" "$hz" \
    2>/dev/null || echo "$out"
  echo "members RSS after the run: $(rss_mib) MiB"
  echo '```'
  echo
  for who in leader follower; do
    [ "${!who}" = - ] && continue
    python3 "$root/benchmarks/stage_report.py" --before "$work/$who.before" --after "$work/$who.after" --title "### $who"
    echo
  done
done
