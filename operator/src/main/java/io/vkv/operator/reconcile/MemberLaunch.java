package io.vkv.operator.reconcile;

import java.util.List;

/**
 * How to start one member, in etcd's terms, independent of the platform: the platform adds what it owns (data
 * directory, listen and advertise URLs) and runs {@code version}.
 *
 * @param initialCluster {@code name=peerUrl,...}: only this member when it bootstraps, every started member plus this
 *                       one when it joins (a member restarted on its own data ignores it)
 * @param clusterState   {@code new} or {@code existing}
 * @param flags          the remaining etcd flags from the spec's member section
 */
public record MemberLaunch(String name, String version, String initialCluster, String clusterState, String token,
                           List<String> flags) {}
