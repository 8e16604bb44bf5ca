#!/usr/bin/env bash
# Watch fan-out, side by side (issue #5): the same `vkv-bench watch` run against a fresh single-member vkv and a
# fresh single-member etcd 3.4 (Debian's etcd-server), alternating, loopback only. For each run it records the JSON
# line and the server's RSS (/proc/PID/status VmRSS) three times: idle with 0 watchers, with every watcher created
# (during --idle-after-create, before the first put) and at the end. Prints a markdown table on stdout.
#
#   benchmarks/watch-compare.sh [--watchers N] [--streams N] [--watched-keys N] [--puts N] [--put-clients N]
#                               [--conns N] [--rounds N] [--quick]
#
# Defaults are issue #5's size: 100,000 watchers over 1,000 streams, 10,000 puts on 1,000 watched keys
# (100 watchers per key: 1,000,000 events), 2 rounds. --quick: 10,000 watchers over 100 streams, 1,000 puts, 1 round.
# Jars: $VKV_JAR (default node/target/vkv.jar) and $BENCH_JAR (default benchmarks/target/vkv-bench.jar); built with
# Maven when missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
watchers=100000 streams=1000 keys=1000 puts=10000 put_clients=16 conns=4 rounds=2
while [ $# -gt 0 ]; do
  case "$1" in
    --watchers) watchers=$2; shift ;;
    --streams) streams=$2; shift ;;
    --watched-keys) keys=$2; shift ;;
    --puts) puts=$2; shift ;;
    --put-clients) put_clients=$2; shift ;;
    --conns) conns=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --quick) watchers=10000 streams=100 puts=1000 rounds=1 ;;
    *) echo "watch-compare.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

if ! command -v etcd >/dev/null 2>&1; then
  echo "watch-compare.sh: installing etcd-server ..." >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq etcd-server etcd-client >/dev/null
  $sudo systemctl stop etcd 2>/dev/null || $sudo service etcd stop 2>/dev/null || true
fi
vkv_jar=${VKV_JAR:-$root/node/target/vkv.jar}
bench_jar=${BENCH_JAR:-$root/benchmarks/target/vkv-bench.jar}
if [ ! -f "$vkv_jar" ] || [ ! -f "$bench_jar" ]; then
  (cd "$root" && mvn -q -B -ntp -DskipTests -pl node,benchmarks -am package) >&2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/vkv-watch-compare.XXXXXX")
server_pid="" bench_pid=""
cleanup() {
  [ -n "$bench_pid" ] && kill "$bench_pid" 2>/dev/null && wait "$bench_pid" 2>/dev/null
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$server_pid/status"; }

# start_server etcd|vkv: a fresh single member on an empty data dir; sets $endpoint and $server_pid
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
    java -jar "$vkv_jar" "${flags[@]}" >"$work/$kind.log" 2>&1 &
  fi
  server_pid=$!
  endpoint="127.0.0.1:$client"
  for _ in $(seq 1 300); do
    if ETCDCTL_API=3 etcdctl --endpoints "$endpoint" --dial-timeout 1s endpoint health >/dev/null 2>&1; then return; fi
    sleep 0.1
  done
  echo "watch-compare.sh: $kind did not become healthy; log:" >&2
  cat "$work/$kind.log" >&2
  exit 1
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

bench_args=(watch --watchers "$watchers" --streams "$streams" --watched-keys "$keys" --puts "$puts"
  --put-clients "$put_clients" --conns "$conns" --val-size 64 --timeout 300s --idle-after-create 5s)
results="$work/results.tsv"
: >"$results"
for round in $(seq 1 "$rounds"); do
  # alternate which server goes first, so that drift on a shared machine does not favour one of them
  order="etcd vkv"; [ $((round % 2)) -eq 0 ] && order="vkv etcd"
  for kind in $order; do
    start_server "$kind"
    sleep 2 # let the fresh server settle before the idle reading (a fixed pause, not a wait for a condition)
    rss_idle=$(rss_kb)
    echo "watch-compare.sh: round $round, $kind ($endpoint), idle RSS ${rss_idle} kB" >&2
    java -jar "$bench_jar" --endpoints "$endpoint" "${bench_args[@]}" >"$work/out.json" 2>"$work/bench.err" &
    bench_pid=$!
    # sample the RSS once every watcher is created: the bench then idles 5 s before its first put
    rss_created=""
    while kill -0 "$bench_pid" 2>/dev/null; do
      if grep -q 'watchers created' "$work/bench.err"; then sleep 1; rss_created=$(rss_kb); break; fi
      sleep 0.1
    done
    wait "$bench_pid" || { echo "watch-compare.sh: vkv-bench failed:" >&2; cat "$work/bench.err" >&2; }
    bench_pid=""
    rss_end=$(rss_kb)
    grep -v '^$' "$work/bench.err" | tail -8 >&2
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$kind" "$(cat "$work/out.json")" "$rss_idle" "${rss_created:-0}" \
      "$rss_end" >>"$results"
    stop_server
  done
done

python3 - "$results" <<'EOF'
import json, sys, statistics
rows = []
for line in open(sys.argv[1]):
    if not line.strip():
        continue
    rnd, kind, js, idle, created, end = line.rstrip("\n").split("\t")
    j = json.loads(js) if js.strip() else {}
    rows.append((int(rnd), kind, j, int(idle), int(created), int(end)))
if not rows:
    sys.exit("no results")
j0 = rows[0][2]
print("%d watchers over %d streams (%d connections), %d watched keys, %d puts, %d events expected per run" % (
    j0.get("watchers", 0), j0.get("streams", 0), j0.get("connections", 0), j0.get("watched_keys", 0),
    j0.get("puts", 0), j0.get("events_expected", 0)))
print()
print("| round | server | events/s | put-to-event p50 / p99 / max ms | events / expected | create s | "
      "RSS idle / created / end MiB | bytes per idle watcher | client cpu | saturated |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
per = {}
for rnd, kind, j, idle, created, end in rows:
    w = j.get("watchers") or 1
    bpw = (created - idle) * 1024 / w
    per.setdefault(kind, []).append((j.get("events_per_s", 0), j.get("p50_ms", 0), j.get("p99_ms", 0), bpw, end))
    print("| %d | %s | %.0f | %.1f / %.1f / %.0f | %d / %d | %.2f | %.0f / %.0f / %.0f | %.0f | %.2f | %s |" % (
        rnd, kind, j.get("events_per_s", 0), j.get("p50_ms", 0), j.get("p99_ms", 0), j.get("max_ms", 0),
        j.get("ops", 0), j.get("events_expected", 0), j.get("create_s", 0), idle / 1024, created / 1024, end / 1024,
        bpw, j.get("client_cpu", 0), str(j.get("saturated")).lower()))
if "etcd" in per and "vkv" in per:
    med = {k: [statistics.median(x[i] for x in v) for i in range(5)] for k, v in per.items()}
    e, v = med["etcd"], med["vkv"]
    print()
    print("| median over rounds | etcd | vkv | vkv / etcd |")
    print("| --- | --- | --- | --- |")
    for name, i, fmt in (("events/s", 0, "%.0f"), ("put-to-event p50 ms", 1, "%.1f"), ("put-to-event p99 ms", 2, "%.1f"),
                         ("bytes per idle watcher", 3, "%.0f"), ("RSS at end MiB", 4, None)):
        ev, vv = e[i], v[i]
        if fmt is None:
            ev, vv, fmt = ev / 1024, vv / 1024, "%.0f"
        print("| %s | %s | %s | %s |" % (name, fmt % ev, fmt % vv, "%.2f×" % (vv / ev) if ev else "n/a"))
EOF
