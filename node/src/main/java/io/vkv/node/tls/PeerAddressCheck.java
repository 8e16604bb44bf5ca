package io.vkv.node.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

/**
 * What etcd's peer listener checks unless --experimental-peer-skip-client-san-verification is set: a member's client
 * certificate that names hosts (IP or DNS SANs) must name the address the connection comes from. An IP SAN must
 * equal it; otherwise a DNS SAN must be one of the names the address resolves back to, or resolve to it. A
 * certificate without IP and DNS SANs passes (the CA vouched for it; nothing names a host).
 *
 * <p>DNS lookups block: the peer server runs the TLS handshake's certificate checks on a worker thread for this.
 */
public final class PeerAddressCheck {
  private PeerAddressCheck() {
  }

  /** @param remoteHost the IP address the connection comes from */
  public static void check(X509Certificate leaf, String remoteHost) throws CertificateException {
    List<InetAddress> ips = CertificateNames.ipAddresses(leaf);
    List<String> dns = CertificateNames.dnsNames(leaf);
    if (ips.isEmpty() && dns.isEmpty()) return;
    InetAddress remote = remoteHost == null ? null : CertificateNames.ipLiteral(remoteHost);
    if (remote == null) {
      throw new CertificateException("cannot check the client certificate's SANs: the connection's address is unknown");
    }
    if (ips.contains(remote)) return;
    if (!dns.isEmpty() && resolvesTo(remote, dns)) return;
    throw new CertificateException("client certificate SANs (" + CertificateNames.describe(leaf) + ") do not match the "
        + "connection's address " + remote.getHostAddress());
  }

  private static boolean resolvesTo(InetAddress remote, List<String> dnsNames) {
    // reverse: the address's name matches a SAN (a wildcard SAN matches by suffix, as etcd does)
    String reverse = stripDot(remote.getCanonicalHostName().toLowerCase(Locale.ROOT));
    for (String san : dnsNames) {
      String s = san.toLowerCase(Locale.ROOT);
      if (s.startsWith("*.") ? reverse.endsWith(s.substring(1)) : reverse.equals(stripDot(s))) return true;
    }
    // forward: a (non-wildcard) SAN resolves to the address
    for (String san : dnsNames) {
      if (san.startsWith("*.")) continue;
      try {
        for (InetAddress a : InetAddress.getAllByName(san)) {
          if (a.equals(remote)) return true;
        }
      } catch (UnknownHostException e) {
        // try the next name
      }
    }
    return false;
  }

  private static String stripDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
