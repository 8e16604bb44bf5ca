package io.vkv.node.peer;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;

/** Length-prefixed frames on a peer connection: a 4-byte big-endian length, then that many bytes. */
public final class FrameCodec {
  /** Frames above this are a protocol error (a snapshot is sent in chunks well below it). */
  static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;

  static Buffer encode(Buffer payload) {
    return Buffer.buffer(4 + payload.length()).appendInt(payload.length()).appendBuffer(payload);
  }

  /** Appends one frame holding {@code payload} to {@code frames}; returns {@code frames}. */
  public static Buffer append(Buffer frames, byte[] payload) {
    return frames.appendInt(payload.length).appendBytes(payload);
  }

  /** A parser that calls {@code onFrame} with each complete frame's payload, and {@code onError} on a bad length. */
  public static RecordParser decoder(Handler<Buffer> onFrame, Handler<String> onError) {
    RecordParser parser = RecordParser.newFixed(4);
    boolean[] readingLength = {true};
    parser.handler(chunk -> {
      if (readingLength[0]) {
        int len = chunk.getInt(0);
        if (len < 0 || len > MAX_FRAME_BYTES) {
          onError.handle("peer frame of " + len + " bytes is out of bounds");
          return;
        }
        if (len == 0) {
          onFrame.handle(Buffer.buffer());
          return;
        }
        readingLength[0] = false;
        parser.fixedSizeMode(len);
      } else {
        readingLength[0] = true;
        parser.fixedSizeMode(4);
        onFrame.handle(chunk);
      }
    });
    return parser;
  }

  private FrameCodec() {}
}
