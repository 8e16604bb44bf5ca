package io.vkv.node.gateway;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /v3/auth/* through the gateway, and the token in the Authorization header, compared with etcd 3.4. */
class JsonGatewayAuthTest {
  @TempDir Path dir;

  @Test
  void authRoutesAndTokens() throws Exception {
    try (GatewayPair both = new GatewayPair(dir)) {
      both.same("/v3/auth/enable", "{}");
      both.same("/v3/auth/user/add", "{\"name\":\"root\",\"password\":\"pw\"}");
      both.same("/v3/auth/user/add", "{\"name\":\"root\",\"password\":\"pw\"}");
      both.same("/v3/auth/user/get", "{\"name\":\"root\"}");
      both.same("/v3/auth/user/get", "{\"name\":\"nobody\"}");
      both.same("/v3/auth/role/add", "{\"name\":\"root\"}");
      both.same("/v3/auth/user/grant", "{\"user\":\"root\",\"role\":\"root\"}");
      both.same("/v3/auth/role/add", "{\"name\":\"reader\"}");
      both.same("/v3/auth/role/grant", "{\"name\":\"reader\",\"perm\":{\"permType\":\"READ\",\"key\":\"YQ==\",\"range_end\":\"Yg==\"}}");
      both.same("/v3/auth/role/get", "{\"role\":\"reader\"}");
      both.same("/v3/auth/role/list", "{}");
      both.same("/v3/auth/user/list", "{}");
      both.same("/v3/auth/enable", "{}");
      both.same("/v3/kv/range", "{\"key\":\"YQ==\"}");
      both.same("/v3/auth/authenticate", "{\"name\":\"root\",\"password\":\"bad\"}");
      String rootEtcd = token(both.ref, "root", "pw");
      String rootVkv = token(both.vkv, "root", "pw");
      both.sameAs(rootVkv, rootEtcd, "/v3/kv/range", "{\"key\":\"YQ==\"}");
      both.sameAs("bogus", "bogus", "/v3/kv/range", "{\"key\":\"YQ==\"}");
      both.sameAs(rootVkv, rootEtcd, "/v3/auth/user/get", "{\"name\":\"root\"}");
      both.sameAs(rootVkv, rootEtcd, "/v3/auth/user/add", "{\"name\":\"u\",\"password\":\"p\"}");
      both.sameAs(rootVkv, rootEtcd, "/v3/auth/user/grant", "{\"user\":\"u\",\"role\":\"reader\"}");
      both.sameAs(token(both.vkv, "u", "p"), token(both.ref, "u", "p"), "/v3/kv/put", "{\"key\":\"YQ==\",\"value\":\"MQ==\"}");
      both.sameAs(rootVkv, rootEtcd, "/v3/auth/user/revoke", "{\"name\":\"u\",\"role\":\"reader\"}");
      both.sameAs(rootVkv, rootEtcd, "/v3/auth/user/changepw", "{\"name\":\"u\",\"password\":\"q\"}");
      both.sameAs(rootVkv, rootEtcd, "/v3/auth/role/revoke", "{\"role\":\"reader\",\"key\":\"YQ==\",\"range_end\":\"Yg==\"}");
      both.sameAs(rootVkv, rootEtcd, "/v3/auth/role/delete", "{\"role\":\"reader\"}");
      both.sameAs(rootVkv, rootEtcd, "/v3/auth/user/delete", "{\"name\":\"u\"}");
      both.sameAs(rootVkv, rootEtcd, "/v3/auth/disable", "{}");
      both.same("/v3/auth/disable", "{}");
    }
  }

  private static String token(GatewayClient client, String user, String password) throws Exception {
    return client.post("/v3/auth/authenticate", "{\"name\":\"" + user + "\",\"password\":\"" + password + "\"}", null)
        .json().get("token").getAsString();
  }
}
