package io.vkv.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The endpoints and the HTTP/2 channels to them. Each channel is its own gRPC client whose pool holds one connection
 * per endpoint, so {@code connections} channels give exactly that many connections per endpoint.
 * Safe to use from any thread: selection is a lock-free round-robin.
 */
final class Transport {
  /** One server address plus when it may be tried again after a connection failure. */
  static final class Endpoint {
    final String name;
    final SocketAddress address;
    volatile long downUntilNanos;

    Endpoint(String name, SocketAddress address) {
      this.name = name;
      this.address = address;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private final Vertx vertx;
  private final List<Endpoint> endpoints;
  private final GrpcClient[] channels;
  private final AtomicInteger nextEndpoint = new AtomicInteger();
  private final AtomicInteger nextChannel = new AtomicInteger();

  Transport(Vertx vertx, VkvClientOptions options) {
    this.vertx = vertx;
    if (options.getEndpoints().isEmpty()) throw new IllegalArgumentException("no endpoints");
    List<Endpoint> eps = new ArrayList<>();
    for (String e : options.getEndpoints()) eps.add(new Endpoint(e, parse(e)));
    this.endpoints = List.copyOf(eps);
    this.channels = new GrpcClient[options.getConnections()];
    GrpcClientOptions grpc = new GrpcClientOptions().setMaxMessageSize(options.getMaxMessageSize());
    HttpClientOptions http = new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.getConnectTimeout().toMillis()))
        .setTcpNoDelay(true)
        // a bigger window lets large range responses stream without waiting for window updates
        .setHttp2ConnectionWindowSize(4 * 1024 * 1024);
    if (options.isTls()) {
      // gRPC over TLS: HTTP/2 negotiated through ALPN; the server's certificate must name the endpoint's host
      http.setSsl(true).setUseAlpn(true).setVerifyHost(true);
      if (options.isInsecureSkipTlsVerify()) {
        http.setTrustAll(true).setVerifyHost(false);
      } else if (options.getTrustedCaFile() != null) {
        http.setTrustOptions(new PemTrustOptions().addCertPath(options.getTrustedCaFile().toString()));
      }
      if (options.getCertFile() != null) {
        http.setKeyCertOptions(new PemKeyCertOptions().setCertPath(options.getCertFile().toString())
            .setKeyPath(options.getKeyFile().toString()));
      }
    }
    for (int i = 0; i < channels.length; i++) {
      channels[i] = GrpcClient.builder(vertx).with(grpc).with(new HttpClientOptions(http)).build();
    }
  }

  /** Parses {@code host:port}, {@code [v6]:port} or {@code http://host:port}. */
  static SocketAddress parse(String endpoint) {
    String s = endpoint.trim();
    int scheme = s.indexOf("://");
    if (scheme >= 0) s = s.substring(scheme + 3);
    if (s.endsWith("/")) s = s.substring(0, s.length() - 1);
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) throw new IllegalArgumentException("endpoint must be host:port: " + endpoint);
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("endpoint must be host:port: " + endpoint);
    }
    if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + endpoint);
    return SocketAddress.inetSocketAddress(port, host);
  }

  Vertx vertx() {
    return vertx;
  }

  int endpointCount() {
    return endpoints.size();
  }

  Endpoint endpoint(String name) {
    for (Endpoint e : endpoints) if (e.name.equals(name)) return e;
    throw new IllegalArgumentException("unknown endpoint " + name);
  }

  /**
   * The next endpoint in round-robin order that is not marked down and is not {@code avoid} (the one that just
   * failed); when every endpoint is down, the plain round-robin choice, so that a recovered cluster is found again.
   */
  Endpoint pick(Endpoint avoid) {
    int n = endpoints.size();
    int start = nextEndpoint.getAndIncrement();
    if (n == 1) return endpoints.get(0);
    long now = System.nanoTime();
    for (int i = 0; i < n; i++) {
      Endpoint e = endpoints.get(Math.floorMod(start + i, n));
      if (e != avoid && e.downUntilNanos - now <= 0) return e;
    }
    for (int i = 0; i < n; i++) {
      Endpoint e = endpoints.get(Math.floorMod(start + i, n));
      if (e != avoid) return e;
    }
    return endpoints.get(Math.floorMod(start, n));
  }

  GrpcClient channel() {
    return channels.length == 1 ? channels[0] : channels[Math.floorMod(nextChannel.getAndIncrement(), channels.length)];
  }

  void markDown(Endpoint e, long forNanos) {
    e.downUntilNanos = System.nanoTime() + forNanos;
  }

  Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    for (GrpcClient c : channels) closing.add(c.close());
    return Future.join(closing).mapEmpty();
  }
}
