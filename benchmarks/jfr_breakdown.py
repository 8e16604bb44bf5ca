#!/usr/bin/env python3
"""Where a member's Java CPU goes, from JFR recordings (jdk.ExecutionSample), by part of the put path.

Each sample is put in the first part whose frame pattern occurs anywhere in its stack (the order below matters:
a WAL write on the Raft loop counts as "raft loop: persist", not as "raft loop: Ready"). Native code (fsync, LMDB)
is not sampled by JFR's execution sampler, so this is the Java side only.

    jfr_breakdown.py [--jfr PATH_TO_jfr] [--under FRAME] recording.jfr ...

--under FRAME instead lists the callees directly under the deepest frame whose name contains FRAME, e.g.
--under RaftLoop.processReady. Record with the member's JVM options, e.g.
VKV_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/m-%p.jfr,settings=profile,dumponexit=true".
"""
import argparse
import collections
import json
import shutil
import subprocess

# (part, a frame pattern that puts a sample in it), first match wins
PARTS = [
    ("raft loop: persist (WAL write + force)", "WalStorage.persist"),
    ("raft loop: apply to the store", "ApplyStage"),
    ("raft loop: Ready (sends, reads of the log)", "RaftLoop.processReady"),
    ("raft loop: stepping peer messages", "RaftLoop.receive"),
    ("raft loop: other", "RaftLoop"),
    ("peer connections: receive", "PeerTransport"),
    ("gRPC KV handlers", "KvEndpoint"),
    ("gRPC request decoding", "DecodingCall"),
    ("gRPC framing (Vert.x)", "io.vertx.grpc"),
    ("HTTP/2 (Netty, Vert.x)", "http2"),
    ("other Netty event-loop work", "io.netty"),
]


def samples(jfr, path):
    out = subprocess.check_output([jfr, "print", "--json", "--stack-depth", "128", "--events", "jdk.ExecutionSample", path])
    for event in json.loads(out)["recording"]["events"]:
        frames = event["values"]["stackTrace"]["frames"]
        yield [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"] for f in frames]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jfr", default=shutil.which("jfr") or "jfr", help="the JDK's jfr tool")
    ap.add_argument("--under", help="list the callees under the deepest frame containing this")
    ap.add_argument("recordings", nargs="+")
    args = ap.parse_args()
    counts = collections.Counter()
    total = 0
    for path in args.recordings:
        for stack in samples(args.jfr, path):
            if args.under:
                hits = [i for i, name in enumerate(stack) if args.under in name]
                if not hits:
                    continue
                total += 1
                callee = stack[hits[-1] - 1] if hits[-1] > 0 else "(itself)"
                counts[".".join(callee.split(".")[-2:])] += 1
                continue
            total += 1
            joined = " ".join(stack)
            counts[next((part for part, pattern in PARTS if pattern in joined), "other")] += 1
    print(f"{total} samples")
    for name, n in counts.most_common(30):
        print(f"{100.0 * n / max(total, 1):5.1f} %  {name}")


if __name__ == "__main__":
    main()
