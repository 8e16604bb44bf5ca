package io.vkv.node.clients;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs a JavaScript client script from {@code src/test/resources/clients} with Node.js ({@code node} on the PATH)
 * and the npm packages bin/test installs outside the repository: in {@code -Dvkv.test.clients.node=DIR}, else
 * {@code $VKV_TEST_CLIENTS_NODE}, else {@code ${XDG_CACHE_HOME:-$HOME/.cache}/vkv-test-clients/node} (bin/test's
 * default), as {@code npm install --prefix DIR etcd3@1.1.2} lays them out.
 */
final class NodeJsClient {
  /** The npm etcd3 package's version bin/test installs; the expected transcripts are this version's. */
  static final String ETCD3_VERSION = "1.1.2";

  static Path packagesDir() {
    String dir = System.getProperty("vkv.test.clients.node");
    if (dir == null || dir.isEmpty()) dir = System.getenv("VKV_TEST_CLIENTS_NODE");
    if (dir == null || dir.isEmpty()) {
      String cache = System.getenv("XDG_CACHE_HOME");
      if (cache == null || cache.isEmpty()) cache = System.getProperty("user.home") + "/.cache";
      dir = cache + "/vkv-test-clients/node";
    }
    return Path.of(dir);
  }

  static ClientProcess.Result run(String script, String... args) {
    Path modules = packagesDir().resolve("node_modules");
    Path etcd3 = modules.resolve("etcd3/package.json");
    if (!Files.isRegularFile(etcd3)) {
      throw new AssertionError("the npm etcd3 package is missing in " + modules + ": run bin/test, or npm install --prefix "
          + packagesDir() + " etcd3@" + ETCD3_VERSION);
    }
    try {
      String installed = Files.readString(etcd3);
      if (!installed.contains("\"version\": \"" + ETCD3_VERSION + "\"")) {
        throw new AssertionError(etcd3 + " is not etcd3 " + ETCD3_VERSION + " (bin/test installs that version)");
      }
    } catch (java.io.IOException e) {
      throw new AssertionError("cannot read " + etcd3, e);
    }
    return ClientProcess.run(List.of("node"), Map.of("NODE_PATH", modules.toString()), script, args);
  }

  private NodeJsClient() {}
}
