package io.vkv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vkv.api.internal.InternalRequest;
import io.vkv.api.internal.MemberAttributes;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemberRecordsTest {
  @TempDir Path dir;

  private static InternalRequest publish(long id, String name, String... urls) {
    return InternalRequest.newBuilder().setMemberAttrSet(MemberAttributes.newBuilder()
        .setMemberId(id).setName(name).addAllClientUrls(List.of(urls))).build();
  }

  @Test
  void publishedAttributesReplacePerMemberSurviveReopenAndWriteNoRevision() {
    try (Fixture f = new Fixture(dir)) {
      f.ok(Fixture.put("k", "v"));
      long revision = f.store.currentRevision();
      int hash = f.store.hashKV(0);
      ApplyResult r = f.ok(publish(-2L, "b", "http://127.0.0.1:2"));
      assertNull(r.response());
      f.ok(publish(5, "a", "http://127.0.0.1:1"));
      f.ok(publish(-2L, "b", "http://127.0.0.1:3", "http://127.0.0.1:4"));
      assertEquals(revision, f.store.currentRevision(), "publishing is not a key-space write");
      assertEquals(hash, f.store.hashKV(0));
      f.reopen();
      assertEquals(List.of(
          MemberAttributes.newBuilder().setMemberId(5).setName("a").addClientUrls("http://127.0.0.1:1").build(),
          MemberAttributes.newBuilder().setMemberId(-2L).setName("b")
              .addClientUrls("http://127.0.0.1:3").addClientUrls("http://127.0.0.1:4").build()),
          f.store.memberAttributes());
      assertEquals(4, f.store.consistentIndex());
    }
  }
}
