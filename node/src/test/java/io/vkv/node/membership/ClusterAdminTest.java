package io.vkv.node.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vkv.api.EtcdError;
import io.vkv.api.EtcdException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterAdminTest {
  @Test
  void peerUrlsMustBeHttpHostAndPortWithoutPath() {
    assertEquals(List.of("http://127.0.0.1:2380", "https://h:1"),
        ClusterAdmin.validUrls(List.of("https://h:1", "http://127.0.0.1:2380")));
    for (List<String> bad : List.of(List.<String>of(), List.of("127.0.0.1:2380"), List.of("http://h"),
        List.of("ftp://h:1"), List.of("http://h:1/path"), List.of("http://h:1?q"), List.of("http://h:1", "::"))) {
      EtcdException e = assertThrows(EtcdException.class, () -> ClusterAdmin.validUrls(bad), bad.toString());
      assertEquals(EtcdError.MEMBER_BAD_URLS, e.error());
    }
  }
}
