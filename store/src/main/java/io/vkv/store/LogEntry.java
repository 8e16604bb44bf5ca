package io.vkv.store;

import io.vkv.api.internal.InternalRequest;

/** One committed log entry to apply: its Raft index and its payload. */
public record LogEntry(long index, InternalRequest request) {}
