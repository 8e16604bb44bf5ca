/**
 * The reactive Java client for vkv and any etcd v3 server: Vert.x futures, endpoint round-robin with failover
 * for idempotent calls, per-call deadlines. Start at {@link io.vkv.client.VkvClient}.
 */
package io.vkv.client;
