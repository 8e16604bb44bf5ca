package io.vkv.api;

import io.vertx.grpc.common.GrpcStatus;

/**
 * The errors etcd returns to clients, with etcd's gRPC status codes and exact messages:
 * client libraries match on the message text, so these strings are part of the wire contract.
 */
public enum EtcdError {
  EMPTY_KEY(GrpcStatus.INVALID_ARGUMENT, "etcdserver: key is not provided"),
  KEY_NOT_FOUND(GrpcStatus.INVALID_ARGUMENT, "etcdserver: key not found"),
  VALUE_PROVIDED(GrpcStatus.INVALID_ARGUMENT, "etcdserver: value is provided"),
  LEASE_PROVIDED(GrpcStatus.INVALID_ARGUMENT, "etcdserver: lease is provided"),
  TOO_MANY_OPS(GrpcStatus.INVALID_ARGUMENT, "etcdserver: too many operations in txn request"),
  DUPLICATE_KEY(GrpcStatus.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request"),
  COMPACTED(GrpcStatus.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted"),
  FUTURE_REV(GrpcStatus.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision"),
  NO_SPACE(GrpcStatus.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded"),
  LEASE_NOT_FOUND(GrpcStatus.NOT_FOUND, "etcdserver: requested lease not found"),
  LEASE_EXIST(GrpcStatus.FAILED_PRECONDITION, "etcdserver: lease already exists"),
  LEASE_TTL_TOO_LARGE(GrpcStatus.OUT_OF_RANGE, "etcdserver: too large lease TTL"),
  MEMBER_NOT_FOUND(GrpcStatus.NOT_FOUND, "etcdserver: member not found"),
  REQUEST_TOO_LARGE(GrpcStatus.INVALID_ARGUMENT, "etcdserver: request is too large"),
  NO_LEADER(GrpcStatus.UNAVAILABLE, "etcdserver: no leader"),
  NOT_LEADER(GrpcStatus.FAILED_PRECONDITION, "etcdserver: not leader"),
  BAD_LEADER_TRANSFEREE(GrpcStatus.FAILED_PRECONDITION, "etcdserver: bad leader transferee"),
  TIMEOUT_LEADER_TRANSFER(GrpcStatus.UNAVAILABLE, "etcdserver: request timed out, leader transfer took too long"),
  LEADER_CHANGED(GrpcStatus.UNAVAILABLE, "etcdserver: leader changed"),
  STOPPED(GrpcStatus.UNAVAILABLE, "etcdserver: server stopped"),
  TIMEOUT(GrpcStatus.UNAVAILABLE, "etcdserver: request timed out"),
  TOO_MANY_REQUESTS(GrpcStatus.RESOURCE_EXHAUSTED, "etcdserver: too many requests"),
  CORRUPT(GrpcStatus.DATA_LOSS, "etcdserver: corrupt cluster");

  private final GrpcStatus status;
  private final String message;

  EtcdError(GrpcStatus status, String message) {
    this.status = status;
    this.message = message;
  }

  public GrpcStatus status() {
    return status;
  }

  public String message() {
    return message;
  }

  /** A throwable carrying this error, for code paths that report failure by exception. */
  public EtcdException exception() {
    return new EtcdException(this);
  }
}
