package io.vkv.node.peer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vkv.node.tls.TlsContext;
import java.net.URI;

/**
 * The TCP clients a member dials other members with: plain text for http peer URLs, TLS for https ones (presenting
 * this member's peer certificate and checking theirs). An https URL is never dialled in plain text.
 */
public final class PeerClients {
  private final Vertx vertx;
  private final NetClientOptions base;
  private final TlsContext tls;
  private NetClient plain;
  private NetClient secure;

  /** @param tls this member's peer TLS, or null (https peers are then checked against the JVM's CAs, no client cert) */
  public PeerClients(Vertx vertx, NetClientOptions base, TlsContext tls) {
    this.vertx = vertx;
    this.base = base;
    this.tls = tls;
  }

  /** The client for a peer URL; created on first use. */
  public synchronized NetClient forUrl(URI url) {
    if ("https".equals(url.getScheme())) {
      if (secure == null) {
        NetClientOptions o = new NetClientOptions(base);
        if (tls != null) {
          tls.client(o);
        } else {
          o.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
        }
        secure = vertx.createNetClient(o);
      }
      return secure;
    }
    if (plain == null) plain = vertx.createNetClient(base);
    return plain;
  }

  public synchronized Future<Void> close() {
    Future<Void> a = plain == null ? Future.succeededFuture() : plain.close();
    Future<Void> b = secure == null ? Future.succeededFuture() : secure.close();
    return Future.all(a, b).mapEmpty();
  }
}
