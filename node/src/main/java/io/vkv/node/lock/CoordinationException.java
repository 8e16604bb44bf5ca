package io.vkv.node.lock;

/** A lock or election failure: etcd's servers return these as plain errors, i.e. gRPC Unknown with this text. */
final class CoordinationException extends RuntimeException {
  static final String SESSION_EXPIRED = "mutex: session is expired";
  static final String NOT_LEADER = "election: not leader";
  static final String NO_LEADER = "election: no leader";
  static final String MISSING_LEADER_KEY = "\"leader\" field must be provided";

  CoordinationException(String message) {
    super(message, null, false, false);
  }
}
