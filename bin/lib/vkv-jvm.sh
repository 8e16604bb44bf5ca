# Sourced (not run) by bin/vkv, bin/vkv-train-aot and benchmarks/cluster-lib.sh: the JVM a vkv member runs on and
# its flags, so that users, the AOT training run and the benchmarks all run vkv the same way.
# Why these defaults: docs/PERFORMANCE.md ("The JVM vkv ships with"); how to change them: docs/operations.md#the-jvm.
#
#   VKV_JAVA       the java binary; default: the newest JDK 25 or later found (JAVA_HOME, PATH, /usr/lib/jvm),
#                  else `java` on PATH (JDK 17 or later)
#   VKV_HEAP       the maximum heap (-Xmx), default 1g; the store lives outside the heap (LMDB), see the docs
#   VKV_JAVA_OPTS  more JVM flags, after the defaults; a garbage collector named here replaces the default one
#   VKV_AOT        the AOT cache (JDK 25+) to start from; default: vkv.aot beside the jar when it is newer than the
#                  jar (bin/vkv-train-aot makes it); "off" starts without one
#   VKV_JVM_DEFAULTS "off": none of the flags below, only VKV_JAVA_OPTS (to measure the JVM's own defaults)
#
# vkv_jvm_command JAR sets the array vkv_cmd to the java binary and its flags, ready for `-jar JAR` and the
# member's own flags.

# the feature release of a java binary: from the JDK's `release` file when there is one (no JVM start), else -version
vkv_java_major() {
  local bin home release
  bin=$(readlink -f "$1" 2>/dev/null || echo "$1")
  home=$(dirname "$(dirname "$bin")")
  release="$home/release"
  if [ -f "$release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
  else
    "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
  fi
}

vkv_pick_java() {
  if [ -n "${VKV_JAVA:-}" ]; then
    echo "$VKV_JAVA"
    return
  fi
  local best="" best_major=0 candidate major
  for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java 2>/dev/null || true)" /usr/lib/jvm/*/bin/java; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    major=$(vkv_java_major "$candidate")
    [ -n "$major" ] || continue
    if [ "$major" -gt "$best_major" ]; then
      best=$candidate
      best_major=$major
    fi
  done
  if [ "$best_major" -ge 25 ]; then echo "$best"; else echo java; fi
}

vkv_jvm_command() {
  local jar=$1 java major aot gc="-XX:+UseG1GC"
  java=$(vkv_pick_java)
  if [ "${VKV_JVM_DEFAULTS:-on}" = off ]; then
    # shellcheck disable=SC2206
    vkv_cmd=("$java" ${VKV_JAVA_OPTS:-})
    return
  fi
  major=$(vkv_java_major "$java")
  case " ${VKV_JAVA_OPTS:-} " in *" -XX:+Use"*"GC "*) gc="" ;; esac
  # A small heap that grows on demand and gives memory back, also when idle (a periodic collection every 30 s
  # without one). G1 rather than the serial collector: under a bulk load the serial one lets its old generation
  # fill with promoted garbage up to the limit before it collects (RSS 1.4 GiB against G1's 0.6 GiB, PERFORMANCE.md).
  vkv_cmd=("$java" -Xms32m "-Xmx${VKV_HEAP:-1g}" -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30)
  [ -n "$gc" ] && vkv_cmd+=("$gc" -XX:G1PeriodicGCInterval=30000)
  if [ "${major:-0}" -ge 25 ]; then
    # Chronicle reads and writes memory through sun.misc.Unsafe (JDK 24+ warns without this); compact headers
    # shrink every object by 4 bytes; the native heap is trimmed back every 5 s.
    vkv_cmd+=(--sun-misc-unsafe-memory-access=allow -XX:+UseCompactObjectHeaders -XX:TrimNativeHeapInterval=5000)
    aot=${VKV_AOT:-$(dirname "$jar")/vkv.aot}
    if [ "$aot" != off ] && [ -f "$aot" ] && [ "$aot" -nt "$jar" ]; then
      vkv_cmd+=("-XX:AOTCache=$aot")
    fi
  fi
  # shellcheck disable=SC2206
  [ -n "${VKV_JAVA_OPTS:-}" ] && vkv_cmd+=(${VKV_JAVA_OPTS})
  # glibc gives every thread that allocates its own arena; two are plenty for the few native allocations a member does
  export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
}
