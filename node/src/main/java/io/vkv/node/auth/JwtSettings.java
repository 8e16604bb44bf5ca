package io.vkv.node.auth;

import java.nio.file.Path;

/**
 * etcd's {@code --auth-token jwt,pub-key=FILE,priv-key=FILE,sign-method=RS256,ttl=5m}.
 *
 * @param publicKey  PEM public key that verifies tokens (every member)
 * @param privateKey PEM private key that signs them (every member that issues tokens)
 * @param signMethod RS256/384/512, PS256/384/512 or ES256/384/512
 * @param ttlMillis  lifetime of a token from its issue (etcd's default: 5 minutes)
 */
public record JwtSettings(Path publicKey, Path privateKey, String signMethod, long ttlMillis) {
  public static final long DEFAULT_TTL_MS = 5 * 60_000;

  /** Parses the value of --auth-token when it starts with "jwt"; throws IllegalArgumentException naming what is wrong. */
  public static JwtSettings parse(String spec, java.util.function.ToLongFunction<String> duration) {
    String[] parts = spec.split(",");
    if (!parts[0].equals("jwt")) throw new IllegalArgumentException("--auth-token: not a jwt spec: '" + spec + "'");
    Path pub = null;
    Path priv = null;
    String method = null;
    long ttl = DEFAULT_TTL_MS;
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      int eq = p.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("--auth-token: expected key=value, got '" + p + "'");
      String k = p.substring(0, eq);
      String v = p.substring(eq + 1);
      switch (k) {
        case "pub-key" -> pub = Path.of(v);
        case "priv-key" -> priv = Path.of(v);
        case "sign-method" -> method = v;
        case "ttl" -> ttl = duration.applyAsLong(v);
        default -> throw new IllegalArgumentException("--auth-token: unknown jwt option '" + k + "'");
      }
    }
    if (method == null) throw new IllegalArgumentException("--auth-token jwt: sign-method is required");
    if (pub == null) throw new IllegalArgumentException("--auth-token jwt: pub-key is required");
    if (priv == null) throw new IllegalArgumentException("--auth-token jwt: priv-key is required (vkv has no verify-only members)");
    if (ttl <= 0) throw new IllegalArgumentException("--auth-token jwt: ttl must be > 0");
    return new JwtSettings(pub, priv, method, ttl);
  }
}
