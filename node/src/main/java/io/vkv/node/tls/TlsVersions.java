package io.vkv.node.tls;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** etcd 3.5's --tls-min-version / --tls-max-version (TLS1.2, TLS1.3) → the JSSE protocol names to enable. */
public final class TlsVersions {
  private static final List<String> ETCD = List.of("TLS1.2", "TLS1.3");
  private static final List<String> JSSE = List.of("TLSv1.2", "TLSv1.3");

  private TlsVersions() {
  }

  /** {@code max} may be empty (the newest); throws {@link TlsConfigException} for an unknown name or min above max. */
  public static Set<String> protocols(String min, String max) {
    int lo = index("--tls-min-version", min == null || min.isEmpty() ? "TLS1.2" : min);
    int hi = index("--tls-max-version", max == null || max.isEmpty() ? "TLS1.3" : max);
    if (lo > hi) throw new TlsConfigException("--tls-min-version " + min + " is above --tls-max-version " + max);
    return new LinkedHashSet<>(JSSE.subList(lo, hi + 1));
  }

  private static int index(String flag, String v) {
    int i = ETCD.indexOf(v);
    if (i < 0) throw new TlsConfigException(flag + ": unsupported TLS version '" + v + "' (TLS1.2 or TLS1.3)");
    return i;
  }
}
