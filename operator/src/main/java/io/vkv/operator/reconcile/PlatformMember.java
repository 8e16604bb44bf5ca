package io.vkv.operator.reconcile;

/**
 * A member as the platform holds it (a process and a directory on one host; a Pod and a volume on Kubernetes).
 *
 * @param peerUrl     fixed when the member is prepared, before the cluster hears of it (MemberAdd needs it)
 * @param running     the process (or Pod) is up
 * @param hasData     its data directory holds a member's data
 * @param startedOnce it has been started at least once: a started member without data has lost it
 * @param version     the {@code spec.version} it was last started with
 */
public record PlatformMember(String name, String peerUrl, String clientUrl, boolean running, boolean hasData,
                             boolean startedOnce, String version) {}
