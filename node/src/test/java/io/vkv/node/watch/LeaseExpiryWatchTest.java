package io.vkv.node.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.etcdserverpb.WatchCreateRequest;
import io.vkv.api.mvccpb.Event;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A lease that expires deletes its keys in one revision, and a watcher sees the deletes as etcd reports them. */
@Timeout(60)
class LeaseExpiryWatchTest extends SharedWatchTarget {
  @Test
  void expiryDeletesAreWatched() {
    long lease = target.grantLease(2);
    long put1 = target.putWithLease("lw/a", "1", lease);
    target.putWithLease("lw/b", "2", lease);
    WatchTestClient w = target.open(WatchTestClient.createRequest(WatchCreateRequest.newBuilder()
        .setKey(WatchTarget.bs("lw/")).setRangeEnd(WatchTarget.bs("lw0")).setStartRevision(put1).setPrevKv(true)));
    assertTrue(w.next().getCreated());
    List<Event> events = w.events(0, 4, Duration.ofSeconds(20));
    assertEquals(List.of(Event.EventType.PUT, Event.EventType.PUT, Event.EventType.DELETE, Event.EventType.DELETE),
        events.stream().map(Event::getType).toList());
    assertEquals(events.get(2).getKv().getModRevision(), events.get(3).getKv().getModRevision(),
        "one revision for all of the lease's keys");
    assertEquals("1", events.get(2).getPrevKv().getValue().toStringUtf8());
    assertEquals(lease, events.get(2).getPrevKv().getLease());
    w.close();
  }
}
