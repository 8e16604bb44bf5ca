package io.vkv.store.etcdformat;

import io.vkv.store.bbolt.BoltBucket;
import io.vkv.store.bbolt.BoltReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * What {@code etcdctl snapshot status} reports of a snapshot file: a CRC-32C over every bucket name, key and value
 * (nested buckets contribute their key only), the main revision of the last key in {@code key}, the number of keys in
 * all buckets, and the file's size as bbolt counts it (every allocated page).
 */
public record SnapshotStatus(int hash, long revision, long totalKeys, long totalSize) {

  public static SnapshotStatus of(Path file) throws IOException {
    try (BoltReader r = BoltReader.open(file)) {
      CRC32C crc = new CRC32C();
      long[] keys = {0};
      long[] revision = {0};
      List<byte[]> buckets = new ArrayList<>();
      r.forEach(r.root(), (name, value, bucket) -> buckets.add(name));
      for (byte[] name : buckets) {
        crc.update(name);
        boolean keyBucket = new String(name, StandardCharsets.UTF_8).equals(EtcdBuckets.KEY);
        BoltBucket b = r.bucket(r.root(), name);
        r.forEach(b, (k, v, nested) -> {
          crc.update(k);
          if (!nested) crc.update(v);
          if (keyBucket && k.length >= 8) revision[0] = ByteBuffer.wrap(k).getLong(0);
          keys[0]++;
        });
      }
      return new SnapshotStatus((int) crc.getValue(), revision[0], keys[0], r.meta().size());
    }
  }
}
