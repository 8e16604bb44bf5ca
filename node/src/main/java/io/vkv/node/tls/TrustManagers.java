package io.vkv.node.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** Trust managers: the CAs of a PEM file (etcd's --trusted-ca-file); the common name of a certificate. */
public final class TrustManagers {
  private TrustManagers() {
  }

  /** Trusts exactly the certificates in {@code caFile}. */
  public static X509ExtendedTrustManager fromCaFile(Path caFile) {
    List<X509Certificate> cas = PemFiles.certificates(caFile);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) store.setCertificateEntry("ca-" + i, cas.get(i));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) return x;
      }
      throw new TlsConfigException(caFile + ": the JVM offers no X.509 trust manager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new TlsConfigException(caFile + ": cannot use as trusted CA file: " + e.getMessage(), e);
    }
  }

  /** The common name (CN) of a certificate's subject, or null. */
  public static String commonName(X509Certificate cert) {
    try {
      List<Rdn> rdns = new LdapName(cert.getSubjectX500Principal().getName()).getRdns();
      for (int i = rdns.size() - 1; i >= 0; i--) {
        if (rdns.get(i).getType().equalsIgnoreCase("CN")) return rdns.get(i).getValue().toString();
      }
      return null;
    } catch (InvalidNameException e) {
      return null;
    }
  }
}
