package io.vkv.operator.controller;

import io.vkv.operator.spec.ClusterStatus;
import io.vkv.operator.spec.VkvCluster;
import java.io.IOException;

/**
 * Where the controller reads the desired cluster and writes what it saw: a spec file with a status file beside it
 * ({@link SpecFile}), or a VkvCluster resource and its status subresource on Kubernetes.
 */
public interface ClusterSource {

  /** The spec, checked, with the status last written (null status before the first pass). */
  VkvCluster read() throws IOException;

  void writeStatus(ClusterStatus status) throws IOException;
}
