/**
 * The durable Raft log on Chronicle Queue: group-committed appends forced to disk, reads by Raft index, logical
 * suffix truncation, prefix compaction behind a snapshot, hard state, and crash recovery. See {@code docs/wal.md}.
 */
package io.vkv.wal;
