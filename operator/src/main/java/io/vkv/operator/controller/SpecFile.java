package io.vkv.operator.controller;

import io.vkv.operator.spec.ClusterStatus;
import io.vkv.operator.spec.SpecFiles;
import io.vkv.operator.spec.VkvCluster;
import java.io.IOException;
import java.nio.file.Path;

/** The single-host source: {@code demo.yaml} holds the spec, {@code demo.status.yaml} beside it the status. */
public final class SpecFile implements ClusterSource {
  private final Path specFile;
  private final Path statusFile;

  public SpecFile(Path specFile) {
    this.specFile = specFile;
    this.statusFile = SpecFiles.statusFileFor(specFile);
  }

  @Override
  public VkvCluster read() throws IOException {
    VkvCluster spec = SpecFiles.readSpec(specFile);
    return new VkvCluster(spec.apiVersion(), spec.kind(), spec.metadata(), spec.spec(), SpecFiles.readStatus(statusFile));
  }

  @Override
  public void writeStatus(ClusterStatus status) throws IOException {
    SpecFiles.writeStatus(statusFile, status);
  }
}
