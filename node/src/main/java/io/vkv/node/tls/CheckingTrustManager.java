package io.vkv.node.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A CA trust manager with etcd's further checks on top: a chain the CA accepts must also pass each check (allowed
 * CN or hostname, CRL, peer address) or the handshake fails. Client chains (what a server is shown) and server
 * chains (what a peer client is shown) have their own lists.
 */
public final class CheckingTrustManager extends X509ExtendedTrustManager {
  private static final Logger LOG = Logger.getLogger(CheckingTrustManager.class.getName());
  private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;
  /** One check of a chain the CA accepted; throws to refuse it. */
  @FunctionalInterface
  public interface ChainCheck {
    /** @param peerHost the other end's address as the TLS engine knows it, or null */
    void check(X509Certificate[] chain, String peerHost) throws CertificateException;
  }

  private final X509ExtendedTrustManager delegate;
  private final List<ChainCheck> clientChecks;
  private final List<ChainCheck> serverChecks;
  private final AtomicLong nextLog = new AtomicLong(System.nanoTime());
  private final AtomicLong suppressed = new AtomicLong();

  public CheckingTrustManager(X509ExtendedTrustManager delegate, List<ChainCheck> clientChecks, List<ChainCheck> serverChecks) {
    this.delegate = delegate;
    this.clientChecks = List.copyOf(clientChecks);
    this.serverChecks = List.copyOf(serverChecks);
  }

  private void run(List<ChainCheck> checks, X509Certificate[] chain, String peerHost) throws CertificateException {
    if (checks.isEmpty()) return;
    try {
      if (chain == null || chain.length == 0) throw new CertificateException("no certificate presented");
      for (ChainCheck c : checks) c.check(chain, peerHost);
    } catch (CertificateException e) {
      logRefusal(peerHost, e);
      throw e;
    }
  }

  /** The other end only sees a failed handshake: say why here, at most every few seconds (a refused member retries). */
  private void logRefusal(String peerHost, CertificateException e) {
    long now = System.nanoTime();
    long next = nextLog.get();
    if (now - next < 0 || !nextLog.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
      suppressed.incrementAndGet();
      return;
    }
    long more = suppressed.getAndSet(0);
    LOG.warning(() -> "TLS: refused the certificate of " + (peerHost == null ? "a connection" : peerHost) + ": "
        + e.getMessage() + (more > 0 ? " (and " + more + " refusals not logged)" : ""));
  }

  private static String host(Socket socket) {
    return socket == null || socket.getInetAddress() == null ? null : socket.getInetAddress().getHostAddress();
  }

  private static String host(SSLEngine engine) {
    return engine == null ? null : engine.getPeerHost();
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    delegate.checkClientTrusted(chain, authType, socket);
    run(clientChecks, chain, host(socket));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    delegate.checkClientTrusted(chain, authType, engine);
    run(clientChecks, chain, host(engine));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
    run(clientChecks, chain, null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    delegate.checkServerTrusted(chain, authType, socket);
    run(serverChecks, chain, host(socket));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    delegate.checkServerTrusted(chain, authType, engine);
    run(serverChecks, chain, host(engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
    run(serverChecks, chain, null);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
