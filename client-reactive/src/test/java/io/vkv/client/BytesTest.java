package io.vkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class BytesTest {
  @Test
  void prefixEndIncrementsTheLastByteBelowFf() {
    assertEquals(Bytes.of("a0"), Bytes.prefixEnd(Bytes.of("a/")));
    assertEquals(ByteString.copyFrom(new byte[] {'a', 'c'}),
        Bytes.prefixEnd(ByteString.copyFrom(new byte[] {'a', 'b', (byte) 0xff})));
    assertEquals(Bytes.ALL_FROM_KEY, Bytes.prefixEnd(ByteString.EMPTY));
    assertEquals(Bytes.ALL_FROM_KEY, Bytes.prefixEnd(ByteString.copyFrom(new byte[] {(byte) 0xff})));
  }

  @Test
  void endpointsParseLikeEtcdctls() {
    assertEquals(2379, Transport.parse("127.0.0.1:2379").port());
    assertEquals("localhost", Transport.parse("http://localhost:2379/").host());
    assertEquals("::1", Transport.parse("[::1]:2379").host());
    assertThrows(IllegalArgumentException.class, () -> Transport.parse("nohost"));
    assertThrows(IllegalArgumentException.class, () -> Transport.parse("h:99999"));
  }
}
