/**
 * The watch hub: a registry of watchers and the fan-out of committed events to them.
 *
 * <p>{@link io.vkv.watch.WatchHub} is a plain class with no threads and no Vert.x: the applier
 * calls {@code onCommitted}, event loops create and cancel watchers, and a scheduler in the node
 * calls {@code syncUnsynced()} and {@code retryVictims()}. See {@code docs/watch.md}.
 */
package io.vkv.watch;
