/**
 * The Raft algorithm as a pure, single-threaded, deterministic state machine.
 *
 * <p>No threads, clocks, sockets or disks: time is {@link io.vkv.consensus.RawNode#tick()},
 * input is {@link io.vkv.consensus.RawNode#step(Message)}, and everything the application must
 * persist, send and apply is handed out as a {@link io.vkv.consensus.Ready} batch, acknowledged
 * with {@link io.vkv.consensus.RawNode#advance(Ready)}. See {@code docs/consensus.md}.
 */
package io.vkv.consensus;
