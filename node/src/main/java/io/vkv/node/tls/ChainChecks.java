package io.vkv.node.tls;

import java.security.cert.CertificateException;

/** The checks etcd's flags add to a chain the CA accepted, each refusing with a message that says which flag. */
public final class ChainChecks {
  private ChainChecks() {
  }

  /** --peer-cert-allowed-cn: the leaf's CN must be exactly {@code cn}. */
  public static CheckingTrustManager.ChainCheck allowedCn(String flag, String cn) {
    return (chain, peerHost) -> {
      String actual = TrustManagers.commonName(chain[0]);
      if (!cn.equals(actual)) {
        throw new CertificateException("client certificate CN '" + actual + "' is not the allowed CN '" + cn + "' (" + flag + ")");
      }
    };
  }

  /** --*-cert-allowed-hostname: the leaf must be valid for {@code hostname}, as a server certificate would be. */
  public static CheckingTrustManager.ChainCheck allowedHostname(String flag, String hostname) {
    return (chain, peerHost) -> {
      if (!CertificateNames.validFor(chain[0], hostname)) {
        throw new CertificateException("client certificate (SANs: " + CertificateNames.describe(chain[0])
            + ") is not valid for the allowed hostname '" + hostname + "' (" + flag + ")");
      }
    };
  }

  /** --*-crl-file: no certificate of the chain may be revoked. */
  public static CheckingTrustManager.ChainCheck notRevoked(RevocationList crl) {
    return (chain, peerHost) -> crl.check(chain);
  }

  /** The peer listener's SAN check (unless --experimental-peer-skip-client-san-verification). */
  public static CheckingTrustManager.ChainCheck sanMatchesAddress() {
    return (chain, peerHost) -> PeerAddressCheck.check(chain[0], peerHost);
  }
}
