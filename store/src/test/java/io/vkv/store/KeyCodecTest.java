package io.vkv.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyCodecTest {
  @Test
  void shortEncodingsKeepUnsignedOrderAndRoundTrip() {
    Random rnd = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      byte[] a = randomKey(rnd);
      byte[] b = randomKey(rnd);
      int expected = Integer.signum(Arrays.compareUnsigned(a, b));
      assertEquals(expected, Integer.signum(Arrays.compareUnsigned(KeyCodec.encode(a), KeyCodec.encode(b))),
          () -> Arrays.toString(a) + " vs " + Arrays.toString(b));
      byte[] enc = KeyCodec.encode(a);
      assertArrayEquals(a, KeyCodec.decodeShort(ByteBuffer.wrap(enc), 0, enc.length));
    }
  }

  @Test
  void longKeysFitLmdbAndTheirGroupSortsWhereItsKeysBelong() {
    byte[] longKey = new byte[5000];
    Arrays.fill(longKey, (byte) 0);
    byte[] enc = KeyCodec.encode(longKey);
    assertEquals(KeyCodec.MAX_ENCODED, enc.length);
    assertTrue(enc.length + Revisions.LENGTH <= 511);
    assertTrue(KeyCodec.isLong(ByteBuffer.wrap(enc), 0, enc.length));
    byte[] prefixOnly = Arrays.copyOf(longKey, KeyCodec.SHORT_MAX);
    byte[] after = Arrays.copyOf(longKey, KeyCodec.SHORT_MAX);
    after[KeyCodec.SHORT_MAX - 1] = 1;
    assertTrue(Arrays.compareUnsigned(KeyCodec.encode(prefixOnly), enc) < 0);
    assertTrue(Arrays.compareUnsigned(enc, KeyCodec.encode(after)) < 0);
  }

  private static byte[] randomKey(Random rnd) {
    byte[] k = new byte[rnd.nextInt(6)];
    for (int i = 0; i < k.length; i++) k[i] = (byte) (rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(256));
    return k;
  }
}
