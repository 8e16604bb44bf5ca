package io.vkv.node.tls;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * etcd's --cipher-suites takes Go's names (crypto/tls); JSSE names most suites the same, a few differently. Go
 * applies the list to TLS 1.2 only and always enables its TLS 1.3 suites; so does vkv.
 */
public final class CipherSuites {
  /** Go name → JSSE name where they differ; every other name Go knows is the same in JSSE. */
  private static final Map<String, String> RENAMED = Map.of(
      "TLS_RSA_WITH_RC4_128_SHA", "SSL_RSA_WITH_RC4_128_SHA",
      "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "SSL_RSA_WITH_3DES_EDE_CBC_SHA",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
  private static final Set<String> SAME = Set.of(
      "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA256",
      "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
      "TLS_ECDHE_RSA_WITH_RC4_128_SHA", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
      "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
  /** Always enabled when TLS 1.3 is, as in Go. */
  static final List<String> TLS13 = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

  private CipherSuites() {
  }

  /**
   * The JSSE names for Go's names; throws {@link TlsConfigException} naming the first unknown suite, or one this JVM
   * cannot use. Empty input: empty output (the JVM's defaults).
   */
  public static List<String> toJsse(List<String> goNames) {
    Set<String> supported;
    try {
      supported = Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
    } catch (NoSuchAlgorithmException e) {
      throw new TlsConfigException("no default SSLContext in this JVM", e);
    }
    Set<String> out = new LinkedHashSet<>();
    for (String raw : goNames) {
      String go = raw.trim();
      if (go.isEmpty()) continue;
      String jsse = RENAMED.getOrDefault(go, SAME.contains(go) || TLS13.contains(go) ? go : null);
      if (jsse == null) throw new TlsConfigException("--cipher-suites: unknown cipher suite '" + go + "' (use Go's names, e.g. "
          + "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)");
      if (!supported.contains(jsse)) {
        throw new TlsConfigException("--cipher-suites: cipher suite '" + go + "' is not supported by this JVM");
      }
      out.add(jsse);
    }
    return new ArrayList<>(out);
  }
}
