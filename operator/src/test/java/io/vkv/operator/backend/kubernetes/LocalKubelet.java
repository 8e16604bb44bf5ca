package io.vkv.operator.backend.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vkv.node.testing.Ports;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Plays the kubelet, the volume provisioner and cluster DNS for the Pods in the mock API server, on loopback: each
 * Pod becomes a real {@code java -jar vkv.jar} process with the Pod's own arguments, in which every member DNS name
 * (and the {@code 0.0.0.0} listen address) is replaced by 127.0.0.1 and a port pair fixed per member, and the data
 * directory by a directory per claim (kept while the claim exists, like a volume). {@link #sync} does one round:
 * starts a process for each new Pod, stops the process of each Pod gone or replaced, deletes the directory of each
 * claim gone. A Pod's init containers (the restore step) are run first, to completion, with {@code sh} as the image
 * would, the backup claim being the directory {@code backupMounts/<claim>}; Secret volumes are written out as files
 * and the arguments pointing into them follow. Only processes it started are ever stopped.
 */
final class LocalKubelet implements AutoCloseable {
  private static final Pattern MEMBER_URL = Pattern.compile("(https?)://([a-z0-9-]+)\\.[a-z0-9.-]+\\.svc:(2379|2380)");
  private static final Pattern ANY_ADDRESS = Pattern.compile("(https?)://0\\.0\\.0\\.0:(2379|2380)");
  private static final Pattern LOOPBACK_URL = Pattern.compile("(https?)://127\\.0\\.0\\.1:([0-9]+)");
  private static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private final KubernetesClient client;
  private final Path vkvJar;
  private final Path root;
  private final Path backupMounts;
  /** member → {client port, peer port}, fixed for the member's life as its DNS name is. */
  private final Map<String, int[]> ports = new HashMap<>();
  /** Pod uid → its process. */
  private final Map<String, Process> running = new HashMap<>();
  private final Map<String, String> podOfUid = new HashMap<>();

  LocalKubelet(KubernetesClient client, Path vkvJar, Path root) {
    this(client, vkvJar, root, root.resolve("no-backups"));
  }

  LocalKubelet(KubernetesClient client, Path vkvJar, Path root, Path backupMounts) {
    this.client = client;
    this.vkvJar = vkvJar;
    this.root = root;
    this.backupMounts = backupMounts;
  }

  synchronized void sync() throws IOException {
    Set<String> live = new HashSet<>();
    for (Pod pod : client.pods().list().getItems()) {
      if (pod.getMetadata().getDeletionTimestamp() != null) continue;
      String uid = pod.getMetadata().getUid();
      live.add(uid);
      if (!running.containsKey(uid)) start(pod);
    }
    for (String uid : new ArrayList<>(running.keySet())) {
      if (!live.contains(uid)) stop(uid);
    }
    Set<String> claims = new HashSet<>();
    for (PersistentVolumeClaim c : client.persistentVolumeClaims().list().getItems()) claims.add(c.getMetadata().getName());
    if (Files.isDirectory(root)) {
      try (Stream<Path> dirs = Files.list(root)) {
        for (Path dir : dirs.filter(Files::isDirectory).toList()) {
          if (!claims.contains(dir.getFileName().toString())) deleteTree(dir);
        }
      }
    }
  }

  /** The member's client URL as the operator names it, on loopback. */
  synchronized String loopback(String url) {
    Matcher m = MEMBER_URL.matcher(url);
    if (!m.matches()) return url;
    return m.group(1) + "://127.0.0.1:" + port(m.group(2), m.group(3));
  }

  /** A loopback URL back to the member's DNS form (what the cluster reports is what the member advertises). */
  synchronized String dns(String url, String clusterName, String namespace) {
    Matcher m = LOOPBACK_URL.matcher(url);
    if (!m.matches()) return url;
    boolean https = m.group(1).equals("https");
    MemberAddresses addresses = new MemberAddresses(clusterName, namespace, https, https);
    int port = Integer.parseInt(m.group(2));
    for (Map.Entry<String, int[]> e : ports.entrySet()) {
      if (port == e.getValue()[1]) return addresses.peerUrl(e.getKey());
      if (port == e.getValue()[0]) return addresses.clientUrl(e.getKey());
    }
    return url;
  }

  synchronized Path log(String member) {
    return root.resolve(member + ".log");
  }

  private void start(Pod pod) throws IOException {
    String member = pod.getMetadata().getName();
    String claim = pod.getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName();
    Path volume = root.resolve(claim);
    Files.createDirectories(volume);
    for (Container init : pod.getSpec().getInitContainers()) runToCompletion(pod, init, volume);
    Map<String, Path> secretMounts = mountSecrets(pod);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(JVM);
    cmd.addAll(List.of("-jar", vkvJar.toString()));
    for (String arg : pod.getSpec().getContainers().get(0).getArgs()) cmd.add(inSecrets(rewrite(member, arg, volume), secretMounts));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log(member).toFile())).start();
    running.put(pod.getMetadata().getUid(), p);
    podOfUid.put(pod.getMetadata().getUid(), member);
  }

  /**
   * Each Secret volume of the vkv container, written out as the kubelet would (a file per key) under
   * {@code <root>-secrets/<pod uid>/<volume>}; mount path → that directory.
   */
  private Map<String, Path> mountSecrets(Pod pod) throws IOException {
    Map<String, Path> out = new HashMap<>();
    Path base = root.resolveSibling(root.getFileName() + "-secrets").resolve(pod.getMetadata().getUid());
    for (VolumeMount m : pod.getSpec().getContainers().get(0).getVolumeMounts()) {
      Volume v = pod.getSpec().getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst().orElseThrow();
      if (v.getSecret() == null) continue;
      Secret secret = client.secrets().withName(v.getSecret().getSecretName()).get();
      if (secret == null) throw new IOException("Pod " + pod.getMetadata().getName() + ": no Secret " + v.getSecret().getSecretName());
      Path dir = Files.createDirectories(base.resolve(v.getName()));
      for (Map.Entry<String, String> e : secret.getData().entrySet()) {
        Files.write(dir.resolve(e.getKey()), Base64.getDecoder().decode(e.getValue()));
      }
      out.put(m.getMountPath(), dir);
    }
    return out;
  }

  private static String inSecrets(String arg, Map<String, Path> mounts) {
    for (Map.Entry<String, Path> e : mounts.entrySet()) arg = arg.replace("=" + e.getKey() + "/", "=" + e.getValue() + "/");
    return arg;
  }

  /** An init container: its command and arguments with the Pod's paths mapped here; a failure fails the sync. */
  private void runToCompletion(Pod pod, Container init, Path volume) throws IOException {
    String member = pod.getMetadata().getName();
    Path backups = null;
    for (Volume v : pod.getSpec().getVolumes()) {
      if (v.getName().equals("backups")) backups = backupMounts.resolve(v.getPersistentVolumeClaim().getClaimName());
    }
    List<String> cmd = new ArrayList<>(init.getCommand());
    for (String arg : init.getArgs()) {
      if (arg.equals(MemberObjects.DATA_DIR)) cmd.add(volume.resolve("data").toString());
      else if (backups != null && arg.startsWith(MemberObjects.BACKUP_PATH + "/")) {
        cmd.add(backups.resolve(arg.substring(MemberObjects.BACKUP_PATH.length() + 1)).toString());
      } else cmd.add(rewrite(member, arg, volume));
    }
    ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log(member).toFile()));
    b.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + System.getenv("PATH"));
    for (EnvVar e : init.getEnv()) b.environment().put(e.getName(), e.getName().equals("VKV_JAR") ? vkvJar.toString() : e.getValue());
    Process p = b.start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("init container " + init.getName() + " of " + member + " did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    }
    if (p.exitValue() != 0) throw new IOException("init container " + init.getName() + " of " + member + " exited " + p.exitValue());
  }

  private String rewrite(String member, String arg, Path volume) {
    if (arg.startsWith("--data-dir=")) return "--data-dir=" + volume.resolve("data");
    Matcher any = ANY_ADDRESS.matcher(arg);
    String out = any.find() ? any.replaceAll(r -> r.group(1) + "://127.0.0.1:" + port(member, r.group(2))) : arg;
    return MEMBER_URL.matcher(out).replaceAll(r -> r.group(1) + "://127.0.0.1:" + port(r.group(2), r.group(3)));
  }

  private int port(String member, String kubernetesPort) {
    int[] pair = ports.computeIfAbsent(member, m -> new int[] {Ports.freePort(), Ports.freePort()});
    return kubernetesPort.equals("2379") ? pair[0] : pair[1];
  }

  private void stop(String uid) {
    Process p = running.remove(uid);
    podOfUid.remove(uid);
    p.destroy();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  @Override
  public synchronized void close() {
    for (String uid : new ArrayList<>(running.keySet())) stop(uid);
  }
}
