#!/usr/bin/env bash
# Side-by-side benchmark: the same vkv-bench workloads against real etcd (Debian's etcd-server) and vkv, both
# single-member on loopback, both fsyncing, data dirs on the same disk; the two servers take turns per workload.
# Writes a markdown report (default docs/PERFORMANCE-side-by-side.md) with both figures and the ratio vkv/etcd.
#
#   benchmarks/compare.sh [--quick] [--out FILE]
#
# --quick runs a tenth of the requests (a smoke run). Only loopback addresses are used.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/docs/PERFORMANCE-side-by-side.md"
scale=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) scale=10 ;;
    --out) out="$2"; shift ;;
    *) echo "compare.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

if ! command -v etcd >/dev/null 2>&1; then
  echo "compare.sh: installing etcd-server ..." >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq etcd-server >/dev/null
  $sudo systemctl stop etcd 2>/dev/null || $sudo service etcd stop 2>/dev/null || true
fi
(cd "$root" && mvn -q -B -ntp -DskipTests -pl node,benchmarks -am package) >&2

work=$(mktemp -d "${TMPDIR:-/tmp}/vkv-compare.XXXXXX")
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# start_server etcd|vkv: starts a fresh single member, sets $endpoint and $server_pid
start_server() {
  local kind=$1 client peer dir
  client=$(free_port); peer=$(free_port); dir="$work/$kind-data"
  rm -rf "$dir"
  local flags=(--data-dir "$dir" --listen-client-urls "http://127.0.0.1:$client"
    --advertise-client-urls "http://127.0.0.1:$client" --listen-peer-urls "http://127.0.0.1:$peer"
    --initial-advertise-peer-urls "http://127.0.0.1:$peer" --initial-cluster "default=http://127.0.0.1:$peer")
  if [ "$kind" = etcd ]; then
    etcd --name default "${flags[@]}" >"$work/$kind.log" 2>&1 &
  else
    java -jar "$root/node/target/vkv.jar" "${flags[@]}" >"$work/$kind.log" 2>&1 &
  fi
  server_pid=$!
  endpoint="127.0.0.1:$client"
  for _ in $(seq 1 200); do
    if ETCDCTL_API=3 etcdctl --endpoints "$endpoint" --dial-timeout 1s endpoint health >/dev/null 2>&1; then return; fi
    sleep 0.1
  done
  echo "compare.sh: $kind did not become healthy; log: $work/$kind.log" >&2
  exit 1
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$server_pid/status"; }

# name | vkv-bench arguments (workload first)
matrix=(
  "put, 1 client|put --clients 1 --conns 1 --total $((2000 / scale)) --key-space-size 100000"
  "put, 16 clients|put --clients 16 --conns 1 --total $((20000 / scale)) --key-space-size 100000"
  "put, 256 clients / 16 conns|put --clients 256 --conns 16 --total $((50000 / scale)) --key-space-size 100000"
  "range linearizable, 256 clients|range --consistency l --clients 256 --conns 16 --total $((50000 / scale))"
  "range serializable, 256 clients|range --consistency s --clients 256 --conns 16 --total $((100000 / scale))"
  "txn-put, 64 clients|txn-put --clients 64 --conns 4 --total $((20000 / scale)) --key-space-size 100000"
)

results="$work/results.tsv"
: >"$results"
for entry in "${matrix[@]}"; do
  name=${entry%%|*}; args=${entry#*|}
  for kind in etcd vkv; do
    start_server "$kind"
    # a first key so that range workloads read something
    ETCDCTL_API=3 etcdctl --endpoints "$endpoint" put 00000000 seed >/dev/null
    echo "compare.sh: $kind: $name" >&2
    # shellcheck disable=SC2086
    json=$(java -jar "$root/benchmarks/target/vkv-bench.jar" --endpoints "$endpoint" --key-size 8 --val-size 256 $args)
    printf '%s\t%s\t%s\t%s\n' "$name" "$kind" "$json" "$(rss_kb)" >>"$results"
    stop_server
  done
done

python3 - "$results" "$out" "$scale" <<'EOF'
import json, sys, platform, os, datetime
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
by = {}
for name, kind, js, rss in rows:
    by.setdefault(name, {})[kind] = (json.loads(js), int(rss or 0))
scale = int(sys.argv[3])
lines = [
    "# vkv and etcd side by side",
    "",
    "Written by `benchmarks/compare.sh%s` on %s (%s, %d cores). Single member each, loopback, fsync on,"
    % (" --quick" if scale > 1 else "", datetime.date.today(), platform.platform(), os.cpu_count()),
    "the same vkv-bench client, 8 B keys, 256 B values; each row starts both servers fresh on an empty data dir.",
    "",
    "| workload | etcd ops/s | vkv ops/s | vkv/etcd | etcd p50 / p99 ms | vkv p50 / p99 ms | errors etcd / vkv | RSS etcd / vkv MiB |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
]
for name, kinds in by.items():
    (e, erss), (v, vrss) = kinds["etcd"], kinds["vkv"]
    ratio = v["ops_per_s"] / e["ops_per_s"] if e["ops_per_s"] else float("nan")
    sat = " (client saturated)" if e.get("saturated") or v.get("saturated") else ""
    lines.append("| %s%s | %.0f | %.0f | %.2f× | %.2f / %.2f | %.2f / %.2f | %d / %d | %.0f / %.0f |" % (
        name, sat, e["ops_per_s"], v["ops_per_s"], ratio, e["p50_ms"], e["p99_ms"], v["p50_ms"], v["p99_ms"],
        e["errors"], v["errors"], erss / 1024, vrss / 1024))
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
EOF
