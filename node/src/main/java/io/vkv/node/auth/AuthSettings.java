package io.vkv.node.auth;

/**
 * How a member issues tokens and hashes passwords.
 *
 * @param tokenTtlSeconds how long a simple token lives after its last use (etcd's --auth-token-ttl: 300)
 * @param bcryptCost the bcrypt cost of stored password hashes (etcd's --bcrypt-cost: 10)
 * @param jwt JWT tokens instead of simple ones (--auth-token jwt,...), or null for simple tokens
 */
public record AuthSettings(long tokenTtlSeconds, int bcryptCost, JwtSettings jwt) {
  public AuthSettings(long tokenTtlSeconds, int bcryptCost) {
    this(tokenTtlSeconds, bcryptCost, null);
  }

  public static final AuthSettings DEFAULT = new AuthSettings(300, 10);

  public AuthSettings {
    if (tokenTtlSeconds <= 0) throw new IllegalArgumentException("--auth-token-ttl must be > 0");
    // bcrypt's own bounds, as etcd enforces them
    if (bcryptCost < 4 || bcryptCost > 31) {
      throw new IllegalArgumentException("--bcrypt-cost must be between 4 and 31, got " + bcryptCost);
    }
  }
}
