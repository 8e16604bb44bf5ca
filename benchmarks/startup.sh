#!/usr/bin/env bash
# How fast a fresh member gets going: starts one member with bin/vkv (its JVM, flags and AOT cache; see
# bin/lib/vkv-jvm.sh for the VKV_* variables that change them), times it until etcdctl finds it healthy, then runs
# puts from 64 clients in consecutive windows, so the JIT's warm-up shows as the rate climbing window by window.
#
#   benchmarks/startup.sh [--label NAME] [--windows 3] [--window 5s]
# prints one line: NAME: healthy after N ms; puts/s per window: a b c; RSS M MiB
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
label=vkv windows=3 window=5s
while [ $# -gt 0 ]; do
  case $1 in
    --label) label=$2; shift ;;
    --windows) windows=$2; shift ;;
    --window) window=$2; shift ;;
    *) echo "usage: benchmarks/startup.sh [--label NAME] [--windows N] [--window 5s]" >&2; exit 2 ;;
  esac
  shift
done
bench_jar=${BENCH_JAR:-$root/benchmarks/target/vkv-bench.jar}
work=$(mktemp -d "${TMPDIR:-/tmp}/vkv-startup.XXXXXX")
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
client=$(free_port)
peer=$(free_port)
t0=$(date +%s%N)
"$root/bin/vkv" --name startup --data-dir "$work/data" \
  --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
  --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
  --initial-cluster "startup=http://127.0.0.1:$peer" >"$work/member.log" 2>&1 &
pid=$!
deadline=$(( $(date +%s) + 120 ))
until ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$client" --dial-timeout 1s endpoint health >/dev/null 2>&1; do
  if ! kill -0 "$pid" 2>/dev/null || [ "$(date +%s)" -ge "$deadline" ]; then
    echo "startup.sh: the member did not become healthy; its log:" >&2; tail -n 20 "$work/member.log" >&2; exit 1
  fi
  sleep 0.05
done
t1=$(date +%s%N)
rates=""
for _ in $(seq 1 "$windows"); do
  rates+="$(java -jar "$bench_jar" --endpoints "127.0.0.1:$client" --val-size 256 put --key-space-size 100000 \
    --clients 64 --conns 2 --duration "$window" 2>&1 | awk '/throughput/ {print $2}') "
done
rss=$(awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
echo "$label: healthy after $(( (t1 - t0) / 1000000 )) ms; puts/s per $window window: ${rates% }; RSS $rss MiB"
