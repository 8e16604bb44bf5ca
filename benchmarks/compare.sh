#!/usr/bin/env bash
# Side by side with real etcd (issue #7): the same vkv-bench matrix against etcd 3.4 (Debian's etcd-server) and vkv,
# on 1 member and on 3 members (three processes each, loopback only), both fsyncing, every data dir on the same
# disk. Per topology both clusters are started fresh and warmed up, then each workload runs against one system and
# then the other, the order alternating from row to row. Then, on fresh single members, the RSS of each server
# after loading 1,000,000 keys (8 B keys, 256 B values). Writes the generated part of docs/PERFORMANCE.md (between
# its compare.sh markers) and one latency-percentile PNG per workload and topology under docs/perf/.
#
#   benchmarks/compare.sh [--quick] [--tls] [--members "1 3"] [--rows put-1,put-16,...] [--doc FILE] [--plots DIR] [--work DIR]
#
# --rows: only these rows of the matrix (ids as in rows() below), and no RSS reading unless "rss" is listed; for
# before/after runs of one path (write the report elsewhere with --doc and --plots).
# --tls: the same rows with TLS on (issue #16): a throw-away CA and certificates for 127.0.0.1 made with openssl under
# the work dir; etcd and vkv both serve clients over TLS and talk to each other over TLS, mutual on both sides
# (etcd's --cert-file/--key-file/--trusted-ca-file/--client-cert-auth and their --peer-* twins), and vkv-bench
# connects with --cacert/--cert/--key to https:// endpoints. The report goes between its own "compare.sh --tls"
# markers in the doc (so the plain-text section stays beside it) and the charts are named tls-m<members>-<row>.png.
# --quick: a smoke run of a few minutes (1 s per measurement, 50,000 keys for the RSS reading); the full run
# takes 10 s per measurement and stays under 20 minutes on a 2-core machine. Jars: $VKV_JAR (node/target/vkv.jar)
# and $BENCH_JAR (benchmarks/target/vkv-bench.jar), built with Maven unless --no-build; vkv runs on bin/vkv's JVM and
# flags (bin/lib/vkv-jvm.sh: VKV_JAVA, VKV_HEAP, VKV_JAVA_OPTS, VKV_AOT, VKV_JVM_DEFAULTS). Installs etcd-server/etcd-client (and python3) with apt-get when missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
doc="$root/docs/PERFORMANCE.md"
plots="$root/docs/perf"
members_list="1 3"
quick=0 build=1 work_parent="${TMPDIR:-/tmp}" only_rows="" tls=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --tls) tls=1 ;;
    --members) members_list=$2; shift ;;
    --rows) only_rows=$2; shift ;;
    --doc) doc=$2; shift ;;
    --plots) plots=$2; shift ;;
    --work) work_parent=$2; shift ;;
    --no-build) build=0 ;;
    *) echo "compare.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
if [ "$quick" = 1 ]; then
  dur=1s warm=1s warm_range=1s watch_puts=500 rss_keys=50000
else
  # 60 s of puts: a JVM spends its first minute under load compiling the put path (C2 took ~50 s of CPU per member,
  # docs/PERFORMANCE.md "Warm-up"); etcd gets the same warm-up
  dur=10s warm=60s warm_range=10s watch_puts=5000 rss_keys=1000000
fi
started=$(date +%s)
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
# the code measured: taken before this run rewrites its own outputs (docs/perf, the report)
commit=$(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?')
(cd "$root" && git diff --quiet HEAD -- . ':!docs/perf' ':!docs/PERFORMANCE.md' 2>/dev/null) || commit+=" (with uncommitted changes)"

missing=()
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || missing+=(etcd-client)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
[ "$tls" = 0 ] || command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "compare.sh: installing ${missing[*]} ..." >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  # Debian starts the packaged etcd service on 2379/2380; this script needs neither it nor those ports
  $sudo systemctl stop etcd 2>/dev/null || $sudo service etcd stop 2>/dev/null || true
fi
vkv_jar=${VKV_JAR:-$root/node/target/vkv.jar}
bench_jar=${BENCH_JAR:-$root/benchmarks/target/vkv-bench.jar}
if [ "$build" = 1 ]; then
  echo "compare.sh: building vkv and vkv-bench ..." >&2
  (cd "$root" && mvn -q -B -ntp -DskipTests -pl node,benchmarks -am package) >&2
fi
bench=(java -jar "$bench_jar")

# scratch_dir, free_port, log, start_cluster KIND N, stop_cluster KIND
. "$root/benchmarks/cluster-lib.sh"
scratch_dir "$work_parent" vkv-compare
# TLS: certificates under the work dir (removed with it), the client's flags, and where the report goes
bench_tls=() report_tls=() plot_prefix=""
if [ "$tls" = 1 ]; then
  make_tls_pki "$work/pki"
  bench_tls=("${ctl_tls[@]}")
  report_tls=(--tls)
  plot_prefix="tls-"
  log "TLS on: certificates in $tls_dir; members serve clients and peers over mutual TLS"
fi

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# measure DIR KIND ENDPOINTS ARGS...: one vkv-bench run; never stops the script (a failed run is a result too)
measure() {
  local dir=$1 kind=$2 eps=$3; shift 3
  mkdir -p "$dir"
  local rc=0
  "${bench[@]}" "${bench_tls[@]}" --endpoints "$eps" --key-size 8 --val-size 256 --hdr-out "$dir/$kind.hdr" "$@" \
    >"$dir/$kind.json" 2>"$dir/$kind.err" || rc=$?
  echo "$rc" >"$dir/$kind.rc"
  log "  $kind: $(head -c 300 "$dir/$kind.json" | tr -d '\n') (exit $rc)"
}

conns_for() { echo $(( ($1 + members - 1) / members )); } # a total number of connections, per endpoint

# id|title|arguments (after the common --endpoints --key-size 8 --val-size 256 --hdr-out)
rows() {
  cat <<EOF
put-1|put, 1 client|put --clients 1 --conns 1 --key-space-size 100000 --duration $dur
put-16|put, 16 clients|put --clients 16 --conns 1 --key-space-size 100000 --duration $dur
put-256|put, 256 clients over 16 connections|put --clients 256 --conns $(conns_for 16) --key-space-size 100000 --duration $dur
range-l|range linearizable, 256 clients|range --consistency l --clients 256 --conns $(conns_for 16) --duration $dur
range-s|range serializable, 256 clients|range --consistency s --clients 256 --conns $(conns_for 16) --duration $dur
txn-put|txn-put, 64 clients|txn-put --clients 64 --conns $(conns_for 4) --key-space-size 100000 --duration $dur
txn-read|txn of one range (read-only), 256 clients over 16 connections|txn-mixed --rw-ratio 1000000000 --clients 256 --conns $(conns_for 16) --key-space-size 100000 --duration $dur
watch|watch, 1,000 watchers on 100 streams|watch --watchers 1000 --streams 100 --watched-keys 10 --puts $watch_puts --put-clients 16 --conns $(conns_for 4) --timeout 120s
lease|lease-keepalive, 64 clients|lease-keepalive --clients 64 --conns $(conns_for 4) --duration $dur
EOF
}

# the rows of the matrix this run measures (all, or those --rows names)
selected_rows() {
  if [ -z "$only_rows" ]; then rows; return; fi
  rows | while IFS='|' read -r id rest; do
    case ",$only_rows," in *",$id,"*) echo "$id|$rest" ;; esac
  done
}
wants_rss() { [ -z "$only_rows" ] || case ",$only_rows," in *",rss,"*) true ;; *) false ;; esac; }

results="$work/results"
mkdir -p "$results" "$plots"
manifest="$results/manifest.tsv"
: >"$manifest"
row_no=0
for members in $members_list; do
  log "== $members member(s)"
  start_cluster etcd "$members"
  start_cluster vkv "$members"
  for kind in etcd vkv; do
    var="${kind}_endpoints"
    log "warm-up $kind ($warm of puts from 64 clients, then $warm_range of serializable ranges; not recorded)"
    "${bench[@]}" "${bench_tls[@]}" --endpoints "${!var}" --key-size 8 --val-size 256 put --sequential-keys --key-space-size 100000 \
      --clients 64 --conns 2 --duration "$warm" >/dev/null 2>&1 || log "warm-up put on $kind failed"
    "${bench[@]}" "${bench_tls[@]}" --endpoints "${!var}" range --consistency s --clients 16 --conns 2 --duration "$warm_range" \
      >/dev/null 2>&1 || log "warm-up range on $kind failed"
  done
  while IFS='|' read -r id title args; do
    row_no=$((row_no + 1))
    order="etcd vkv"; [ $((row_no % 2)) -eq 0 ] && order="vkv etcd"
    dir="$results/m$members/$id"
    log "$title ($members member(s)): $order"
    printf '%s\t%s\t%s\t%s\t%s\n' "$members" "$id" "$title" "$args" "$order" >>"$manifest"
    for kind in $order; do
      var="${kind}_endpoints"
      # shellcheck disable=SC2086
      measure "$dir" "$kind" "${!var}" $args
    done
    hdrs=()
    for kind in etcd vkv; do
      if grep -q '"ops":[1-9]' "$dir/$kind.json" 2>/dev/null; then hdrs+=("$dir/$kind.hdr"); fi
    done
    if [ "${#hdrs[@]}" -gt 0 ]; then
      "${bench[@]}" plot --title "$title, $members member(s)${tls_dir:+, TLS}" --out "$plots/${plot_prefix}m$members-$id.png" \
        "${hdrs[@]}" 2>/dev/null \
        || log "plot of $id failed"
    fi
  done < <(selected_rows)
  for kind in etcd vkv; do
    var="${kind}_pids"
    rss=""; for pid in ${!var}; do rss+="${rss:+ }$(rss_kb "$pid")"; done
    echo "$rss" >"$results/m$members/$kind.rss-after-matrix"
  done
  stop_cluster etcd
  stop_cluster vkv
done

# RSS after loading keys: fresh single members, one system at a time; 100 puts per txn keeps the load short
rss_dir="$results/rss"
mkdir -p "$rss_dir"
wants_rss && for kind in etcd vkv; do
  members=1
  start_cluster "$kind" 1
  var="${kind}_endpoints"; pvar="${kind}_pids"; pid=${!pvar}
  sleep 2 # a fixed settling pause before the idle reading, not a wait for a condition
  rss_kb "$pid" >"$rss_dir/$kind.idle"
  log "load $rss_keys keys into $kind"
  measure "$rss_dir" "$kind" "${!var}" txn-put --txn-ops 100 --key-space-size "$rss_keys" --total $((rss_keys / 100)) \
    --clients 32 --conns 4
  sleep 2
  rss_kb "$pid" >"$rss_dir/$kind.loaded"
  # the response's count is every key in the range, whatever the limit (etcdctl 3.4 has no --count-only)
  ETCDCTL_API=3 etcdctl --endpoints "${!var}" "${ctl_tls[@]}" --command-timeout 60s get "" --prefix --keys-only --limit 1 -w json \
    >"$rss_dir/$kind.count" 2>&1 || true
  stop_cluster "$kind"
done

elapsed=$(( $(date +%s) - started ))
facts="$results/facts.txt"
{
  echo "date|$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit|$commit"
  echo "cpus|$(nproc)"
  echo "memory|$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "kernel|$(uname -sr)"
  echo "os|$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
  echo "java|$(java -version 2>&1 | head -1)"
  echo "vkv's JVM|$(vkv_jvm_command "$vkv_jar"; "${vkv_cmd[0]}" -version 2>&1 | head -1), flags: ${vkv_cmd[*]:1}"
  echo "etcd|$(etcd --version | head -1)"
  echo "data dirs|$(df -T "$work" | awk 'NR==2 {print $2 " on " $1}') ($work)"
  echo "load average at the start|$load_at_start"
  echo "load average at the end|$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "elapsed|${elapsed} s"
  echo "mode|$([ "$quick" = 1 ] && echo "--quick" || echo "full")"
  if [ "$tls" = 1 ]; then
    echo "TLS|on: client and peer mutual TLS, ECDSA P-256 certificates; $(openssl version)"
  fi
} >"$facts"

python3 "$root/benchmarks/compare_report.py" --results "$results" --doc "$doc" --plots "$plots" \
  --rss-keys "$rss_keys" --duration "$dur" --warm "$warm" --warm-range "$warm_range" "${report_tls[@]}"
log "done in ${elapsed} s; wrote $doc and $plots/"
