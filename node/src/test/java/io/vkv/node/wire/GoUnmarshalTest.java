package io.vkv.node.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Descriptors.Descriptor;
import io.vkv.api.etcdserverpb.MemberAddRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.etcdserverpb.WatchRequest;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each row was sent to etcd 3.4.23 as the request of the method named (raw bytes through grpcio) and its answer
 * recorded: the decoding error's text, or empty where etcd decoded the message and went on to serve it. One row is
 * not etcd 3.4.23's answer: a length of 2⁶³−1 panics it (the member exits); vkv reports it as later gogoproto does.
 */
class GoUnmarshalTest {
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      Range     | ''                       | -
      Range     | 0a0161                   | -
      Range     | ffffffff                 | unexpected EOF
      Range     | 00                       | proto: RangeRequest: illegal tag 0 (wire type 0)
      Range     | 08                       | proto: wrong wireType = 0 for field Key
      Range     | 0a056162                 | unexpected EOF
      Range     | 0affffffff0f             | unexpected EOF
      Range     | 0a8080808080808080808001 | proto: integer overflow
      Range     | 0affffffffffffffffff01   | proto: negative length found during unmarshaling
      Range     | 0affffffffffffffff7f     | proto: negative length found during unmarshaling
      Range     | 0b                       | proto: wrong wireType = 3 for field Key
      Range     | 0c                       | proto: RangeRequest: wiretype end group for non-group
      Range     | 0d00000000               | proto: wrong wireType = 5 for field Key
      Range     | 1a0161                   | proto: wrong wireType = 2 for field Limit
      Range     | 188080808080808080808001 | proto: integer overflow
      Range     | 08010a0161               | proto: wrong wireType = 0 for field Key
      Range     | f8ffffff0f01             | -
      Range     | a00601                   | -
      Range     | a006ff                   | unexpected EOF
      Range     | a10600                   | unexpected EOF
      Range     | a20605                   | unexpected EOF
      Range     | a206ffffffffffffffffff01 | proto: negative length found during unmarshaling
      Range     | a306a406                 | -
      Range     | a306                     | unexpected EOF
      Range     | a406                     | proto: RangeRequest: wiretype end group for non-group
      Range     | a606                     | proto: illegal wireType 6
      Range     | a706                     | proto: illegal wireType 7
      Range     | 3005                     | -
      Range     | 0a01ff                   | -
      Txn       | 0a0208                   | unexpected EOF
      Txn       | 0a020000                 | proto: Compare: illegal tag 0 (wire type 0)
      Txn       | 1201                     | unexpected EOF
      MemberAdd | 0801                     | proto: wrong wireType = 0 for field PeerURLs
      MemberAdd | 0a01ff                   | -
      Watch     | 0a020a                   | unexpected EOF
      Watch     | 08                       | proto: wrong wireType = 0 for field CreateRequest
      """)
  void errorsAsEtcdReportsThem(String method, String hex, String expected) {
    assertEquals(expected, GoUnmarshal.error(type(method), HexFormat.of().parseHex(hex)));
  }

  private static Descriptor type(String method) {
    return switch (method) {
      case "Range" -> RangeRequest.getDescriptor();
      case "Txn" -> TxnRequest.getDescriptor();
      case "MemberAdd" -> MemberAddRequest.getDescriptor();
      case "Watch" -> WatchRequest.getDescriptor();
      default -> throw new IllegalArgumentException(method);
    };
  }
}
