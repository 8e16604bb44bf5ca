package io.vkv.node.watch;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One {@link WatchTarget} for all of a test class's tests, started before the first and closed after the last. */
abstract class SharedWatchTarget {
  @TempDir static Path dir;
  static WatchTarget target;

  @BeforeAll
  static void startTarget() {
    target = WatchTarget.start(dir.resolve("data"));
  }

  @AfterAll
  static void stopTarget() {
    if (target != null) target.close();
    target = null;
  }
}
