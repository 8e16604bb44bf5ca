package io.vkv.consensus;

import java.util.List;

/**
 * One batch of work from {@link RawNode#ready()}. The application must, in this order:
 *
 * <ol>
 *   <li>persist {@link #snapshot} (if any), {@link #entries} (replacing any stored entries at
 *       or after the first one's index) and {@link #hardState} (if non-null) — durably;
 *   <li>send {@link #messages} — this may happen in parallel with step 1 (a leader replicates
 *       while writing its own log, thesis §10.2.1);
 *   <li>after step 1 is durable, send {@link #messagesAfterPersist} (vote and append responses,
 *       which vouch for durable state);
 *   <li>install {@link #snapshot} into the state machine, then apply {@link #committedEntries}
 *       in order (calling {@link RawNode#applyConfChange} for CONF_CHANGE entries);
 *   <li>call {@link RawNode#advance(Ready)}; only then may {@code ready()} be called again.
 * </ol>
 *
 * <p>{@link #readStates} and {@link #softState} are informational. A leader counts its own log
 * towards commitment only from {@code advance}, i.e. once its entries are durable.
 *
 * @param hardState term/vote/commit to persist, or null if unchanged
 * @param entries entries to append to stable storage
 * @param snapshot snapshot to persist and install, or null
 * @param messages messages to send now
 * @param messagesAfterPersist messages to send only once step 1 is durable
 * @param committedEntries entries to apply to the state machine
 * @param readStates confirmed linearizable reads
 * @param softState leader and role, or null if unchanged
 * @param mustSync whether step 1 must reach the disk before step 3: true when it holds entries, a snapshot, or a
 *     new term or vote. A hard state that only moves the commit index may be written without waiting for the
 *     disk (etcd does the same): a commit index lost in a crash is learned again from the leader, and whatever the
 *     state machine applied was committed.
 */
public record Ready(HardState hardState, List<Entry> entries, SnapshotMeta snapshot,
    List<Message> messages, List<Message> messagesAfterPersist, List<Entry> committedEntries,
    List<ReadState> readStates, SoftState softState, boolean mustSync) {

  public Ready {
    entries = List.copyOf(entries);
    messages = List.copyOf(messages);
    messagesAfterPersist = List.copyOf(messagesAfterPersist);
    committedEntries = List.copyOf(committedEntries);
    readStates = List.copyOf(readStates);
  }

  /** Whether anything needs to be made durable before {@link #messagesAfterPersist} go out. */
  public boolean mustPersist() {
    return hardState != null || !entries.isEmpty() || snapshot != null;
  }
}
