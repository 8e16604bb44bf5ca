package io.vkv.node.grpc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Headers;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Accepts an HTTP/2 {@code :authority} written as a URL ({@code http://127.0.0.1:2379}) by rewriting it to the
 * {@code host:port} it names, before Vert.x sees the request.
 *
 * <p>Why: {@code etcdctl endpoint status --cluster} dials every client URL that MemberList returns exactly as
 * given (gRPC target {@code passthrough:///http://127.0.0.1:2379}), so grpc-go sends that whole URL as
 * {@code :authority}. etcd's grpc-go server ignores the value. Vert.x 5 parses it as {@code host[:port]}
 * ({@code Http2ServerConnection.createStream}), gets nothing, treats the request as malformed
 * ({@code isMalformedRequest}: an authority was sent but did not parse) and resets the stream with PROTOCOL_ERROR
 * before any handler runs; no {@code HttpServerOptions} setting changes that.
 *
 * <p>Only that form is touched: {@code http://} or {@code https://} followed by a non-empty authority with no
 * path, query, fragment or user info. Anything else reaches Vert.x unchanged.
 */
final class UrlAuthority {
  private UrlAuthority() {
  }

  /**
   * Wraps the connection's HTTP/2 frame listener. Vert.x calls the connection handler while it reads the client's
   * first SETTINGS, after it installed its own listener and before it reads any HEADERS of that connection
   * (Vert.x internal API: without it nothing changes).
   */
  static void install(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase c)) return;
    Http2ConnectionHandler handler = c.channel().pipeline().get(Http2ConnectionHandler.class);
    if (handler == null) return; // HTTP/1.x connection
    Http2ConnectionDecoder decoder = handler.decoder();
    Http2FrameListener current = decoder.frameListener();
    if (current == null || current instanceof Rewriting) return;
    decoder.frameListener(new Rewriting(current));
  }

  /** The {@code host[:port]} that {@code authority} names when it is written as an http(s) URL, else null. */
  static String hostPort(CharSequence authority) {
    String s = authority.toString();
    int prefix;
    if (s.regionMatches(true, 0, "http://", 0, 7)) {
      prefix = 7;
    } else if (s.regionMatches(true, 0, "https://", 0, 8)) {
      prefix = 8;
    } else {
      return null;
    }
    String rest = s.substring(prefix);
    if (rest.isEmpty()) return null;
    for (int i = 0; i < rest.length(); i++) {
      char ch = rest.charAt(i);
      if (ch == '/' || ch == '?' || ch == '#' || ch == '@') return null;
    }
    return rest;
  }

  private static void rewrite(Http2Headers headers) {
    CharSequence authority = headers.authority();
    if (authority == null) return;
    String hostPort = hostPort(authority);
    if (hostPort != null) headers.authority(hostPort);
  }

  private static final class Rewriting extends Http2FrameListenerDecorator {
    Rewriting(Http2FrameListener listener) {
      super(listener);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
        boolean endStream) throws Http2Exception {
      rewrite(headers);
      super.onHeadersRead(ctx, streamId, headers, padding, endStream);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
        short weight, boolean exclusive, int padding, boolean endStream) throws Http2Exception {
      rewrite(headers);
      super.onHeadersRead(ctx, streamId, headers, streamDependency, weight, exclusive, padding, endStream);
    }
  }
}
