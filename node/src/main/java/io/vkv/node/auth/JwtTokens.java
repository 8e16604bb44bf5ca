package io.vkv.node.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vkv.node.tls.PemFiles;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.Date;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * etcd's JWT tokens: signed with the member's private key, claims {@code username}, {@code revision} (the auth
 * revision at issue) and {@code exp}; any member holding the public key verifies them without asking the others.
 * Unlike simple tokens, a JWT carries its auth revision: once users or roles change, requests with an older token
 * fail with "revision of auth store is old" and clients authenticate again (etcd's behaviour).
 */
public final class JwtTokens {
  /** Who a verified token names. */
  public record Claims(String username, long revision) {}

  private static final List<String> METHODS = List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
      "ES256", "ES384", "ES512");
  private final JWSAlgorithm algorithm;
  private final JWSSigner signer;
  private final JWSVerifier verifier;
  private final long ttlMillis;
  private final LongSupplier clock;

  /** Reads and checks the keys; throws IllegalArgumentException naming the file or the method. */
  public JwtTokens(JwtSettings s, LongSupplier epochMillis) {
    if (!METHODS.contains(s.signMethod())) {
      throw new IllegalArgumentException("--auth-token jwt: unsupported sign-method '" + s.signMethod() + "' (one of "
          + String.join(", ", METHODS) + ")");
    }
    this.algorithm = JWSAlgorithm.parse(s.signMethod());
    this.ttlMillis = s.ttlMillis();
    this.clock = epochMillis;
    PrivateKey priv = PemFiles.privateKey(s.privateKey());
    PublicKey pub = PemFiles.publicKey(s.publicKey());
    boolean ec = s.signMethod().startsWith("ES");
    try {
      if (ec) {
        if (!(priv instanceof ECPrivateKey ecPriv) || !(pub instanceof ECPublicKey ecPub)) {
          throw new IllegalArgumentException("--auth-token jwt: sign-method " + s.signMethod() + " needs EC keys");
        }
        signer = new ECDSASigner(ecPriv);
        verifier = new ECDSAVerifier(ecPub);
      } else {
        if (!(pub instanceof RSAPublicKey rsaPub) || !"RSA".equals(priv.getAlgorithm())) {
          throw new IllegalArgumentException("--auth-token jwt: sign-method " + s.signMethod() + " needs RSA keys");
        }
        signer = new RSASSASigner(priv);
        verifier = new RSASSAVerifier(rsaPub);
      }
    } catch (JOSEException e) {
      throw new IllegalArgumentException("--auth-token jwt: " + e.getMessage(), e);
    }
    // a key pair that does not belong together would issue tokens no member accepts
    if (verify(issue("probe", 0)) == null) {
      throw new IllegalArgumentException("--auth-token jwt: " + s.privateKey() + " and " + s.publicKey() + " are not one key pair");
    }
  }

  /** A token for {@code username} at auth revision {@code revision}, valid for the ttl from now. */
  public String issue(String username, long revision) {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("username", username).claim("revision", revision)
        .expirationTime(new Date(clock.getAsLong() + ttlMillis)).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a JWT: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }

  /** The claims of a token signed with our key and not expired, or null. */
  public Claims verify(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!algorithm.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) return null;
      JWTClaimsSet c = jwt.getJWTClaimsSet();
      Date exp = c.getExpirationTime();
      if (exp == null || exp.getTime() <= clock.getAsLong()) return null;
      String user = c.getStringClaim("username");
      Long revision = c.getLongClaim("revision");
      if (user == null || revision == null) return null;
      return new Claims(user, revision);
    } catch (ParseException | JOSEException e) {
      return null;
    }
  }
}
