package io.vkv.node.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.CRL;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * etcd's --client-crl-file / --peer-crl-file: the serial numbers an X.509 CRL file (PEM or DER, one or more lists)
 * revokes. A presented chain is refused if any certificate in it has one of them; like etcd, the serial alone
 * decides (the CRL's issuer, signature and next-update are not looked at).
 *
 * <p>etcd reads the file at every connection, so a new CRL applies without a restart; here the file is looked at
 * again at most every {@link #CHECK_INTERVAL_NANOS} and read when it changed. A CRL that cannot be read at start is
 * a configuration error; one that becomes unreadable later refuses every certificate until it is readable again
 * (as etcd does), since accepting would silently undo revocations.
 */
public final class RevocationList {
  private static final Logger LOG = Logger.getLogger(RevocationList.class.getName());
  static final long CHECK_INTERVAL_NANOS = 200_000_000L;

  private final String flag;
  private final Path file;
  private volatile Loaded loaded;
  private final RecheckInterval recheck = new RecheckInterval(CHECK_INTERVAL_NANOS);

  /** What the file held when last read: its serials, or why it could not be used (then nothing is accepted). */
  private record Loaded(FileTime modified, long size, Set<BigInteger> serials, String problem) {
  }

  private RevocationList(String flag, Path file, Loaded loaded) {
    this.flag = flag;
    this.file = file;
    this.loaded = loaded;
  }

  /**
   * Reads the CRL now; a missing, unreadable, empty or malformed file throws {@link TlsConfigException} naming
   * {@code flag} and the file.
   */
  public static RevocationList load(String flag, Path file) {
    Loaded first = read(flag, file);
    if (first.problem() != null) throw new TlsConfigException(first.problem());
    return new RevocationList(flag, file, first);
  }

  /** Refuses the chain if the CRL revokes any certificate in it. */
  public void check(X509Certificate[] chain) throws CertificateException {
    Loaded now = current();
    if (now.problem() != null) throw new CertificateException(now.problem());
    for (X509Certificate cert : chain) {
      if (now.serials().contains(cert.getSerialNumber())) {
        throw new CertificateException("certificate serial " + cert.getSerialNumber().toString(16) + " (subject "
            + cert.getSubjectX500Principal().getName() + ") is revoked by " + flag + " " + file);
      }
    }
  }

  /** How many serials the CRL revokes now. */
  public int size() {
    Loaded now = current();
    return now.serials() == null ? 0 : now.serials().size();
  }

  private Loaded current() {
    recheck.runIfDue(this::reloadIfChanged);
    return loaded;
  }

  private void reloadIfChanged() {
    Loaded before = loaded;
    try {
      if (Files.getLastModifiedTime(file).equals(before.modified()) && Files.size(file) == before.size()
          && before.problem() == null) {
        return;
      }
    } catch (IOException e) {
      // gone or unreadable: read() below says why
    }
    Loaded next = read(flag, file);
    loaded = next;
    if (next.problem() != null) {
      LOG.warning(() -> "TLS: refusing client certificates until the CRL can be read: " + next.problem());
    } else if (before.problem() != null || !next.serials().equals(before.serials())) {
      LOG.info(() -> "TLS: loaded " + flag + " " + file + " (" + next.serials().size() + " revoked serials)");
    }
  }

  private static Loaded read(String flag, Path file) {
    FileTime modified;
    byte[] bytes;
    try {
      modified = Files.getLastModifiedTime(file);
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return failed(flag + " " + file + ": no such file");
    } catch (IOException e) {
      return failed(flag + " " + file + ": cannot read: " + e.getMessage());
    }
    try {
      Collection<? extends CRL> crls = CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(bytes));
      if (crls.isEmpty()) return failed(flag + " " + file + ": no certificate revocation list in the file (PEM or DER X.509 CRL expected)");
      Set<BigInteger> serials = new HashSet<>();
      for (CRL crl : crls) {
        Set<? extends X509CRLEntry> revoked = ((X509CRL) crl).getRevokedCertificates();
        if (revoked != null) revoked.forEach(entry -> serials.add(entry.getSerialNumber()));
      }
      return new Loaded(modified, bytes.length, Set.copyOf(serials), null);
    } catch (CRLException | CertificateException | ClassCastException e) {
      return failed(flag + " " + file + ": not a valid X.509 CRL (PEM or DER): " + e.getMessage());
    }
  }

  private static Loaded failed(String problem) {
    return new Loaded(null, -1, null, problem);
  }
}
