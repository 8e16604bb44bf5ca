package io.vkv.operator.backend.kubernetes;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vkv.operator.cluster.ClusterAccess;
import io.vkv.operator.tls.ClusterCa;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Secrets of one cluster as the operator uses them: with {@code autoTls} it issues the missing TLS Secrets from
 * the cluster's CA (itself kept in a Secret, so a restarted operator signs with the same CA), owned by the VkvCluster
 * and never issued again once present; it checks that every Secret the spec names has its keys; and it reads what it
 * needs to dial the members (the client side's CA, its pair when members require client certificates, root's
 * password). The operator's TLS client reads PEM files, so what it reads is written under {@code workDir}, in a
 * directory named by the content's digest: a Secret that changes gives a new {@link ClusterAccess}, hence a new
 * connection.
 */
final class ClusterSecrets {
  /** The key of {@code spec.auth.rootPasswordSecret} that holds root's password. */
  static final String PASSWORD_KEY = "password";
  private static final String TLS_TYPE = "kubernetes.io/tls";

  private final KubernetesClient client;
  private final Owner owner;
  private final MemberAddresses addresses;
  private final TlsSecrets tls;
  private final Path workDir;

  ClusterSecrets(KubernetesClient client, Owner owner, TlsSecrets tls, Path workDir) {
    this.client = client;
    this.owner = owner;
    this.addresses = new MemberAddresses(owner.name(), owner.namespace(), tls.clientTls(), tls.peerTls());
    this.tls = tls;
    this.workDir = workDir.resolve(owner.namespace()).resolve(owner.name() + "-" + owner.uid());
  }

  /** Issues the autoTls Secrets that are missing; a Secret already there is kept as it is. */
  void issueMissing(boolean clientAuto, boolean peerAuto) throws IOException {
    boolean client = clientAuto && get(tls.client()) == null;
    boolean peer = peerAuto && get(tls.peer()) == null;
    if (!client && !peer) return;
    ClusterCa ca = clusterCa();
    if (client) issue(ca, tls.client(), owner.name() + "-client");
    if (peer) issue(ca, tls.peer(), owner.name() + "-peer");
  }

  /** Fails, naming the Secret and the key, unless each TLS Secret the members mount has its three keys. */
  void checkTls() throws IOException {
    if (tls.clientTls()) required(tls.client(), TlsSecrets.KEYS);
    if (tls.peerTls()) required(tls.peer(), TlsSecrets.KEYS);
  }

  /**
   * How the operator dials the members: trusting the client Secret's CA, presenting that Secret's own pair when
   * members require client certificates, as root with the password from {@code passwordSecret} (null: no auth).
   */
  ClusterAccess access(String passwordSecret) throws IOException {
    String password = null;
    if (passwordSecret != null) {
      password = new String(required(passwordSecret, List.of(PASSWORD_KEY)).get(PASSWORD_KEY), StandardCharsets.UTF_8).strip();
      if (password.isEmpty()) throw new IOException("Secret " + where(passwordSecret) + ": key " + PASSWORD_KEY + " is empty");
    }
    String user = passwordSecret == null ? null : "root";
    if (!tls.clientTls()) return new ClusterAccess(null, null, null, user, password);
    Map<String, byte[]> data = required(tls.client(), TlsSecrets.KEYS);
    Path dir = materialize("client", data);
    return tls.clientCertAuth()
        ? new ClusterAccess(dir.resolve("ca.crt"), dir.resolve("tls.crt"), dir.resolve("tls.key"), user, password)
        : new ClusterAccess(dir.resolve("ca.crt"), null, null, user, password);
  }

  /** The CA from its Secret, made and stored first when there is none (a race with another writer: theirs wins). */
  private ClusterCa clusterCa() throws IOException {
    String name = TlsSecrets.caSecret(owner.name());
    Secret stored = get(name);
    if (stored == null) {
      Path fresh = Files.createTempDirectory(ensureDir(workDir), "ca-");
      ClusterCa.ensure(fresh, owner.name());
      Secret made = new SecretBuilder().withNewMetadata().withName(name).withNamespace(owner.namespace())
          .withLabels(Labels.cluster(owner.name())).withOwnerReferences(owner.reference()).endMetadata()
          .withType("Opaque").withData(encode(Map.of("ca.crt", Files.readAllBytes(fresh.resolve("ca.crt")),
              "ca.key", Files.readAllBytes(fresh.resolve("ca.key"))))).build();
      SecretFiles.deleteTree(fresh);
      createOrKeep(made);
      stored = get(name);
    }
    Map<String, byte[]> data = decode(stored, name);
    for (String key : List.of("ca.crt", "ca.key")) {
      if (!data.containsKey(key)) throw new IOException("Secret " + where(name) + " has no key " + key);
    }
    return ClusterCa.ensure(materialize("ca", data), owner.name());
  }

  private void issue(ClusterCa ca, String secret, String cn) throws IOException {
    Path dir = Files.createTempDirectory(ensureDir(workDir), "issue-");
    ClusterCa.Issued own = ca.issue(dir.resolve("tls.crt"), dir.resolve("tls.key"), cn, addresses.certificateHosts());
    Map<String, byte[]> data = new LinkedHashMap<>();
    data.put("tls.crt", Files.readAllBytes(own.cert()));
    data.put("tls.key", Files.readAllBytes(own.key()));
    data.put("ca.crt", Files.readAllBytes(ca.certFile()));
    SecretFiles.deleteTree(dir);
    createOrKeep(new SecretBuilder().withNewMetadata().withName(secret).withNamespace(owner.namespace())
        .withLabels(Labels.cluster(owner.name())).withOwnerReferences(owner.reference()).endMetadata()
        .withType(TLS_TYPE).withData(encode(data)).build());
  }

  private Map<String, byte[]> required(String name, List<String> keys) throws IOException {
    Secret s = get(name);
    if (s == null) throw new IOException("Secret " + where(name) + " not found");
    Map<String, byte[]> data = decode(s, name);
    for (String key : keys) {
      if (!data.containsKey(key)) throw new IOException("Secret " + where(name) + " has no key " + key);
    }
    return data;
  }

  private Secret get(String name) throws IOException {
    try {
      return client.secrets().inNamespace(owner.namespace()).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new IOException("reading Secret " + where(name) + ": " + e.getMessage(), e);
    }
  }

  private void createOrKeep(Secret s) throws IOException {
    try {
      client.resource(s).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw new IOException("creating Secret " + where(s.getMetadata().getName()) + ": " + e.getMessage(), e);
      }
    }
  }

  /** Writes the files into {@code <workDir>/<prefix>-<digest>/}, once (an existing directory is complete). */
  private Path materialize(String prefix, Map<String, byte[]> data) throws IOException {
    Path dir = workDir.resolve(prefix + "-" + digest(data));
    if (Files.isDirectory(dir)) return dir;
    Path tmp = Files.createTempDirectory(ensureDir(workDir), prefix + "-tmp-");
    for (Map.Entry<String, byte[]> e : data.entrySet()) Files.write(tmp.resolve(e.getKey()), e.getValue());
    try {
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      // another pass wrote the same content first
    }
    return dir;
  }

  private static Path ensureDir(Path dir) throws IOException {
    return Files.createDirectories(dir);
  }

  private String where(String name) {
    return owner.namespace() + "/" + name;
  }

  /** A Secret's values: {@code data} is base64; {@code stringData} only exists in what a user writes, never when read. */
  private Map<String, byte[]> decode(Secret s, String name) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try {
      if (s.getData() != null) s.getData().forEach((k, v) -> out.put(k, Base64.getMimeDecoder().decode(v)));
    } catch (IllegalArgumentException e) {
      throw new IOException("Secret " + where(name) + ": a value is not base64", e);
    }
    if (s.getStringData() != null) s.getStringData().forEach((k, v) -> out.putIfAbsent(k, v.getBytes(StandardCharsets.UTF_8)));
    return out;
  }

  private static Map<String, String> encode(Map<String, byte[]> data) {
    Map<String, String> out = new LinkedHashMap<>();
    data.forEach((k, v) -> out.put(k, Base64.getEncoder().encodeToString(v)));
    return out;
  }

  private static String digest(Map<String, byte[]> data) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      new TreeMap<>(data).forEach((k, v) -> {
        md.update(k.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(v);
        md.update((byte) 0);
      });
      return HexFormat.of().formatHex(md.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
