package io.vkv.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code vkv-bench}: an etcd v3 load generator in the spirit of etcd's {@code benchmark} tool. The global flags are
 * inherited by every subcommand, so they may stand before or after the workload name, as with etcd's tool.
 */
@Command(name = "vkv-bench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Load generator for vkv and any etcd v3 server.",
    subcommands = {PutCommand.class, RangeCommand.class, TxnPutCommand.class, TxnMixedCommand.class,
        WatchCommand.class, WatchLatencyCommand.class, LeaseKeepAliveCommand.class, PlotCommand.class})
public final class Main implements Runnable {
  @Option(names = "--endpoints", split = ",", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT",
      description = "Comma-separated endpoints, host:port, http://host:port or https://host:port (TLS) "
          + "(default: ${DEFAULT-VALUE}).")
  List<String> endpoints = List.of("127.0.0.1:2379");

  @Option(names = "--conns", scope = ScopeType.INHERIT, description = "HTTP/2 connections per endpoint (default: ${DEFAULT-VALUE}).")
  int conns = 1;

  @Option(names = "--clients", scope = ScopeType.INHERIT,
      description = "Concurrent requests in flight, each a loop on an event loop (default: ${DEFAULT-VALUE}).")
  int clients = 1;

  @Option(names = "--total", scope = ScopeType.INHERIT, description = "Requests to send (default: 10000 unless --duration).")
  Long total;

  @Option(names = "--duration", scope = ScopeType.INHERIT, converter = DurationConverter.class,
      description = "Run for this long instead of --total, e.g. 30s, 2m, 500ms.")
  Duration duration;

  @Option(names = "--key-size", scope = ScopeType.INHERIT, description = "Key size in bytes (default: ${DEFAULT-VALUE}).")
  int keySize = 8;

  @Option(names = "--val-size", scope = ScopeType.INHERIT, description = "Value size in bytes (default: ${DEFAULT-VALUE}).")
  int valSize = 8;

  @Option(names = "--rate", scope = ScopeType.INHERIT, description = "Requests per second across all clients; 0: unlimited (default).")
  double rate;

  @Option(names = "--hdr-out", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Write the latency histogram (HdrHistogram percentile distribution, ms) to FILE.")
  String hdrOut;

  @Option(names = "--plot", scope = ScopeType.INHERIT, paramLabel = "FILE.png",
      description = "Draw this run's latency by percentile as a PNG chart (see also the plot command).")
  String plot;

  @Option(names = "--timeout", scope = ScopeType.INHERIT, converter = DurationConverter.class,
      description = "Per-request deadline; 0 for none (default: 30s).")
  Duration timeout = Duration.ofSeconds(30);

  @Option(names = "--user", scope = ScopeType.INHERIT, paramLabel = "NAME:PASSWORD",
      description = "Authenticate as this user and send its token with every request (etcd's benchmark flag); "
          + "put, range, txn-put and txn-mixed only.")
  String user;

  @Option(names = "--cacert", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Verify the servers' certificates with this CA (PEM); turns TLS on, as an https:// endpoint does.")
  String caCert;

  @Option(names = "--cert", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Client certificate (PEM) for servers with --client-cert-auth; needs --key.")
  String cert;

  @Option(names = "--key", scope = ScopeType.INHERIT, paramLabel = "FILE", description = "Private key (PEM) of --cert.")
  String key;

  @Option(names = "--insecure-skip-tls-verify", scope = ScopeType.INHERIT,
      description = "Accept any server certificate unchecked (TLS still encrypts; for self-signed test servers).")
  boolean insecureSkipTlsVerify;

  @Option(names = "--event-loops", scope = ScopeType.INHERIT,
      description = "Client event-loop threads (default: available processors).")
  int eventLoops = Runtime.getRuntime().availableProcessors();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing workload: put, range, txn-put, txn-mixed, watch, watch-latency or lease-keepalive (or plot)");
  }

  /** Parses and runs; the exit code (2 for bad flags, as picocli does) without calling System.exit. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    // plot only reads files: the inherited load flags would only clutter its help and accept nonsense
    CommandLine.Model.CommandSpec plot = cl.getSubcommands().get("plot").getCommandSpec();
    for (CommandLine.Model.OptionSpec o : List.copyOf(plot.options())) {
      if (o.inherited()) plot.remove(o);
    }
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(args);
  }

  public static void main(String[] args) {
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    System.exit(code);
  }

  /** Reads the version from the jar manifest when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"vkv-bench " + (v == null ? "dev" : v)};
    }
  }
}
