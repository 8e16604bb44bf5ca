package io.vkv.node.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/** A certificate chain and the private key of its leaf, read from two PEM files and checked to belong together. */
public record CertifiedKey(List<X509Certificate> chain, PrivateKey key) {

  public CertifiedKey {
    chain = List.copyOf(chain);
  }

  /** Reads both files; throws {@link TlsConfigException} if either is unusable or the key is not the certificate's. */
  public static CertifiedKey load(Path certFile, Path keyFile) {
    List<X509Certificate> chain = PemFiles.certificates(certFile);
    PrivateKey key = PemFiles.privateKey(keyFile);
    if (!matches(chain.get(0), key)) {
      throw new TlsConfigException("the private key in " + keyFile + " does not match the certificate in " + certFile);
    }
    return new CertifiedKey(chain, key);
  }

  /** Signs a random challenge with the key and verifies it with the certificate's public key. */
  static boolean matches(X509Certificate cert, PrivateKey key) {
    String alg = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
      default -> null;
    };
    if (alg == null || !key.getAlgorithm().equals(cert.getPublicKey().getAlgorithm())) return false;
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(alg);
      signer.initSign(key);
      signer.update(challenge);
      byte[] sig = signer.sign();
      Signature verifier = Signature.getInstance(alg);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(sig);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }
}
