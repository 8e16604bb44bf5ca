package io.vkv.operator.backend.local;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code spec.version} on one host: {@code current} is the vkv jar the operator was given; anything ending in
 * {@code .jar} is a path to another build (relative paths from the spec file's directory).
 */
public final class VersionJars {
  private final Path currentJar;
  private final Path specDir;

  public VersionJars(Path currentJar, Path specDir) {
    this.currentJar = currentJar.toAbsolutePath();
    this.specDir = specDir.toAbsolutePath();
  }

  public Path jarFor(String version) {
    Path jar;
    if (version == null || version.equals("current")) jar = currentJar;
    else if (version.endsWith(".jar")) jar = specDir.resolve(version).normalize();
    else throw new IllegalArgumentException("spec.version on a single host is 'current' or a path to a vkv jar, not '" + version + "'");
    if (!Files.isRegularFile(jar)) throw new IllegalArgumentException("no vkv jar at " + jar + " (spec.version " + version + ")");
    return jar;
  }

  public Path current() {
    return currentJar;
  }
}
