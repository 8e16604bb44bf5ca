package io.vkv.store;

import com.google.protobuf.Message;
import io.vkv.api.EtcdException;
import io.vkv.api.mvccpb.Event;
import java.util.List;

/**
 * The outcome of one applied log entry.
 *
 * @param response PutResponse, DeleteRangeResponse, TxnResponse or CompactionResponse; null on error and for
 *     non-client entries (lease bookkeeping)
 * @param error null on success
 * @param revision the store revision after this entry
 * @param events the events this entry produced, in order, with prev_kv set whenever the key existed before
 */
public record ApplyResult(long index, long requestId, Message response, EtcdException error, long revision,
                          List<Event> events) {}
