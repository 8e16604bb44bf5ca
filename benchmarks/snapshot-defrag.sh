#!/usr/bin/env bash
# Snapshot save throughput and defragment time at N keys (default 1,000,000), vkv and etcd side by side on one
# member each (issue #15). Usage: benchmarks/snapshot-defrag.sh [KEYS] [VALUE_BYTES]
# Needs node/target/vkv.jar and benchmarks/target/vkv-bench.jar (mvn -DskipTests -pl node,benchmarks -am package),
# etcd and etcdctl on the PATH. Prints one line per measurement; nothing is kept afterwards.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
keys=${1:-1000000}
value_bytes=${2:-256}
vkv_jar="$root/node/target/vkv.jar"
bench_jar="$root/benchmarks/target/vkv-bench.jar"
started=$(date +%s)
# shellcheck source=cluster-lib.sh
source "$root/benchmarks/cluster-lib.sh"
scratch_dir "${TMPDIR:-/tmp}" snapshot-defrag

now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }
ctl() { ETCDCTL_API=3 etcdctl --endpoints "$1" --command-timeout 600s "${@:2}"; }
db_size() { ctl "$1" endpoint status -w json | grep -o '"dbSize":[0-9]*' | cut -d: -f2; }
db_in_use() { ctl "$1" endpoint status -w json | grep -o '"dbSizeInUse":[0-9]*' | cut -d: -f2; }
mib() { python3 -c "print(f'{$1 / 1048576:.1f}')"; }

for kind in vkv etcd; do
  start_cluster "$kind" 1
  ep_var="${kind}_endpoints"; ep=${!ep_var}
  t0=$(now)
  java -jar "$bench_jar" --endpoints "$ep" put --clients 256 --conns 16 --total "$keys" --key-space-size "$keys" \
    --sequential-keys --key-size 16 --val-size "$value_bytes" >"$work/$kind-load.txt"
  t1=$(now)
  log "$kind: loaded $keys keys in $(secs "$t0" "$t1") s; dbSize $(mib "$(db_size "$ep")") MiB"
  for run in 1 2; do
    file="$work/$kind-$run.db"
    t0=$(now); ctl "$ep" snapshot save "$file" >/dev/null; t1=$(now)
    size=$(stat -c %s "$file")
    echo "$kind snapshot save run $run: $(mib "$size") MiB in $(secs "$t0" "$t1") s = $(python3 -c "print(f'{$size / 1048576 / ($t1 - $t0):.1f}')") MiB/s"
    rm -f "$file"
  done
  before=$(db_size "$ep")
  t0=$(now); ctl "$ep" defrag >/dev/null; t1=$(now)
  echo "$kind defrag (fresh load): $(secs "$t0" "$t1") s, dbSize $(mib "$before") -> $(mib "$(db_size "$ep")") MiB"
  # half the keys deleted and compacted away: free pages for the defragment to reclaim
  half=$(printf '%016d' $((keys / 2)))
  ctl "$ep" del 0000000000000000 "$half" >/dev/null
  rev=$(ctl "$ep" endpoint status -w json | grep -o '"revision":[0-9]*' | cut -d: -f2)
  ctl "$ep" compact --physical "$rev" >/dev/null  # --physical: etcd returns only once the compaction is done
  before=$(db_size "$ep"); in_use=$(db_in_use "$ep")
  t0=$(now); ctl "$ep" defrag >/dev/null; t1=$(now)
  echo "$kind defrag (half deleted, compacted): $(secs "$t0" "$t1") s, dbSize $(mib "$before") -> $(mib "$(db_size "$ep")") MiB (in use before: $(mib "$in_use") MiB)"
  stop_cluster "$kind"
done
