package io.vkv.node.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * etcd's --auto-tls / --peer-auto-tls: an ECDSA P-256 key and a self-signed certificate valid for one year, naming
 * the hosts of the listen URLs, written as {@code cert.pem} / {@code key.pem} under {@code <data-dir>/fixtures/<role>}
 * (etcd's place). An existing pair there is reused, as etcd does.
 */
public final class SelfSignedCerts {
  private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
  private static final String CN = "2.5.4.3";
  private static final String O = "2.5.4.10";
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String EXT_KEY_USAGE = "2.5.29.37";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");

  private SelfSignedCerts() {
  }

  /** The cert and key files in {@code dir}, generated first if absent. */
  public static Path[] ensure(Path dir, Collection<String> hosts) {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    if (Files.isRegularFile(cert) && Files.isRegularFile(key)) return new Path[] {cert, key};
    try {
      Files.createDirectories(dir);
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = gen.generateKeyPair();
      byte[] der = certificate(pair, hosts);
      Path tmpKey = dir.resolve("key.pem.tmp");
      Files.writeString(tmpKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
      try {
        Files.setPosixFilePermissions(tmpKey, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
      Files.move(tmpKey, key, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      Files.writeString(cert, pem("CERTIFICATE", der), StandardCharsets.US_ASCII);
      return new Path[] {cert, key};
    } catch (IOException | GeneralSecurityException e) {
      throw new TlsConfigException("auto TLS: cannot create a self-signed certificate in " + dir + ": " + e.getMessage(), e);
    }
  }

  static byte[] certificate(KeyPair pair, Collection<String> hosts) throws GeneralSecurityException {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    byte[] name = Der.sequence(Der.set(Der.sequence(Der.oid(O), Der.utf8("vkv"))),
        Der.set(Der.sequence(Der.oid(CN), Der.utf8("vkv auto TLS"))));
    byte[] sigAlg = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
    List<byte[]> altNames = new ArrayList<>();
    for (String h : hosts) {
      if (isIpLiteral(h)) {
        try {
          altNames.add(Der.tagged(7, false, InetAddress.getByName(h).getAddress()));
        } catch (java.net.UnknownHostException e) {
          throw new IllegalStateException(e); // an IP literal always parses
        }
      } else {
        altNames.add(Der.tagged(2, false, h.getBytes(StandardCharsets.US_ASCII)));
      }
    }
    byte[] extensions = Der.tagged(3, true, Der.sequence(
        Der.sequence(Der.oid(KEY_USAGE), new byte[] {0x01, 0x01, (byte) 0xff},
            // digitalSignature | keyEncipherment
            Der.octets(new byte[] {Der.BIT_STRING, 0x02, 0x05, (byte) 0xa0})),
        Der.sequence(Der.oid(EXT_KEY_USAGE), Der.octets(Der.sequence(Der.oid(SERVER_AUTH), Der.oid(CLIENT_AUTH)))),
        Der.sequence(Der.oid(SUBJECT_ALT_NAME), Der.octets(Der.sequence(altNames.toArray(new byte[0][]))))));
    byte[] tbs = Der.sequence(
        Der.tagged(0, true, Der.integer(BigInteger.TWO)), // v3
        Der.integer(new BigInteger(127, new SecureRandom())),
        sigAlg,
        name,
        Der.sequence(Der.tlv(Der.UTC_TIME, now.minusMinutes(5).format(UTC_TIME).getBytes(StandardCharsets.US_ASCII)),
            Der.tlv(Der.UTC_TIME, now.plusYears(1).format(UTC_TIME).getBytes(StandardCharsets.US_ASCII))),
        name,
        pair.getPublic().getEncoded(), // SubjectPublicKeyInfo as the JDK encodes it
        extensions);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(pair.getPrivate());
    signer.update(tbs);
    return Der.sequence(tbs, sigAlg, Der.bits(signer.sign()));
  }

  private static boolean isIpLiteral(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
