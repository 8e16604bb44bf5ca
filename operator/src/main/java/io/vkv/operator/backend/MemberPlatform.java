package io.vkv.operator.backend;

import io.vkv.operator.reconcile.MemberLaunch;
import io.vkv.operator.reconcile.PlatformMember;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where members run: processes on one host ({@link io.vkv.operator.backend.local.LocalPlatform}) or Pods with a
 * volume each on Kubernetes ({@link io.vkv.operator.backend.kubernetes.KubernetesPlatform}). The reconciler only ever
 * talks to the platform through this interface; every call is idempotent so that a pass interrupted half-way can
 * simply be decided and done again.
 */
public interface MemberPlatform {

  /** Every member the platform holds for this cluster, running or not. */
  List<PlatformMember> list() throws IOException;

  /** Reserves a member's name and addresses without starting it; returns the existing one when already prepared. */
  PlatformMember prepare(String name) throws IOException;

  /** Seeds a prepared member's empty data from a snapshot file (etcd's format), as the first member of a new cluster. */
  void restore(String name, Path snapshot, MemberLaunch launch) throws IOException;

  /** Starts the member (no-op when it runs); its data is created on the first start. */
  void start(String name, MemberLaunch launch) throws IOException;

  /** Stops the member gracefully and waits for it to exit; its data stays. */
  void stop(String name) throws IOException;

  /** Kills the member if it runs and deletes everything of it: data, logs, its reservation. */
  void delete(String name) throws IOException;
}
