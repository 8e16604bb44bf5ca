package io.vkv.node.tls;

import io.vertx.core.http.HttpConnection;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;

/** What a TLS client proved about itself on a connection of the client port. */
public final class ClientCertificates {
  private ClientCertificates() {
  }

  /** The CN of the client certificate the handshake verified, or null (no TLS, no certificate, no CN). */
  public static String commonName(HttpConnection connection) {
    if (connection == null || !connection.isSsl()) return null;
    try {
      List<Certificate> certs = connection.peerCertificates();
      if (certs == null || certs.isEmpty() || !(certs.get(0) instanceof X509Certificate leaf)) return null;
      String cn = TrustManagers.commonName(leaf);
      return cn == null || cn.isEmpty() ? null : cn;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }
}
