package io.vkv.wal;

/** An excerpt whose bytes do not form a whole, checksummed record (torn write or corruption). */
final class BadRecordException extends Exception {
  BadRecordException(String reason) {
    super(reason, null, false, false);
  }
}
