package io.vkv.operator.spec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads the spec file and reads/writes the status file beside it ({@code demo.yaml} → {@code demo.status.yaml}).
 * The status is written to a temporary file and moved over the old one, so a crash never leaves half a status.
 */
public final class SpecFiles {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private SpecFiles() {}

  /** Parses and checks a single-host spec; an unknown field is an error (a typo should not be silently ignored). */
  public static VkvCluster readSpec(Path file) throws IOException {
    VkvCluster c = YAML.readValue(file.toFile(), VkvCluster.class);
    validate(c, file);
    return c;
  }

  public static VkvCluster parse(String yaml) throws IOException {
    VkvCluster c = YAML.readValue(yaml, VkvCluster.class);
    validate(c, Path.of("<string>"));
    return c;
  }

  /** The single-host checks: the common ones, and a data root for the member directories. */
  private static void validate(VkvCluster c, Path file) {
    SpecRules.check(c, file.toString());
    if (c.spec().storage() == null || c.spec().storage().dataRoot() == null) {
      throw new IllegalArgumentException(file + ": spec.storage.dataRoot is required");
    }
  }

  /** {@code dir/demo.yaml} → {@code dir/demo.status.yaml}. */
  public static Path statusFileFor(Path specFile) {
    String name = specFile.getFileName().toString();
    String base = name.endsWith(".yaml") ? name.substring(0, name.length() - 5)
        : name.endsWith(".yml") ? name.substring(0, name.length() - 4) : name;
    return specFile.resolveSibling(base + ".status.yaml");
  }

  public static ClusterStatus readStatus(Path file) throws IOException {
    if (!Files.exists(file)) return null;
    return YAML.readValue(file.toFile(), ClusterStatus.class);
  }

  public static void writeStatus(Path file, ClusterStatus status) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    YAML.writeValue(tmp.toFile(), status);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static String toYaml(Object value) {
    try {
      return YAML.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
