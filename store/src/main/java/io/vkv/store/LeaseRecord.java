package io.vkv.store;

/**
 * A lease as the replicated state knows it. No clock is involved: the expiry time lives only in the leader's
 * lessor; what is replicated is what every member must agree on.
 *
 * @param id the lease id
 * @param ttl the granted TTL in seconds
 * @param remainingTtl the remaining TTL in seconds at the last checkpoint, 0 if none since the grant or the last
 *     renewal (the full TTL then applies after a leader change)
 */
public record LeaseRecord(long id, long ttl, long remainingTtl) {}
