package io.vkv.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The single-host command's flags: a bad duration is a usage error naming the option, not a stack trace. */
class OperatorCommandTest {
  @TempDir Path dir;

  @Test
  void aBadDurationIsAUsageErrorNamingTheOption() {
    for (String option : new String[] {"--period", "--pause-after-change"}) {
      StringWriter err = new StringWriter();
      CommandLine cmd = new CommandLine(new OperatorCommand()).setErr(new PrintWriter(err));
      int code = cmd.execute("--vkv-jar", dir.resolve("vkv.jar").toString(), option, "soon",
          dir.resolve("k.yaml").toString());
      assertEquals(2, code, err.toString());
      assertTrue(err.toString().contains("Invalid value for option '" + option + "': not a duration"), err.toString());
      assertTrue(!err.toString().contains("\tat "), "no stack trace: " + err);
    }
  }
}
