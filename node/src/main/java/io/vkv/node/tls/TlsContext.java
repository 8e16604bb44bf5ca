package io.vkv.node.tls;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.TrustOptions;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One side's TLS, ready to use: the member's certificate (reloaded from disk when renewed), whom it trusts, and how
 * to put both on a Vert.x server or client. Built once at start; a configuration that cannot work fails here with
 * a message that names the flag or file.
 */
public final class TlsContext {
  private static final Logger LOG = Logger.getLogger(TlsContext.class.getName());
  private final TlsSettings settings;
  private final ReloadingKeyManager keys;
  /** null: the JVM's default CAs (server side: no client certificates asked for). */
  private final X509ExtendedTrustManager trust;
  /** Auto TLS peers accept each other's self-signed certificates (etcd's InsecureSkipVerify for them). */
  private final boolean trustAllServers;

  /** The handshake's certificate checks may look names up in DNS: run them on a worker thread, not the event loop. */
  private final boolean blockingChecks;

  private TlsContext(TlsSettings settings, ReloadingKeyManager keys, X509ExtendedTrustManager trust, boolean trustAllServers,
                     boolean blockingChecks) {
    this.settings = settings;
    this.keys = keys;
    this.trust = trust;
    this.trustAllServers = trustAllServers;
    this.blockingChecks = blockingChecks;
  }

  /**
   * @param role  "client" or "peer": names the flags in errors and the auto TLS directory
   * @param urls  the listen URLs of that side: https means TLS; their hosts go into an auto TLS certificate
   * @return null when the URLs are http and nothing TLS was asked for
   */
  public static TlsContext create(String role, TlsSettings settings, Collection<URI> urls, Path dataDir) {
    String prefix = role.equals("peer") ? "--peer-" : "--";
    boolean https = urls.stream().anyMatch(u -> "https".equals(u.getScheme()));
    boolean http = urls.stream().anyMatch(u -> "http".equals(u.getScheme()));
    if (!https) {
      if (settings.hasCertificate() && !urls.isEmpty()) {
        // etcd serves plain text on http URLs even with certificates (and warns); vkv refuses the ambiguity
        throw new TlsConfigException(prefix + (settings.autoTls() ? "auto-tls" : "cert-file") + " is set but the listen "
            + role + " URLs are http: use https:// URLs to serve TLS");
      }
      if (settings.clientCertAuth()) {
        throw new TlsConfigException(prefix + "client-cert-auth needs https:// listen " + role + " URLs");
      }
      return null;
    }
    if (http) throw new TlsConfigException("the listen " + role + " URLs mix http and https; vkv serves one or the other");
    Path cert = settings.certFile();
    Path key = settings.keyFile();
    boolean selfSigned = false;
    if (cert == null) {
      if (!settings.autoTls()) {
        throw new TlsConfigException("https listen " + role + " URLs need " + prefix + "cert-file and " + prefix
            + "key-file, or " + prefix + "auto-tls");
      }
      Set<String> hosts = new LinkedHashSet<>();
      for (URI u : urls) hosts.add(u.getHost().replace("[", "").replace("]", ""));
      hosts.add("localhost");
      Path[] pair = SelfSignedCerts.ensure(dataDir.resolve("fixtures").resolve(role), hosts);
      cert = pair[0];
      key = pair[1];
      selfSigned = true;
      LOG.warning(() -> "TLS (" + role + "): serving a self-signed certificate (" + prefix + "auto-tls); clients cannot "
          + "verify it");
    } else if (settings.autoTls()) {
      LOG.warning(() -> "TLS (" + role + "): ignoring " + prefix + "auto-tls since certs given");
    }
    if (settings.clientCertAuth() && settings.trustedCaFile() == null) {
      throw new TlsConfigException(prefix + "client-cert-auth needs " + prefix + "trusted-ca-file (the CA that signs "
          + "the " + (role.equals("peer") ? "members'" : "clients'") + " certificates)");
    }
    String crlFlag = "--" + role + "-crl-file";
    String hostnameFlag = "--" + role + "-cert-allowed-hostname";
    // without client certificates there is nothing for these to check: refuse rather than check nothing
    String needsClientCerts = " needs " + prefix + "client-cert-auth (without it no client certificate is asked for)";
    if (settings.allowedCn() != null && !settings.clientCertAuth()) throw new TlsConfigException(prefix + "cert-allowed-cn" + needsClientCerts);
    if (settings.allowedHostname() != null && !settings.clientCertAuth()) throw new TlsConfigException(hostnameFlag + needsClientCerts);
    if (settings.crlFile() != null && !settings.clientCertAuth()) throw new TlsConfigException(crlFlag + needsClientCerts);
    if (settings.allowedCn() != null && settings.allowedHostname() != null) {
      throw new TlsConfigException(prefix + "cert-allowed-cn and " + hostnameFlag + " are mutually exclusive (cn='"
          + settings.allowedCn() + "', hostname='" + settings.allowedHostname() + "')");
    }
    ReloadingKeyManager keys = new ReloadingKeyManager(cert, key);
    X509ExtendedTrustManager trust = settings.trustedCaFile() == null ? null : TrustManagers.fromCaFile(settings.trustedCaFile());
    boolean peer = role.equals("peer");
    boolean checkPeerAddress = peer && settings.clientCertAuth() && !settings.skipClientSanVerify();
    if (trust != null) {
      List<CheckingTrustManager.ChainCheck> clientChecks = new ArrayList<>();
      List<CheckingTrustManager.ChainCheck> serverChecks = new ArrayList<>();
      if (settings.crlFile() != null) {
        RevocationList crl = RevocationList.load(crlFlag, settings.crlFile());
        clientChecks.add(ChainChecks.notRevoked(crl));
        // a member dialling another checks the other's certificate too, so a revoked member is cut off both ways
        if (peer) serverChecks.add(ChainChecks.notRevoked(crl));
      }
      if (settings.allowedCn() != null) clientChecks.add(ChainChecks.allowedCn(prefix + "cert-allowed-cn", settings.allowedCn()));
      if (settings.allowedHostname() != null) {
        clientChecks.add(ChainChecks.allowedHostname(hostnameFlag, settings.allowedHostname()));
      }
      if (checkPeerAddress) clientChecks.add(ChainChecks.sanMatchesAddress());
      if (!clientChecks.isEmpty() || !serverChecks.isEmpty()) trust = new CheckingTrustManager(trust, clientChecks, serverChecks);
    }
    return new TlsContext(settings, keys, trust, selfSigned && trust == null, checkPeerAddress);
  }

  /** TLS on a server (the client port's HTTP server, or the peer port's TCP server). */
  public <T extends NetServerOptions> T server(T options, boolean alpnH2) {
    options.setSsl(true);
    options.setKeyCertOptions(KeyCertOptions.wrap(keys));
    if (trust != null) options.setTrustOptions(TrustOptions.wrap(trust));
    options.setClientAuth(settings.clientCertAuth() ? ClientAuth.REQUIRED : ClientAuth.NONE);
    protocolsAndSuites(options);
    if (blockingChecks) options.setSslEngineOptions(new JdkSSLEngineOptions().setUseWorkerThread(true));
    if (alpnH2) options.setUseAlpn(true);
    return options;
  }

  /** TLS on a peer client: presents this member's certificate and checks the other member's against the CA. */
  public NetClientOptions client(NetClientOptions options) {
    options.setSsl(true);
    options.setKeyCertOptions(KeyCertOptions.wrap(keys));
    if (trustAllServers) {
      options.setTrustAll(true);
      options.setHostnameVerificationAlgorithm("");
    } else {
      if (trust != null) options.setTrustOptions(TrustOptions.wrap(trust));
      // the other member's certificate must name the host of its peer URL, as Go's client checks
      options.setHostnameVerificationAlgorithm("HTTPS");
    }
    options.setEnabledSecureTransportProtocols(settings.protocols());
    for (String s : suites()) options.addEnabledCipherSuite(s);
    return options;
  }

  private void protocolsAndSuites(NetServerOptions options) {
    options.setEnabledSecureTransportProtocols(settings.protocols());
    for (String s : suites()) options.addEnabledCipherSuite(s);
  }

  private Set<String> suites() {
    Set<String> out = new LinkedHashSet<>(settings.cipherSuites());
    if (!out.isEmpty() && settings.protocols().contains("TLSv1.3")) out.addAll(CipherSuites.TLS13);
    return out;
  }

  /** The certificate handshakes present now (after a renewal, the new one). */
  public X509Certificate currentCertificate() {
    return keys.current().leaf();
  }

  public TlsSettings settings() {
    return settings;
  }
}
