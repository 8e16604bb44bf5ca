package io.vkv.bench;

import com.google.protobuf.ByteString;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fixed-size keys: the key number in zero-padded decimal, so that keys sort by number and are readable with
 * etcdctl. Sequential keys cycle through the key space; random keys are drawn uniformly from it.
 */
final class Keys {
  private final int size;
  private final long space;
  private final boolean sequential;

  Keys(int size, long space, boolean sequential) {
    if (size < 1) throw new IllegalArgumentException("--key-size must be >= 1");
    if (space < 1) throw new IllegalArgumentException("--key-space-size must be >= 1");
    if (size < 19 && space - 1 >= pow10(size)) {
      throw new IllegalArgumentException("--key-size " + size + " is too small for --key-space-size " + space);
    }
    this.size = size;
    this.space = space;
    this.sequential = sequential;
  }

  private static long pow10(int n) {
    long p = 1;
    for (int i = 0; i < n; i++) p *= 10;
    return p;
  }

  ByteString forOp(long op) {
    return encode(sequential ? op % space : ThreadLocalRandom.current().nextLong(space));
  }

  ByteString encode(long n) {
    byte[] k = new byte[size];
    for (int i = size - 1; i >= 0; i--) {
      k[i] = (byte) ('0' + (n % 10));
      n /= 10;
    }
    return ByteString.copyFrom(k);
  }

  /** A value of {@code size} random printable bytes, shared by every request (as etcd's benchmark does). */
  static ByteString value(int size) {
    byte[] v = new byte[size];
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < size; i++) v[i] = (byte) ('a' + r.nextInt(26));
    return ByteString.copyFrom(v);
  }
}
