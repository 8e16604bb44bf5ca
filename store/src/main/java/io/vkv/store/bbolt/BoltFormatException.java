package io.vkv.store.bbolt;

import java.io.IOException;

/** The file is not a bbolt database this reader understands, or it is damaged. */
public final class BoltFormatException extends IOException {
  public BoltFormatException(String message) {
    super(message);
  }
}
