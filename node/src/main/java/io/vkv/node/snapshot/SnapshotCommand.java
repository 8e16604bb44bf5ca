package io.vkv.node.snapshot;

import io.vkv.store.etcdformat.EtcdSnapshotReader;
import io.vkv.store.etcdformat.SnapshotStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vkv snapshot status|restore}: etcdctl's (and etcdutl's) snapshot commands, flags and outputs. */
@Command(name = "vkv snapshot", mixinStandardHelpOptions = true, description = "Inspect and restore snapshot files (etcd's format).",
    subcommands = {SnapshotCommand.Status.class, SnapshotCommand.Restore.class})
public final class SnapshotCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** Runs {@code vkv snapshot ARGS}; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new SnapshotCommand()).setOut(out).setErr(err);
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      err.println("Error: " + e.getMessage());
      return 1;
    });
    return cli.execute(args);
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Gets backend snapshot status of a given file.")
  static final class Status implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE") Path file;

    @Option(names = {"-w", "--write-out"}, defaultValue = "simple", description = "simple, table or json (default: ${DEFAULT-VALUE}).")
    String writeOut;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      if (!java.nio.file.Files.isRegularFile(file)) throw new SnapshotException("snapshot file " + file + " does not exist");
      spec.commandLine().getOut().print(StatusFormat.format(SnapshotStatus.of(file), writeOut));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "restore", mixinStandardHelpOptions = true,
      description = "Restores a snapshot (vkv's or etcd's) into a new member's data directory.")
  static final class Restore implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE") Path file;

    @Option(names = "--data-dir", description = "Path to the data directory (default: <name>.vkv).")
    Path dataDir;

    @Option(names = "--name", defaultValue = "default", description = "Human-readable name for this member (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--initial-cluster", defaultValue = "default=http://localhost:2380",
        description = "Initial cluster configuration for restore bootstrap (default: ${DEFAULT-VALUE}).")
    String initialCluster;

    @Option(names = "--initial-cluster-token", defaultValue = "etcd-cluster",
        description = "Initial cluster token for the etcd cluster during restore bootstrap (default: ${DEFAULT-VALUE}).")
    String initialClusterToken;

    @Option(names = "--initial-advertise-peer-urls", defaultValue = "http://localhost:2380", split = ",",
        description = "List of this member's peer URLs to advertise to the rest of the cluster (default: ${DEFAULT-VALUE}).")
    List<String> initialAdvertisePeerUrls;

    @Option(names = "--skip-hash-check", description = "Ignore snapshot integrity hash value (required if copied from data directory).")
    boolean skipHashCheck;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      Map<String, List<URI>> cluster = io.vkv.node.NodeCommand.parseCluster(initialCluster);
      List<URI> advertised = initialAdvertisePeerUrls.stream().map(u -> io.vkv.node.NodeCommand.url("--initial-advertise-peer-urls", u.trim())).toList();
      List<URI> listed = cluster.get(name);
      if (listed != null && !new java.util.HashSet<>(listed).equals(new java.util.HashSet<>(advertised))) {
        throw new SnapshotException("--initial-cluster has " + name + "=" + listed + " but --initial-advertise-peer-urls is " + advertised);
      }
      Path dir = dataDir == null ? Path.of(name + ".vkv") : dataDir;
      EtcdSnapshotReader.Loaded loaded = SnapshotRestorer.restore(file,
          new SnapshotRestorer.Target(dir, name, cluster, initialClusterToken), skipHashCheck);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("restored snapshot %s into %s: revision %d, %d versions, %d leases (member %s)%n", file, dir,
          loaded.revision(), loaded.versions(), loaded.leases(), name);
      out.flush();
      return 0;
    }
  }
}
