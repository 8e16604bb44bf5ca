#!/bin/bash
# usage: benchmarks/auth-cost.sh   (needs etcd, etcdctl, built vkv.jar and vkv-bench.jar; port 45379/45380 free)
# put throughput with auth off and on, vkv and etcd 3.4, one member each, fresh data dir per (system, mode, round)
set -u
here=$(cd "$(dirname "$0")" && pwd)
BENCH=${BENCH_JAR:-$here/target/vkv-bench.jar}
VKV=${VKV_JAR:-$here/../node/target/vkv.jar}
E="etcdctl --endpoints=127.0.0.1:45379"
for round in 1 2; do
 for sys in vkv etcd; do
  for mode in off on; do
    d=$(mktemp -d)
    flags="--data-dir $d/data --listen-client-urls http://127.0.0.1:45379 --advertise-client-urls http://127.0.0.1:45379 --listen-peer-urls http://127.0.0.1:45380 --initial-advertise-peer-urls http://127.0.0.1:45380 --initial-cluster default=http://127.0.0.1:45380"
    if [ $sys = vkv ]; then java -jar $VKV $flags > $d/log 2>&1 & else etcd $flags > $d/log 2>&1 & fi
    pid=$!
    for i in $(seq 100); do curl -s -m 1 127.0.0.1:45379/health | grep -q true && break; sleep 0.1; done
    user=""
    if [ $mode = on ]; then
      $E user add root:rootpw >/dev/null 2>&1; $E user add bench:pw >/dev/null 2>&1; $E role add rw >/dev/null 2>&1
      $E role grant-permission rw readwrite 0 --from-key >/dev/null 2>&1; $E user grant-role bench rw >/dev/null 2>&1
      $E auth enable >/dev/null 2>&1; user="--user bench:pw"
    fi
    java -jar $BENCH --endpoints 127.0.0.1:45379 put $user --clients 64 --conns 8 --duration 10s >/dev/null 2>&1
    for c in 16 256; do
      r=$(java -jar $BENCH --endpoints 127.0.0.1:45379 put $user --clients $c --conns $([ $c -gt 16 ] && echo 16 || echo $c) --duration 10s 2>/dev/null)
      echo "$round $sys auth=$mode c=$c $(echo $r | python3 -c 'import sys,json; j=json.loads(sys.stdin.read()); print(round(j["ops_per_s"]), j["errors"], j.get("p50_ms"), j.get("p99_ms"))')"
    done
    kill $pid; wait $pid 2>/dev/null; rm -rf $d
  done
 done
done
