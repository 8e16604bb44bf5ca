package io.vkv.node.auth;

import io.vkv.node.testing.RealEtcd;
import java.nio.file.Path;

/** A freshly started server that etcdctl talks to: the reference etcd or vkv. Closing stops it. */
interface ServerUnderTest extends AutoCloseable {
  /** etcdctl's --endpoints value. */
  String endpoints();

  @Override
  void close();

  /** Which server; each test class parameterized over this runs once against each. */
  enum Kind {
    ETCD {
      @Override
      ServerUnderTest start(Path dir) {
        RealEtcd etcd = RealEtcd.start(dir);
        return new ServerUnderTest() {
          @Override
          public String endpoints() {
            return etcd.endpoint();
          }

          @Override
          public void close() {
            etcd.close();
          }
        };
      }
    },
    VKV {
      @Override
      ServerUnderTest start(Path dir) {
        return InProcessVkv.start(dir);
      }
    };

    /** Starts an empty single-member server keeping its data under dir. */
    abstract ServerUnderTest start(Path dir);
  }
}
