package io.vkv.operator.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link SnapshotInspector} by {@code java -jar vkv.jar snapshot status -w json}: the same reader as
 * {@code etcdctl snapshot status} walks every bucket of the file, so a damaged database fails here.
 */
public final class VkvSnapshotStatus implements SnapshotInspector {
  private static final Pattern REVISION = Pattern.compile("\"revision\":(\\d+)");

  private final Path vkvJar;

  public VkvSnapshotStatus(Path vkvJar) {
    this.vkvJar = vkvJar;
  }

  @Override
  public long revision(Path snapshot) throws IOException {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
        "-jar", vkvJar.toString(), "snapshot", "status", "-w", "json", snapshot.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("vkv snapshot status did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    Matcher m = REVISION.matcher(out);
    if (p.exitValue() != 0 || !m.find()) throw new IOException("vkv snapshot status " + snapshot + " failed: " + out.trim());
    return Long.parseLong(m.group(1));
  }
}
