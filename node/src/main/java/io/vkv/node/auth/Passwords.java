package io.vkv.node.auth;

import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.nio.charset.StandardCharsets;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * bcrypt hashing of user passwords, as etcd stores them. Deliberately slow (tens of ms at cost 10): callers run it
 * on a worker thread, never on an event loop or the applier.
 */
public final class Passwords {
  /** bcrypt reads at most 72 bytes; a longer password would be silently cut, so it is refused. */
  static final int MAX_BYTES = 72;

  private final int cost;

  public Passwords(int cost) {
    this.cost = cost;
  }

  public String hash(String password) {
    byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_BYTES) {
      throw new StatusException(GrpcStatus.INVALID_ARGUMENT, "vkv: a password may be at most " + MAX_BYTES + " bytes (bcrypt's limit)");
    }
    return BCrypt.hashpw(bytes, BCrypt.gensalt(cost));
  }

  public boolean matches(String password, String hash) {
    byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_BYTES || hash.isEmpty()) return false;
    try {
      return BCrypt.checkpw(bytes, hash);
    } catch (IllegalArgumentException e) {
      return false; // not a bcrypt hash
    }
  }
}
