package io.vkv.node.snapshot;

import java.io.IOException;

/** A snapshot that cannot be used, or a restore that must not go ahead; the message is for the operator. */
public final class SnapshotException extends IOException {
  public SnapshotException(String message) {
    super(message);
  }
}
