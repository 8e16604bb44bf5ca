package io.vkv.operator.tls;

import java.util.ArrayList;
import java.util.List;

/**
 * vkv's TLS flags for a member, from where each side's certificate, key and CA are (files on one host, mounted
 * Secrets in a Pod): one place for both backends, so a member gets the same flags wherever it runs. Peers always
 * require each other's certificate; clients only with {@code clientCertAuth}.
 */
public final class MemberTlsFlags {
  private MemberTlsFlags() {}

  /** A side's certificate, key and the CA the other end's certificates must chain to, as the member sees them. */
  public record Side(String cert, String key, String ca) {}

  /** {@code client} or {@code peer} may be null (that side is plain text). */
  public static List<String> of(Side client, boolean clientCertAuth, Side peer) {
    List<String> flags = new ArrayList<>();
    if (client != null) {
      flags.addAll(List.of("--cert-file=" + client.cert(), "--key-file=" + client.key(), "--trusted-ca-file=" + client.ca()));
      if (clientCertAuth) flags.add("--client-cert-auth");
    }
    if (peer != null) {
      flags.addAll(List.of("--peer-cert-file=" + peer.cert(), "--peer-key-file=" + peer.key(), "--peer-trusted-ca-file=" + peer.ca(),
          "--peer-client-cert-auth"));
    }
    return flags;
  }
}
