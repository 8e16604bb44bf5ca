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
  PEER_URL_EXIST(GrpcStatus.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists"),
  MEMBER_NOT_ENOUGH_STARTED(GrpcStatus.FAILED_PRECONDITION,
      "etcdserver: re-configuration failed due to not enough started members"),
  MEMBER_BAD_URLS(GrpcStatus.INVALID_ARGUMENT, "etcdserver: given member URLs are invalid"),
  MEMBER_NOT_LEARNER(GrpcStatus.FAILED_PRECONDITION, "etcdserver: can only promote a learner member"),
  LEARNER_NOT_READY(GrpcStatus.FAILED_PRECONDITION,
      "etcdserver: can only promote a learner member which is in sync with leader"),
  TOO_MANY_LEARNERS(GrpcStatus.FAILED_PRECONDITION, "etcdserver: too many learner members in cluster"),
  UNHEALTHY(GrpcStatus.UNAVAILABLE, "etcdserver: unhealthy cluster"),
  NOT_SUPPORTED_FOR_LEARNER(GrpcStatus.UNAVAILABLE, "etcdserver: rpc not supported for learner"),
  // vkv's own: etcd queues a second change behind the first; vkv refuses it while one is being applied
  MEMBERSHIP_CHANGE_PENDING(GrpcStatus.UNAVAILABLE,
      "etcdserver: another membership change is in progress, retry when it is applied"),
  REQUEST_TOO_LARGE(GrpcStatus.INVALID_ARGUMENT, "etcdserver: request is too large"),
  NO_LEADER(GrpcStatus.UNAVAILABLE, "etcdserver: no leader"),
  NOT_LEADER(GrpcStatus.FAILED_PRECONDITION, "etcdserver: not leader"),
  BAD_LEADER_TRANSFEREE(GrpcStatus.FAILED_PRECONDITION, "etcdserver: bad leader transferee"),
  TIMEOUT_LEADER_TRANSFER(GrpcStatus.UNAVAILABLE, "etcdserver: request timed out, leader transfer took too long"),
  LEADER_CHANGED(GrpcStatus.UNAVAILABLE, "etcdserver: leader changed"),
  STOPPED(GrpcStatus.UNAVAILABLE, "etcdserver: server stopped"),
  TIMEOUT(GrpcStatus.UNAVAILABLE, "etcdserver: request timed out"),
  TOO_MANY_REQUESTS(GrpcStatus.RESOURCE_EXHAUSTED, "etcdserver: too many requests"),
  CORRUPT(GrpcStatus.DATA_LOSS, "etcdserver: corrupt cluster"),
  ROOT_USER_NOT_EXIST(GrpcStatus.FAILED_PRECONDITION, "etcdserver: root user does not exist"),
  ROOT_ROLE_NOT_EXIST(GrpcStatus.FAILED_PRECONDITION, "etcdserver: root user does not have root role"),
  USER_ALREADY_EXIST(GrpcStatus.FAILED_PRECONDITION, "etcdserver: user name already exists"),
  USER_EMPTY(GrpcStatus.INVALID_ARGUMENT, "etcdserver: user name is empty"),
  USER_NOT_FOUND(GrpcStatus.FAILED_PRECONDITION, "etcdserver: user name not found"),
  ROLE_ALREADY_EXIST(GrpcStatus.FAILED_PRECONDITION, "etcdserver: role name already exists"),
  ROLE_NOT_FOUND(GrpcStatus.FAILED_PRECONDITION, "etcdserver: role name not found"),
  ROLE_EMPTY(GrpcStatus.INVALID_ARGUMENT, "etcdserver: role name is empty"),
  AUTH_FAILED(GrpcStatus.INVALID_ARGUMENT, "etcdserver: authentication failed, invalid user ID or password"),
  PERMISSION_DENIED(GrpcStatus.PERMISSION_DENIED, "etcdserver: permission denied"),
  ROLE_NOT_GRANTED(GrpcStatus.FAILED_PRECONDITION, "etcdserver: role is not granted to the user"),
  PERMISSION_NOT_GRANTED(GrpcStatus.FAILED_PRECONDITION, "etcdserver: permission is not granted to the role"),
  AUTH_NOT_ENABLED(GrpcStatus.FAILED_PRECONDITION, "etcdserver: authentication is not enabled"),
  INVALID_AUTH_TOKEN(GrpcStatus.UNAUTHENTICATED, "etcdserver: invalid auth token"),
  INVALID_AUTH_MGMT(GrpcStatus.INVALID_ARGUMENT, "etcdserver: invalid auth management"),
  AUTH_OLD_REVISION(GrpcStatus.INVALID_ARGUMENT, "etcdserver: revision of auth store is old");

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
