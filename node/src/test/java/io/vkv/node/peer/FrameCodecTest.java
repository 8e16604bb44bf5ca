package io.vkv.node.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Several frames written as one buffer (a Ready's messages to one member) read back as the same frames. */
class FrameCodecTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> decode(Buffer wire, int chunk) {
    List<String> frames = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    RecordParser parser = FrameCodec.decoder(b -> frames.add(b.toString(StandardCharsets.UTF_8)), errors::add);
    for (int i = 0; i < wire.length(); i += chunk) parser.handle(wire.getBuffer(i, Math.min(wire.length(), i + chunk)));
    assertEquals(List.of(), errors);
    return frames;
  }

  @Test
  void framesAppendedToOneBufferDecodeInOrderHoweverTheBytesArrive() {
    Buffer wire = Buffer.buffer();
    FrameCodec.append(wire, bytes("first"));
    FrameCodec.append(wire, new byte[0]);
    FrameCodec.append(wire, bytes("third, a longer one"));
    assertEquals(4 + 5 + 4 + 4 + 19, wire.length());
    for (int chunk : new int[] {1, 3, 7, wire.length()}) {
      assertEquals(List.of("first", "", "third, a longer one"), decode(wire, chunk), "chunks of " + chunk);
    }
  }

  @Test
  void appendWritesWhatEncodeWrites() {
    Buffer appended = FrameCodec.append(Buffer.buffer(), bytes("payload"));
    assertEquals(FrameCodec.encode(Buffer.buffer("payload")), appended);
  }
}
