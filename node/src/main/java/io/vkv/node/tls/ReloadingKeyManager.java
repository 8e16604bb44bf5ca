package io.vkv.node.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.logging.Logger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The member's certificate and key for every TLS handshake, read again from disk when either file changes, so that
 * a renewed certificate is used for new connections without a restart (connections already open keep theirs). A
 * renewal that cannot be used yet (half written, key and certificate not matching) is logged and the previous pair
 * kept until both files are consistent.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {
  private static final Logger LOG = Logger.getLogger(ReloadingKeyManager.class.getName());
  private static final String ALIAS = "vkv";
  /** Files are looked at again at most this often (a stat per handshake burst is enough). */
  static final long CHECK_INTERVAL_NANOS = 200_000_000L;

  private final Path certFile;
  private final Path keyFile;
  private volatile CertifiedKey current;
  private volatile Stamp loadedFrom;
  private final RecheckInterval recheck = new RecheckInterval(CHECK_INTERVAL_NANOS);

  private record Stamp(FileTime cert, long certSize, FileTime key, long keySize) {
  }

  /** Loads the pair now; throws {@link TlsConfigException} if it cannot be used. */
  public ReloadingKeyManager(Path certFile, Path keyFile) {
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.loadedFrom = stamp();
    this.current = CertifiedKey.load(certFile, keyFile);
  }

  /** The pair handshakes use now, after looking whether the files changed. */
  public CertifiedKey current() {
    recheck.runIfDue(this::reloadIfChanged);
    return current;
  }

  private void reloadIfChanged() {
    Stamp seen = stamp();
    if (seen == null || seen.equals(loadedFrom)) return;
    try {
      CertifiedKey next = CertifiedKey.load(certFile, keyFile);
      current = next;
      loadedFrom = seen;
      LOG.info(() -> "TLS: loaded the renewed certificate " + certFile + " (subject " + next.leaf().getSubjectX500Principal()
          + ", valid until " + next.leaf().getNotAfter().toInstant() + ")");
    } catch (TlsConfigException e) {
      // keep serving with the previous pair; retried at the next check (the files may still be being written)
      LOG.warning(() -> "TLS: keeping the previous certificate: " + e.getMessage());
    }
  }

  private Stamp stamp() {
    try {
      return new Stamp(Files.getLastModifiedTime(certFile), Files.size(certFile), Files.getLastModifiedTime(keyFile),
          Files.size(keyFile));
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return new String[] {ALIAS};
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    current();
    return ALIAS;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    current();
    return ALIAS;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return new String[] {ALIAS};
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return matchesType(keyType) ? ALIAS : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return matchesType(keyType) ? ALIAS : null;
  }

  /** The server is asked once per key type it could use; answer only for the type of our key. */
  private boolean matchesType(String keyType) {
    if (keyType == null) return true;
    String alg = current().key().getAlgorithm();
    return keyType.equalsIgnoreCase(alg) || keyType.startsWith(alg + "_") || ("EdDSA".equals(keyType) && alg.startsWith("Ed"))
        || ("RSASSA-PSS".equals(keyType) && alg.equals("RSA"));
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    // no reload here: the chain and the key of one handshake must come from the same pair
    return ALIAS.equals(alias) ? current.chain().toArray(new X509Certificate[0]) : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? current.key() : null;
  }
}
