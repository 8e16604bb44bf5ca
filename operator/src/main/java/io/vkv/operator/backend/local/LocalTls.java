package io.vkv.operator.backend.local;

import io.vkv.operator.cluster.ClusterAccess;
import io.vkv.operator.spec.ClusterSpec;
import io.vkv.operator.tls.ClusterCa;
import io.vkv.operator.tls.MemberTlsFlags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code spec.tls} on one host: which member flags each side gets, and how the operator dials the members. A secret
 * is a directory holding {@code tls.crt}, {@code tls.key} and {@code ca.crt}; with {@code autoTls} a side without one
 * uses a certificate per member ({@code <member>/tls/member.crt}) signed by the cluster's CA in
 * {@code <dataRoot>/tls/} (made on first use; see {@link ClusterCa}).
 */
public final class LocalTls {
  private static final List<String> HOSTS = List.of("127.0.0.1", "localhost");

  private final ClusterSpec.TlsSpec spec;
  private final Path specDir;
  private final Path caDir;
  private final String clusterName;

  LocalTls(ClusterSpec.TlsSpec spec, Path specDir, Path dataRoot, String clusterName) {
    this.spec = spec;
    this.specDir = specDir;
    this.caDir = dataRoot.resolve("tls");
    this.clusterName = clusterName;
  }

  static LocalTls none() {
    return new LocalTls(null, Path.of("."), Path.of("."), "");
  }

  public boolean clientTls() {
    return spec != null && spec.clientTls();
  }

  public boolean peerTls() {
    return spec != null && spec.peerTls();
  }

  /** The cluster CA's certificate (autoTls), for users' {@code --cacert}. */
  public Path caCertFile() {
    return caDir.resolve("ca.crt");
  }

  /** The TLS flags of the member whose directory is {@code memberDir}; issues its certificate first when needed. */
  List<String> memberFlags(Path memberDir) throws IOException {
    MemberTlsFlags.Side client = clientTls() ? side(spec.clientSecret(), memberDir) : null;
    MemberTlsFlags.Side peer = peerTls() ? side(spec.peerSecret(), memberDir) : null;
    return MemberTlsFlags.of(client, spec != null && spec.requireClientCerts(), peer);
  }

  /**
   * How the operator dials the client port: trusting the client side's CA, with a client certificate when members
   * require one (the client secret's own pair, or one the cluster CA issues to CN {@code vkv-operator}).
   */
  ClusterAccess access(String user, String password) throws IOException {
    if (!clientTls()) return new ClusterAccess(null, null, null, user, password);
    if (spec.clientSecret() != null) {
      Path dir = secret(spec.clientSecret());
      return spec.requireClientCerts()
          ? new ClusterAccess(dir.resolve("ca.crt"), dir.resolve("tls.crt"), dir.resolve("tls.key"), user, password)
          : new ClusterAccess(dir.resolve("ca.crt"), null, null, user, password);
    }
    ClusterCa ca = ClusterCa.ensure(caDir, clusterName);
    if (!spec.requireClientCerts()) return new ClusterAccess(ca.certFile(), null, null, user, password);
    ClusterCa.Issued own = ca.issue(caDir.resolve("operator.crt"), caDir.resolve("operator.key"), "vkv-operator", HOSTS);
    return new ClusterAccess(ca.certFile(), own.cert(), own.key(), user, password);
  }

  private MemberTlsFlags.Side side(String secret, Path memberDir) throws IOException {
    if (secret != null) {
      Path dir = secret(secret);
      for (String f : List.of("tls.crt", "tls.key", "ca.crt")) {
        if (!Files.isRegularFile(dir.resolve(f))) throw new IOException("TLS secret " + dir + " has no " + f);
      }
      return new MemberTlsFlags.Side(dir.resolve("tls.crt").toString(), dir.resolve("tls.key").toString(), dir.resolve("ca.crt").toString());
    }
    ClusterCa ca = ClusterCa.ensure(caDir, clusterName);
    ClusterCa.Issued own = ca.issue(memberDir.resolve("tls").resolve("member.crt"), memberDir.resolve("tls").resolve("member.key"),
        memberDir.getFileName().toString(), HOSTS);
    return new MemberTlsFlags.Side(own.cert().toString(), own.key().toString(), ca.certFile().toString());
  }

  private Path secret(String name) {
    return specDir.resolve(name).toAbsolutePath().normalize();
  }
}
