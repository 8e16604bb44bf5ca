package io.vkv.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link VkvClient} reaches the cluster. Mutable and fluent in the Vert.x options style; the client copies
 * what it needs at creation, so changing an options object later does not affect a running client.
 */
public final class VkvClientOptions {
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(25);
  public static final Duration DEFAULT_MAX_RETRY_BACKOFF = Duration.ofSeconds(1);
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  /** Large ranges come back in one message; etcd's own client accepts up to 2 GiB. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024;

  private final List<String> endpoints = new ArrayList<>();
  private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
  private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
  private Duration maxRetryBackoff = DEFAULT_MAX_RETRY_BACKOFF;
  private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
  private int connections = 1;
  private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  private String user;
  private String password;
  private java.nio.file.Path trustedCaFile;
  private java.nio.file.Path certFile;
  private java.nio.file.Path keyFile;
  private boolean insecureSkipTlsVerify;

  public VkvClientOptions() {
  }

  public VkvClientOptions(VkvClientOptions other) {
    endpoints.addAll(other.endpoints);
    callTimeout = other.callTimeout;
    connectTimeout = other.connectTimeout;
    retryBackoff = other.retryBackoff;
    maxRetryBackoff = other.maxRetryBackoff;
    maxAttempts = other.maxAttempts;
    connections = other.connections;
    maxMessageSize = other.maxMessageSize;
    user = other.user;
    password = other.password;
    trustedCaFile = other.trustedCaFile;
    certFile = other.certFile;
    keyFile = other.keyFile;
    insecureSkipTlsVerify = other.insecureSkipTlsVerify;
  }

  public List<String> getEndpoints() {
    return List.copyOf(endpoints);
  }

  /** Replaces the endpoints, each {@code host:port}, {@code http://host:port} or {@code https://host:port} (TLS). */
  public VkvClientOptions setEndpoints(List<String> endpoints) {
    this.endpoints.clear();
    endpoints.forEach(this::addEndpoint);
    return this;
  }

  public VkvClientOptions addEndpoint(String endpoint) {
    this.endpoints.add(Objects.requireNonNull(endpoint, "endpoint"));
    return this;
  }

  public Duration getCallTimeout() {
    return callTimeout;
  }

  /** The deadline of one call, retries included, also sent to the server as {@code grpc-timeout}; zero: none. */
  public VkvClientOptions setCallTimeout(Duration callTimeout) {
    if (callTimeout.isNegative()) throw new IllegalArgumentException("callTimeout must be >= 0");
    this.callTimeout = callTimeout;
    return this;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public VkvClientOptions setConnectTimeout(Duration connectTimeout) {
    if (connectTimeout.isNegative() || connectTimeout.isZero()) throw new IllegalArgumentException("connectTimeout must be > 0");
    this.connectTimeout = connectTimeout;
    return this;
  }

  public Duration getRetryBackoff() {
    return retryBackoff;
  }

  /** The first pause before retrying on the same endpoint set; doubles per attempt up to the maximum. */
  public VkvClientOptions setRetryBackoff(Duration retryBackoff) {
    if (retryBackoff.isNegative()) throw new IllegalArgumentException("retryBackoff must be >= 0");
    this.retryBackoff = retryBackoff;
    return this;
  }

  public Duration getMaxRetryBackoff() {
    return maxRetryBackoff;
  }

  public VkvClientOptions setMaxRetryBackoff(Duration maxRetryBackoff) {
    if (maxRetryBackoff.isNegative()) throw new IllegalArgumentException("maxRetryBackoff must be >= 0");
    this.maxRetryBackoff = maxRetryBackoff;
    return this;
  }

  public int getMaxAttempts() {
    return maxAttempts;
  }

  /** Attempts per call, the first included; 1 disables failover. */
  public VkvClientOptions setMaxAttempts(int maxAttempts) {
    if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
    this.maxAttempts = maxAttempts;
    return this;
  }

  public int getConnections() {
    return connections;
  }

  /** HTTP/2 connections per endpoint; calls are spread over them round-robin. */
  public VkvClientOptions setConnections(int connections) {
    if (connections < 1) throw new IllegalArgumentException("connections must be >= 1");
    this.connections = connections;
    return this;
  }

  public int getMaxMessageSize() {
    return maxMessageSize;
  }

  public VkvClientOptions setMaxMessageSize(int maxMessageSize) {
    if (maxMessageSize < 1) throw new IllegalArgumentException("maxMessageSize must be >= 1");
    this.maxMessageSize = maxMessageSize;
    return this;
  }

  public String getUser() {
    return user;
  }

  /**
   * The etcd user the client authenticates as (Auth.Authenticate) before its first call; its token goes with every
   * call and stream. Needs {@link #setPassword}; null: no authentication.
   */
  public VkvClientOptions setUser(String user) {
    if (user != null && user.isEmpty()) throw new IllegalArgumentException("user must not be empty");
    this.user = user;
    return this;
  }

  public String getPassword() {
    return password;
  }

  public VkvClientOptions setPassword(String password) {
    this.password = password;
    return this;
  }

  public java.nio.file.Path getTrustedCaFile() {
    return trustedCaFile;
  }

  /**
   * PEM file of the CA(s) the servers' certificates must chain to (etcdctl's {@code --cacert}); setting it turns TLS
   * on. Without it, an {@code https://} endpoint is checked against the JVM's default CAs.
   */
  public VkvClientOptions setTrustedCaFile(java.nio.file.Path trustedCaFile) {
    this.trustedCaFile = trustedCaFile;
    return this;
  }

  public java.nio.file.Path getCertFile() {
    return certFile;
  }

  /** PEM client certificate for servers that require one (etcdctl's {@code --cert}); needs {@link #setKeyFile}. */
  public VkvClientOptions setCertFile(java.nio.file.Path certFile) {
    this.certFile = certFile;
    return this;
  }

  public java.nio.file.Path getKeyFile() {
    return keyFile;
  }

  /** PEM private key of the client certificate (etcdctl's {@code --key}). */
  public VkvClientOptions setKeyFile(java.nio.file.Path keyFile) {
    this.keyFile = keyFile;
    return this;
  }

  public boolean isInsecureSkipTlsVerify() {
    return insecureSkipTlsVerify;
  }

  /**
   * Accept any server certificate, unchecked (etcdctl's {@code --insecure-skip-tls-verify}): the traffic is encrypted
   * but the server is not authenticated, so only for tests and self-signed ({@code --auto-tls}) servers. Does not
   * turn TLS on by itself; the trusted CA file, when also set, is then not consulted.
   */
  public VkvClientOptions setInsecureSkipTlsVerify(boolean insecureSkipTlsVerify) {
    this.insecureSkipTlsVerify = insecureSkipTlsVerify;
    return this;
  }

  /** Whether the client speaks TLS: an {@code https://} endpoint, a CA file or a client certificate. */
  public boolean isTls() {
    return trustedCaFile != null || certFile != null || endpoints.stream().anyMatch(e -> e.startsWith("https://"));
  }

  /** Settings that make sense only together; checked when a client is created from these options. */
  void validate() {
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("a client certificate needs both setCertFile and setKeyFile");
    }
    if (isTls() && endpoints.stream().anyMatch(e -> e.startsWith("http://"))) {
      throw new IllegalArgumentException("TLS is on but an endpoint is http://: use https:// (or host:port) for every endpoint");
    }
    if (user != null && password == null) {
      throw new IllegalArgumentException("user \"" + user + "\" has no password: set one with setPassword");
    }
    if (user == null && password != null) throw new IllegalArgumentException("a password without a user: set one with setUser");
  }
}
