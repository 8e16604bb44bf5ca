package io.vkv.bench;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The run loop shared by the watch workloads: check flags, create watchers, put, count events, report. Global
 * flags that shape request loops (--clients, --total, --duration, --rate) do not apply and are refused when given.
 */
abstract class WatchWorkloadCommand implements Callable<Integer> {
  @ParentCommand
  Main global;

  @Spec
  CommandSpec spec;

  /** This workload's plan from its flags; throws IllegalArgumentException on bad flags. */
  abstract WatchPlan plan();

  @Override
  public Integer call() throws Exception {
    Settings settings;
    WatchPlan plan;
    try {
      settings = WorkloadCommand.settings(global);
      if (settings.user() != null) throw new IllegalArgumentException(spec.name() + " does not take --user (its watch streams send no token)");
      if (global.total != null || global.duration != null || global.rate != 0 || global.clients != 1) {
        throw new IllegalArgumentException(spec.name() + " takes --puts, --put-clients and --put-rate instead of "
            + "--total, --duration, --clients and --rate");
      }
      if (global.valSize < TimestampValue.MIN_SIZE) {
        throw new IllegalArgumentException("--val-size must be >= " + TimestampValue.MIN_SIZE
            + " (the value carries the put's send time)");
      }
      plan = plan();
      new Keys(global.keySize, plan.watchedKeys(), true); // checks --key-size against --watched-keys
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    WatchRunner.Result result = WatchRunner.run(settings, plan, global.keySize, global.valSize, err);
    WatchReport.summary(result, settings, err);
    Report.writeFiles(result.base(), settings, err);
    out.println(WatchReport.json(result));
    out.flush();
    return result.base().ops() == 0 && result.base().errors() > 0 ? 1 : 0;
  }
}
