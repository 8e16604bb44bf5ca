package io.vkv.node.clients;

import java.util.List;
import java.util.Map;

/**
 * Runs a Python client script from {@code src/test/resources/clients} with Debian's interpreter (the one that sees
 * python3-etcd3 and python3-grpcio; bin/test installs them), with a deadline.
 */
final class PythonClient {
  private static final String PYTHON = "/usr/bin/python3";

  static ClientProcess.Result run(String script, String... args) {
    return ClientProcess.run(List.of(PYTHON), Map.of(), script, args);
  }

  private PythonClient() {}
}
