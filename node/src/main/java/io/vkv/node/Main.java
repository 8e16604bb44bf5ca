package io.vkv.node;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/** Entry point of `vkv`: parse flags, start the node, stop it cleanly on SIGTERM/SIGINT. */
public final class Main {
  private static final Logger LOG = Logger.getLogger(Main.class.getName());
  static final int EXIT_USAGE = 2;
  /** The member was removed from the cluster (etcd exits non-zero then too). */
  static final int EXIT_REMOVED = 1;

  public static void main(String[] args) {
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    if (code >= 0) System.exit(code);
  }

  /** Returns an exit code, or -1 when the node is running and main must not exit. */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    if (args.length > 0 && args[0].equals("snapshot")) {
      return io.vkv.node.snapshot.SnapshotCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
    }
    NodeCommand command = new NodeCommand();
    CommandLine cli = new CommandLine(command).setOut(out).setErr(err);
    NodeConfig config;
    try {
      cli.parseArgs(args);
      if (cli.isUsageHelpRequested()) {
        cli.usage(out);
        return 0;
      }
      if (cli.isVersionHelpRequested()) {
        cli.printVersionHelp(out);
        return 0;
      }
      config = command.call();
    } catch (CommandLine.ParameterException e) {
      err.println("vkv: " + e.getMessage());
      err.println("Run 'vkv --help' for the list of flags.");
      return EXIT_USAGE;
    } catch (IllegalArgumentException e) {
      err.println("vkv: " + e.getMessage());
      return EXIT_USAGE;
    }
    Logging.configure(config.logLevel());
    VkvNode node;
    try {
      node = VkvNode.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("vkv: failed to start: " + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
      LOG.log(Level.FINE, "start failure", cause);
      return 1;
    }
    NodeStopper stopper = new NodeStopper(node);
    // SIGTERM / Ctrl-C: stop cleanly and exit 0, as etcd does; the hook covers any other orderly JVM exit
    for (String signal : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> {
        LOG.info("received SIG" + signal + ", stopping");
        stopper.stop();
        System.exit(0);
      });
    }
    Runtime.getRuntime().addShutdownHook(new Thread(stopper::stop, "vkv-shutdown"));
    node.onRemoved(() -> {
      err.println("vkv: the member has been permanently removed from the cluster; stopping");
      stopper.stop();
      System.exit(EXIT_REMOVED);
    });
    return -1;
  }

  private Main() {}
}
