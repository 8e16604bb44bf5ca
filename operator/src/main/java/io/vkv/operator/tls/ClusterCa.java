package io.vkv.operator.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The CA the operator keeps for a cluster with {@code spec.tls.autoTls}: an ECDSA P-256 key and a self-signed CA
 * certificate ({@code ca.crt}, {@code ca.key}) made once in the cluster's TLS directory, and the member (and operator)
 * certificates it signs. Unlike etcd's --auto-tls, whose certificates nobody can verify, every member and client can
 * check a member against {@code ca.crt}. Files are written to a temporary name and renamed, so a crash never leaves
 * half a key; an existing file is reused, so a restarted operator issues nothing twice.
 */
public final class ClusterCa {
  private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
  private static final String CN = "2.5.4.3";
  private static final String O = "2.5.4.10";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String EXT_KEY_USAGE = "2.5.29.37";
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
  private static final int CA_YEARS = 10;
  private static final int LEAF_YEARS = 1;

  private final Path cert;
  private final X509Certificate caCert;
  private final PrivateKey caKey;

  private ClusterCa(Path cert, X509Certificate caCert, PrivateKey caKey) {
    this.cert = cert;
    this.caCert = caCert;
    this.caKey = caKey;
  }

  /** The CA in {@code dir} ({@code ca.crt}, {@code ca.key}), made first when absent. */
  public static ClusterCa ensure(Path dir, String clusterName) throws IOException {
    Path crt = dir.resolve("ca.crt");
    Path key = dir.resolve("ca.key");
    try {
      if (!Files.isRegularFile(crt)) {
        Files.createDirectories(dir);
        KeyPair pair = newKeyPair();
        byte[] name = name("vkv " + clusterName + " CA");
        byte[] extensions = DerWriter.sequence(
            extension(BASIC_CONSTRAINTS, true, DerWriter.sequence(DerWriter.bool(true))),
            // keyCertSign | cRLSign
            extension(KEY_USAGE, true, DerWriter.tlv(DerWriter.BIT_STRING, new byte[] {0x01, 0x06})));
        // the key goes first: a ca.crt on disk always has its key beside it
        writeKey(key, pair.getPrivate());
        writeAtomically(crt, pem("CERTIFICATE", sign(pair.getPrivate(), name, name, pair.getPublic(), CA_YEARS, extensions)));
      }
      return new ClusterCa(crt, readCert(crt), readKey(key));
    } catch (GeneralSecurityException e) {
      throw new IOException("cluster CA in " + dir + ": " + e.getMessage(), e);
    }
  }

  public Path certFile() {
    return cert;
  }

  /**
   * A certificate for {@code cn}, valid as server and client certificate for {@code hosts} (IP addresses or DNS
   * names), as {@code <base>.crt} and {@code <base>.key}; an existing pair is kept.
   */
  public Issued issue(Path crt, Path key, String cn, List<String> hosts) throws IOException {
    if (Files.isRegularFile(crt) && Files.isRegularFile(key)) return new Issued(crt, key);
    try {
      Files.createDirectories(crt.toAbsolutePath().getParent());
      KeyPair pair = newKeyPair();
      List<byte[]> altNames = new ArrayList<>();
      for (String h : hosts) {
        altNames.add(isIpLiteral(h) ? DerWriter.tagged(7, false, InetAddress.getByName(h).getAddress())
            : DerWriter.tagged(2, false, h.getBytes(StandardCharsets.US_ASCII)));
      }
      byte[] extensions = DerWriter.sequence(
          extension(BASIC_CONSTRAINTS, true, DerWriter.sequence()),
          // digitalSignature | keyEncipherment
          extension(KEY_USAGE, true, DerWriter.tlv(DerWriter.BIT_STRING, new byte[] {0x05, (byte) 0xa0})),
          extension(EXT_KEY_USAGE, false, DerWriter.sequence(DerWriter.oid(SERVER_AUTH), DerWriter.oid(CLIENT_AUTH))),
          extension(SUBJECT_ALT_NAME, false, DerWriter.sequence(altNames.toArray(new byte[0][]))));
      byte[] der = sign(caKey, caCert.getSubjectX500Principal().getEncoded(), name(cn), pair.getPublic(), LEAF_YEARS, extensions);
      writeKey(key, pair.getPrivate());
      writeAtomically(crt, pem("CERTIFICATE", der));
      return new Issued(crt, key);
    } catch (GeneralSecurityException e) {
      throw new IOException("issuing a certificate for " + cn + ": " + e.getMessage(), e);
    }
  }

  /** A certificate and its key (PEM files). */
  public record Issued(Path cert, Path key) {}

  private static byte[] sign(PrivateKey signer, byte[] issuer, byte[] subject, PublicKey subjectKey, int years,
                             byte[] extensions) throws GeneralSecurityException {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    byte[] sigAlg = DerWriter.sequence(DerWriter.oid(ECDSA_WITH_SHA256));
    byte[] tbs = DerWriter.sequence(
        DerWriter.tagged(0, true, DerWriter.integer(BigInteger.TWO)), // v3
        DerWriter.integer(new BigInteger(127, new SecureRandom())),
        sigAlg,
        issuer,
        DerWriter.sequence(time(now.minusMinutes(5)), time(now.plusYears(years))),
        subject,
        subjectKey.getEncoded(), // SubjectPublicKeyInfo as the JDK encodes it
        DerWriter.tagged(3, true, extensions));
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(signer);
    s.update(tbs);
    return DerWriter.sequence(tbs, sigAlg, DerWriter.bits(s.sign()));
  }

  private static byte[] time(ZonedDateTime t) {
    return DerWriter.tlv(DerWriter.UTC_TIME, t.format(UTC_TIME).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] name(String cn) {
    return DerWriter.sequence(DerWriter.set(DerWriter.sequence(DerWriter.oid(O), DerWriter.utf8("vkv"))),
        DerWriter.set(DerWriter.sequence(DerWriter.oid(CN), DerWriter.utf8(cn))));
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical ? DerWriter.sequence(DerWriter.oid(oid), DerWriter.bool(true), DerWriter.octets(value))
        : DerWriter.sequence(DerWriter.oid(oid), DerWriter.octets(value));
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    return gen.generateKeyPair();
  }

  private static boolean isIpLiteral(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  private static X509Certificate readCert(Path file) throws IOException, GeneralSecurityException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
  }

  private static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
    String body = Files.readString(file, StandardCharsets.US_ASCII)
        .replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
  }

  private static void writeKey(Path key, PrivateKey k) throws IOException {
    Path tmp = key.resolveSibling(key.getFileName() + ".tmp");
    Files.writeString(tmp, pem("PRIVATE KEY", k.getEncoded()), StandardCharsets.US_ASCII);
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system
    }
    Files.move(tmp, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
