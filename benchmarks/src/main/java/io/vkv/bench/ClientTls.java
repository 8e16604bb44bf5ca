package io.vkv.bench;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vkv.client.VkvClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How vkv-bench speaks TLS (etcdctl's flags): the CA the servers' certificates must chain to ({@code caCert}; may
 * be null, and is not consulted, when {@code insecure}), an optional client certificate and key for servers with
 * --client-cert-auth, and whether to skip verifying the servers. Applied alike to the reactive client of the KV
 * workloads and to the raw gRPC connections of the watch and lease workloads.
 */
record ClientTls(Path caCert, Path cert, Path key, boolean insecure) {

  /**
   * The TLS settings the flags ask for, or null for plain text. TLS is on when an endpoint is {@code https://} or a
   * CA or client certificate is given (as etcdctl); throws IllegalArgumentException, naming the flag, when the
   * flags do not fit together or a file cannot be read.
   */
  static ClientTls of(List<String> endpoints, String caCert, String cert, String key, boolean insecure) {
    boolean anyHttps = endpoints.stream().anyMatch(e -> e.startsWith("https://"));
    boolean on = anyHttps || caCert != null || cert != null || key != null;
    if (!on) {
      if (insecure) {
        throw new IllegalArgumentException("--insecure-skip-tls-verify applies to TLS only: give https:// endpoints");
      }
      return null;
    }
    for (String e : endpoints) {
      if (e.startsWith("http://")) {
        throw new IllegalArgumentException("TLS is on (" + (anyHttps ? "an https:// endpoint" : "--cacert/--cert given")
            + ") but endpoint '" + e + "' is http://: use https:// (or host:port) for every endpoint");
      }
    }
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("a client certificate needs both --cert and --key");
    }
    if (caCert == null && !insecure) {
      throw new IllegalArgumentException("TLS needs --cacert FILE, the CA that signed the servers' certificates "
          + "(or --insecure-skip-tls-verify to accept any certificate unchecked)");
    }
    return new ClientTls(readable("--cacert", caCert), readable("--cert", cert), readable("--key", key), insecure);
  }

  private static Path readable(String flag, String file) {
    if (file == null) return null;
    Path p = Path.of(file);
    if (!Files.exists(p)) throw new IllegalArgumentException(flag + ": no such file '" + file + "'");
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new IllegalArgumentException(flag + ": '" + file + "' is not a readable file");
    }
    return p;
  }

  /** The same settings on the reactive client's options. */
  VkvClientOptions applyTo(VkvClientOptions options) {
    options.setInsecureSkipTlsVerify(insecure).setTrustedCaFile(caCert);
    if (cert != null) options.setCertFile(cert).setKeyFile(key);
    return options;
  }

  /** TLS on a raw HTTP/2 client: ALPN picks h2, and the server's certificate must name the host dialled. */
  HttpClientOptions applyTo(HttpClientOptions options) {
    options.setSsl(true).setUseAlpn(true);
    if (insecure) {
      options.setTrustAll(true).setVerifyHost(false);
    } else {
      options.setVerifyHost(true).setTrustOptions(new PemTrustOptions().addCertPath(caCert.toString()));
    }
    if (cert != null) {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()));
    }
    return options;
  }
}
