package io.vkv.node.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files etcd takes: certificates (a chain, leaf first) and an unencrypted private key in PKCS#8
 * ({@code PRIVATE KEY}, what {@code openssl genpkey}/{@code req -newkey} write), PKCS#1 ({@code RSA PRIVATE KEY}) or
 * SEC1 ({@code EC PRIVATE KEY}, what cfssl and {@code openssl ecparam -genkey} write). Errors name the file.
 */
public final class PemFiles {
  private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
  private static final String RSA_OID = "1.2.840.113549.1.1.1";
  private static final String EC_OID = "1.2.840.10045.2.1";

  private PemFiles() {
  }

  /** The certificates in a PEM file, in file order; at least one. */
  public static List<X509Certificate> certificates(Path file) {
    String text = read(file, "certificate");
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      Matcher m = BLOCK.matcher(text);
      while (m.find()) {
        if (!m.group(1).equals("CERTIFICATE")) continue;
        out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(decode(file, m.group(2)))));
      }
    } catch (CertificateException e) {
      throw new TlsConfigException(file + ": not a valid PEM certificate: " + e.getMessage(), e);
    }
    if (out.isEmpty()) throw new TlsConfigException(file + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in the file");
    return out;
  }

  /** The private key in a PEM file. */
  public static PrivateKey privateKey(Path file) {
    String text = read(file, "key");
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      byte[] der = decode(file, m.group(2));
      try {
        switch (type) {
          case "PRIVATE KEY":
            return pkcs8(der);
          case "RSA PRIVATE KEY":
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Der.sequence(
                Der.integer(java.math.BigInteger.ZERO), Der.sequence(Der.oid(RSA_OID), Der.nul()), Der.octets(der))));
          case "EC PRIVATE KEY":
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(sec1ToPkcs8(der)));
          case "ENCRYPTED PRIVATE KEY":
            throw new TlsConfigException(file + ": the private key is encrypted; give an unencrypted key as etcd needs "
                + "(openssl pkey -in " + file + " -out plain.key)");
          default:
            // e.g. EC PARAMETERS before the key: skip
        }
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new TlsConfigException(file + ": cannot read the " + type + ": " + e.getMessage(), e);
      }
    }
    throw new TlsConfigException(file + ": no PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  /** The public key in a PEM file ({@code PUBLIC KEY}, as {@code openssl pkey -pubout} writes it). */
  public static java.security.PublicKey publicKey(Path file) {
    String text = read(file, "public key");
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      if (!m.group(1).equals("PUBLIC KEY")) continue;
      byte[] der = decode(file, m.group(2));
      for (String alg : List.of("RSA", "EC")) {
        try {
          return KeyFactory.getInstance(alg).generatePublic(new java.security.spec.X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
          // try the next algorithm
        }
      }
      throw new TlsConfigException(file + ": cannot read the public key (RSA or EC expected)");
    }
    throw new TlsConfigException(file + ": no PEM public key (-----BEGIN PUBLIC KEY-----)");
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String alg : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }

  /** SEC1 ECPrivateKey {version, privateKey, [0] curve, [1] publicKey} → PKCS#8 with the curve named. */
  private static byte[] sec1ToPkcs8(byte[] sec1) {
    List<Der.Element> top = Der.readAll(sec1);
    if (top.size() != 1 || top.get(0).tag() != Der.SEQUENCE) throw new IllegalArgumentException("not an EC private key");
    byte[] curve = null;
    for (Der.Element e : top.get(0).children()) {
      if (e.tag() == 0xa0) curve = e.children().get(0).encoded();
    }
    if (curve == null) throw new IllegalArgumentException("the EC key does not name its curve");
    return Der.sequence(Der.integer(java.math.BigInteger.ZERO), Der.sequence(Der.oid(EC_OID), curve), Der.octets(sec1));
  }

  private static String read(Path file, String what) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new TlsConfigException(what + " file " + file + ": no such file");
    } catch (IOException e) {
      throw new TlsConfigException(what + " file " + file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static byte[] decode(Path file, String base64) {
    try {
      return Base64.getMimeDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new TlsConfigException(file + ": bad PEM base64: " + e.getMessage(), e);
    }
  }
}
