"""Prints, one per line, the gRPC status code and message a Python (C-core) gRPC client receives for etcd errors.

Usage: python3 grpc_errors.py HOST:PORT. Uses the stubs that Debian's python3-etcd3 ships; a non-Go client decodes
grpc-message only as the gRPC spec says, so a mis-encoded message shows here.
"""
import sys

import grpc
from etcd3.etcdrpc import rpc_pb2 as pb
from etcd3.etcdrpc import rpc_pb2_grpc as stubs


def outcome(call):
    try:
        call()
        return "OK"
    except grpc.RpcError as e:
        return "%s|%s" % (e.code().name, e.details())


def main(endpoint):
    channel = grpc.insecure_channel(endpoint)
    kv = stubs.KVStub(channel)
    lease = stubs.LeaseStub(channel)
    for i in range(3):
        kv.Put(pb.PutRequest(key=b"grpc-errors", value=str(i).encode()), timeout=10)
    rev = kv.Range(pb.RangeRequest(key=b"grpc-errors"), timeout=10).header.revision
    kv.Compact(pb.CompactionRequest(revision=rev, physical=True), timeout=10)
    print(outcome(lambda: lease.LeaseRevoke(pb.LeaseRevokeRequest(ID=0x7eadbeef), timeout=10)))
    print(outcome(lambda: kv.Range(pb.RangeRequest(key=b"grpc-errors", revision=rev - 1), timeout=10)))
    print(outcome(lambda: kv.Range(pb.RangeRequest(key=b"grpc-errors", revision=rev + 100), timeout=10)))
    # a keep-alive stream answers, then the stream itself must not fail; its message is the lease's TTL
    granted = lease.LeaseGrant(pb.LeaseGrantRequest(TTL=30), timeout=10)
    replies = lease.LeaseKeepAlive(iter([pb.LeaseKeepAliveRequest(ID=granted.ID)]), timeout=10)
    print("keepalive ttl>0" if next(replies).TTL > 0 else "keepalive ttl=0")
    channel.close()


if __name__ == "__main__":
    main(sys.argv[1])
