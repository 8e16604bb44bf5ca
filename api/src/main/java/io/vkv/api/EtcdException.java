package io.vkv.api;

/** An {@link EtcdError} raised as an exception; the gRPC layer turns it into the matching status. */
public final class EtcdException extends RuntimeException {
  private final EtcdError error;

  public EtcdException(EtcdError error) {
    super(error.message(), null, false, false); // no stack: these are expected outcomes, not bugs
    this.error = error;
  }

  public EtcdError error() {
    return error;
  }
}
