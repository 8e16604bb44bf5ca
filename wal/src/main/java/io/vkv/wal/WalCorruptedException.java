package io.vkv.wal;

/**
 * The log holds a damaged record that is not a torn tail: valid records follow it, so dropping it would lose
 * acknowledged data. The message names the file and offset; the member must be restored from a peer or a backup.
 */
public final class WalCorruptedException extends RuntimeException {
  public WalCorruptedException(String message) {
    super(message);
  }

  public WalCorruptedException(String message, Throwable cause) {
    super(message, cause);
  }
}
