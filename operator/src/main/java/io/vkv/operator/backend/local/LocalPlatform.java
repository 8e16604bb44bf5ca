package io.vkv.operator.backend.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vkv.operator.backend.MemberPlatform;
import io.vkv.operator.reconcile.MemberLaunch;
import io.vkv.operator.reconcile.PlatformMember;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Members as local {@code java -jar vkv.jar} processes on 127.0.0.1, one directory each under the data root:
 * {@code member.yaml} (the {@link MemberRecord}), {@code data/} (the member's {@code --data-dir}) and {@code vkv.log}.
 * Processes outlive the operator; a restarted operator finds them in the process table by their data directory.
 */
public final class LocalPlatform implements MemberPlatform {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final long STOP_TIMEOUT_S = 30;

  private final Path root;
  private final VersionJars jars;
  private final List<String> jvmOptions;
  private final LocalTls tls;

  public LocalPlatform(Path dataRoot, VersionJars jars, List<String> jvmOptions) {
    this(dataRoot, jars, jvmOptions, LocalTls.none());
  }

  LocalPlatform(Path dataRoot, VersionJars jars, List<String> jvmOptions, LocalTls tls) {
    this.root = dataRoot.toAbsolutePath().normalize();
    this.jars = jars;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.tls = tls;
  }

  @Override
  public List<PlatformMember> list() throws IOException {
    List<PlatformMember> out = new ArrayList<>();
    if (!Files.isDirectory(root)) return out;
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.sorted().toList()) {
        Path file = dir.resolve("member.yaml");
        if (!Files.isRegularFile(file)) continue;
        MemberRecord r = YAML.readValue(file.toFile(), MemberRecord.class);
        out.add(new PlatformMember(r.name(), r.peerUrl(), r.clientUrl(), process(r.name()).isPresent(),
            Files.isDirectory(dataDir(r.name())), r.startedOnce(), r.version()));
      }
    }
    return out;
  }

  @Override
  public PlatformMember prepare(String name) throws IOException {
    MemberRecord r = record(name);
    if (r == null) {
      for (PlatformMember other : list()) {
        if (other.clientUrl().startsWith("https") != tls.clientTls() || other.peerUrl().startsWith("https") != tls.peerTls()) {
          throw new IOException(tlsChanged(other.name()));
        }
      }
      Files.createDirectories(memberDir(name));
      int[] ports = twoFreePorts();
      r = new MemberRecord(name, ports[0], ports[1], null, false, tls.clientTls(), tls.peerTls());
      write(r);
    }
    return new PlatformMember(name, r.peerUrl(), r.clientUrl(), process(name).isPresent(), Files.isDirectory(dataDir(name)),
        r.startedOnce(), r.version());
  }

  @Override
  public void restore(String name, Path snapshot, MemberLaunch launch) throws IOException {
    MemberRecord r = required(name);
    if (Files.isDirectory(dataDir(name))) return; // restored before a crash: vkv's restore is all or nothing
    List<String> cmd = javaCommand(jars.jarFor(launch.version()));
    cmd.addAll(List.of("snapshot", "restore", snapshot.toAbsolutePath().toString(),
        "--data-dir=" + dataDir(name), "--name=" + name, "--initial-cluster=" + launch.initialCluster(),
        "--initial-cluster-token=" + launch.token(), "--initial-advertise-peer-urls=" + r.peerUrl()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile())).start();
    int code = waitFor(p, 120);
    if (code != 0) throw new IOException("vkv snapshot restore exited with " + code + "; see " + log(name));
  }

  @Override
  public void start(String name, MemberLaunch launch) throws IOException {
    MemberRecord r = required(name);
    if (process(name).isPresent()) return;
    if (!schemesMatch(r)) throw new IOException(tlsChanged(name));
    Path jar = jars.jarFor(launch.version());
    List<String> tlsFlags = tls.memberFlags(memberDir(name));
    // the data directory marks the first start, then the record: a crash between the two only repeats the start
    Files.createDirectories(dataDir(name));
    write(r.started(launch.version()));
    List<String> cmd = javaCommand(jar);
    cmd.addAll(List.of("--name=" + name, "--data-dir=" + dataDir(name),
        "--listen-client-urls=" + r.clientUrl(), "--advertise-client-urls=" + r.clientUrl(),
        "--listen-peer-urls=" + r.peerUrl(), "--initial-advertise-peer-urls=" + r.peerUrl(),
        "--initial-cluster=" + launch.initialCluster(), "--initial-cluster-state=" + launch.clusterState(),
        "--initial-cluster-token=" + launch.token()));
    cmd.addAll(launch.flags());
    cmd.addAll(tlsFlags);
    new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile())).start();
  }

  @Override
  public void stop(String name) throws IOException {
    Optional<ProcessHandle> p = process(name);
    if (p.isEmpty()) return;
    // only an upgrade stops a member: refused before it stops a member that it could not start again
    if (!schemesMatch(required(name))) throw new IOException(tlsChanged(name));
    p.get().destroy();
    try {
      p.get().onExit().get(STOP_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.get().destroyForcibly();
      throw new IOException(name + " did not stop within " + STOP_TIMEOUT_S + " s; killed it", e);
    }
  }

  @Override
  public void delete(String name) throws IOException {
    kill(name);
    Path dir = memberDir(name);
    if (!Files.exists(dir)) return;
    // the record goes first, so a crash half-way leaves a directory that is no longer a member, not half a member
    Files.deleteIfExists(dir.resolve("member.yaml"));
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  /** SIGKILL, and wait for the exit. */
  public void kill(String name) throws IOException {
    Optional<ProcessHandle> p = process(name);
    if (p.isEmpty()) return;
    p.get().destroyForcibly();
    try {
      p.get().onExit().get(STOP_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException(name + " did not exit after SIGKILL", e);
    }
  }

  /** Whether the member was created with the http/https the spec asks for now. */
  private boolean schemesMatch(MemberRecord r) {
    return r.clientHttps() == tls.clientTls() && r.peerHttps() == tls.peerTls();
  }

  private static String tlsChanged(String member) {
    return "spec.tls does not match member " + member + " (http/https is fixed when a member is created; "
        + "vkv cannot switch a running cluster between plain text and TLS)";
  }

  public Path dataDir(String name) {
    return memberDir(name).resolve("data");
  }

  public Path log(String name) {
    return memberDir(name).resolve("vkv.log");
  }

  /** The member's process, found by the {@code --data-dir} on its command line (no pid file to go stale). */
  Optional<ProcessHandle> process(String name) {
    String marker = "--data-dir=" + dataDir(name);
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(h -> h.info().arguments().map(args -> List.of(args).contains(marker)).orElse(false))
        .findFirst();
  }

  private Path memberDir(String name) {
    return root.resolve(name);
  }

  private MemberRecord record(String name) throws IOException {
    Path file = memberDir(name).resolve("member.yaml");
    return Files.isRegularFile(file) ? YAML.readValue(file.toFile(), MemberRecord.class) : null;
  }

  private MemberRecord required(String name) throws IOException {
    MemberRecord r = record(name);
    if (r == null) throw new IOException("member " + name + " was never prepared under " + root);
    return r;
  }

  private void write(MemberRecord r) throws IOException {
    Path file = memberDir(r.name()).resolve("member.yaml");
    Path tmp = memberDir(r.name()).resolve("member.yaml.tmp");
    YAML.writeValue(tmp.toFile(), r);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private List<String> javaCommand(Path jar) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-jar");
    cmd.add(jar.toString());
    return cmd;
  }

  private static int waitFor(Process p, long seconds) throws IOException {
    try {
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out after " + seconds + " s");
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * A client and a peer port that were free a moment ago: both bound to 0 at once, so they differ (two binds in a row
   * may get the same port once the first is released), then released for the member to bind.
   */
  private static int[] twoFreePorts() throws IOException {
    try (ServerSocket client = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ServerSocket peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return new int[] {client.getLocalPort(), peer.getLocalPort()};
    }
  }
}
