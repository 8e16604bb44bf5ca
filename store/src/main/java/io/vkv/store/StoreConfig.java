package io.vkv.store;

import java.nio.file.Path;

/**
 * Where the store lives and how large it may grow.
 *
 * @param dir the LMDB environment directory (created if missing)
 * @param quotaBytes etcd's --quota-backend-bytes; puts fail with NO_SPACE once the file exceeds it (<= 0: 2 GiB)
 */
public record StoreConfig(Path dir, long quotaBytes) {
  static final long DEFAULT_QUOTA = 2L << 30;

  long effectiveQuota() {
    return quotaBytes > 0 ? quotaBytes : DEFAULT_QUOTA;
  }
}
