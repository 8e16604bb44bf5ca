/**
 * The reactive Java client for vkv and any etcd v3 server: Vert.x futures, endpoint round-robin with failover
 * for idempotent calls, per-call deadlines, and watches as Vert.x streams or {@code java.util.concurrent.Flow}
 * publishers that resume across reconnections. Start at {@link io.vkv.client.VkvClient}.
 */
package io.vkv.client;
