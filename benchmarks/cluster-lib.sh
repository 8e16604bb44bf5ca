# Shared by compare.sh and put-stages.sh (sourced, not run): start and stop local etcd or vkv clusters on loopback.
# The caller sets $vkv_jar and $started (epoch seconds), then calls scratch_dir before starting anything. vkv members
# run on the JVM and flags bin/vkv uses (bin/lib/vkv-jvm.sh: VKV_JAVA, VKV_HEAP, VKV_JAVA_OPTS, VKV_AOT,
# VKV_JVM_DEFAULTS=off for the JVM's own defaults). Plain text unless make_tls_pki ran first: then every cluster
# started here speaks TLS to clients and between members.
# shellcheck source=../bin/lib/vkv-jvm.sh
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib/vkv-jvm.sh"

# scratch_dir PARENT PREFIX: sets $work (a fresh directory) and $pids (processes started here); on exit every one
# of those processes is stopped and the directory removed
scratch_dir() {
  work=$(mktemp -d "$1/$2.XXXXXX")
  pids=()
  trap cleanup EXIT
  trap 'exit 130' INT TERM
}
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}

tls_dir="" ctl_tls=()

# make_tls_pki DIR: a throw-away CA and certificates for 127.0.0.1 in DIR (openssl, as docs/security.md makes them):
# member.crt/.key (server and peer, used by every member of etcd and vkv alike) and client.crt/.key (the tools).
# From then on start_cluster starts members with client and peer mutual TLS (https:// URLs, etcd's flags) and
# sets ${KIND}_endpoints to https:// URLs; sets tls_dir, and ctl_tls to the etcdctl flags that go with it.
make_tls_pki() {
  tls_dir=$1
  mkdir -p "$tls_dir"
  (
    cd "$tls_dir"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.crt \
      -subj "/CN=bench-ca" -days 2
    printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" "extendedKeyUsage=serverAuth,clientAuth" \
      "keyUsage=digitalSignature,keyEncipherment" >ext.cnf
    for name in member client; do
      openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$name.key"
      openssl req -new -key "$name.key" -subj "/CN=bench-$name" -out "$name.csr"
      openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" -days 2 \
        -extfile ext.cnf -out "$name.crt"
    done
  ) >"$tls_dir/openssl.log" 2>&1 || { echo "make_tls_pki: openssl failed:" >&2; cat "$tls_dir/openssl.log" >&2; exit 1; }
  ctl_tls=(--cacert "$tls_dir/ca.crt" --cert "$tls_dir/client.crt" --key "$tls_dir/client.key")
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
log() { echo "$(basename "$0") [$(( $(date +%s) - started ))s]: $*" >&2; }

# start_cluster KIND N: N fresh members of etcd or vkv on loopback (etcd's flags, as in docs/cluster.md);
# sets ${KIND}_endpoints (comma-separated) and ${KIND}_pids
start_cluster() {
  local kind=$1 n=$2 i cluster="" names=() clients=() peers=() member_pids=() eps=""
  local scheme=http ep_scheme="" tls_flags=()
  if [ -n "${tls_dir:-}" ]; then
    scheme=https ep_scheme="https://"
    tls_flags=(--cert-file "$tls_dir/member.crt" --key-file "$tls_dir/member.key"
      --trusted-ca-file "$tls_dir/ca.crt" --client-cert-auth
      --peer-cert-file "$tls_dir/member.crt" --peer-key-file "$tls_dir/member.key"
      --peer-trusted-ca-file "$tls_dir/ca.crt" --peer-client-cert-auth)
  fi
  for i in $(seq 1 "$n"); do
    names+=("$kind$i"); clients+=("$(free_port)"); peers+=("$(free_port)")
    cluster+="${cluster:+,}$kind$i=$scheme://127.0.0.1:${peers[$((i - 1))]}"
  done
  for i in $(seq 0 $((n - 1))); do
    local dir="$work/data/$kind-m$n-$((i + 1))"
    rm -rf "$dir"; mkdir -p "$(dirname "$dir")"
    local flags=(--name "${names[$i]}" --data-dir "$dir"
      --listen-client-urls "$scheme://127.0.0.1:${clients[$i]}" --advertise-client-urls "$scheme://127.0.0.1:${clients[$i]}"
      --listen-peer-urls "$scheme://127.0.0.1:${peers[$i]}" --initial-advertise-peer-urls "$scheme://127.0.0.1:${peers[$i]}"
      --initial-cluster-token "$kind-bench" --initial-cluster-state new --initial-cluster "$cluster" "${tls_flags[@]}")
    if [ "$kind" = etcd ]; then
      etcd "${flags[@]}" >"$work/$kind-m$n-$((i + 1)).log" 2>&1 &
    else
      vkv_jvm_command "$vkv_jar"
      "${vkv_cmd[@]}" -jar "$vkv_jar" "${flags[@]}" >"$work/$kind-m$n-$((i + 1)).log" 2>&1 &
    fi
    pids+=($!); member_pids+=($!)
    eps+="${eps:+,}${ep_scheme}127.0.0.1:${clients[$i]}"
  done
  local deadline=$(( $(date +%s) + 60 ))
  until ETCDCTL_API=3 etcdctl --endpoints "$eps" "${ctl_tls[@]}" --dial-timeout 1s --command-timeout 2s endpoint health \
    >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "$kind ($n members) not healthy within 60 s; logs:"; tail -n 20 "$work/$kind-m$n-"*.log >&2; exit 1
    fi
    sleep 0.2
  done
  printf -v "${kind}_endpoints" '%s' "$eps"
  printf -v "${kind}_pids" '%s' "${member_pids[*]}"
  log "$kind: $n member(s) healthy on $eps${tls_dir:+ (client and peer TLS)}"
}

stop_cluster() {
  local kind=$1 pid var="${1}_pids"
  for pid in ${!var}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${!var}; do wait "$pid" 2>/dev/null || true; done
}

