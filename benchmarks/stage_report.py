#!/usr/bin/env python3
"""Per-stage breakdown of the write path (and the linearizable reads' ReadIndex wait) from two /metrics scrapes of one member (before and after a run).

For every histogram of the write path it prints how many times the stage ran during the run, its mean, and its
p50/p99 read off the histogram's buckets (the upper bound of the bucket the percentile falls in).

    stage_report.py --before before.txt --after after.txt [--title TEXT]
"""
import argparse
import re

# (metric base name, what the stage is), in the order a write passes them
STAGES = [
    ("vkv_raft_intake_wait_seconds", "intake: client hand-off → proposed on the Raft loop"),
    ("vkv_raft_ready_entries", "entries per Ready (batch size, not a time)"),
    ("vkv_raft_persist_duration_seconds", "persist one Ready (WAL append + fsync, on the Raft loop)"),
    ("etcd_disk_wal_fsync_duration_seconds", "  of which: the fsync itself"),
    ("etcd_network_peer_round_trip_time_seconds", "leader → follower append → durable ack"),
    ("vkv_raft_commit_duration_seconds", "Ready with the entry → entry committed"),
    ("vkv_apply_wait_seconds", "committed → apply starts (0 when applied on the Raft loop)"),
    ("vkv_apply_duration_seconds", "apply one batch to the store"),
    ("vkv_reply_wait_seconds", "applied → client's event loop completes the call"),
    # not a write stage: printed when linearizable reads ran (a range or read-only txn benchmark)
    ("vkv_read_index_wait_seconds", "a linearizable read: taken by the Raft loop → ReadIndex confirmed and applied"),
]

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)$')


def parse(path):
    values = {}
    with open(path) as f:
        for line in f:
            m = LINE.match(line.strip())
            if m:
                values[(m.group(1), m.group(2) or "")] = float(m.group(3))
    return values


def series(values, base):
    """{labels-without-le: {'count', 'sum', 'buckets': [(le, cumulative)]}} for one histogram."""
    out = {}
    for (name, labels), v in values.items():
        if name == base + "_count":
            out.setdefault(labels, {"buckets": []})["count"] = v
        elif name == base + "_sum":
            out.setdefault(labels, {"buckets": []})["sum"] = v
        elif name == base + "_bucket":
            le = re.search(r'le="([^"]+)"', labels).group(1)
            rest = re.sub(r',?le="[^"]+"', "", labels).replace("{,", "{")
            rest = "" if rest == "{}" else rest
            out.setdefault(rest, {"buckets": []})["buckets"].append((float(le), v))
    return out


def percentile(buckets, q):
    buckets = sorted(buckets)
    total = buckets[-1][1] if buckets else 0
    if total <= 0:
        return None
    for le, cumulative in buckets:
        if cumulative >= q * total:
            return le
    return None


def fmt(seconds, is_time):
    if seconds is None:
        return "–"
    if not is_time:
        return f"{seconds:,.1f}"
    if seconds == float("inf"):
        return "> max bucket"
    us = seconds * 1e6
    return f"{us:,.0f} µs" if us < 1000 else f"{us / 1000:,.2f} ms"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--before", required=True)
    p.add_argument("--after", required=True)
    p.add_argument("--title", default="")
    a = p.parse_args()
    before, after = parse(a.before), parse(a.after)
    if a.title:
        print(a.title)
        print()
    print("| stage | what | count | mean | p50 ≤ | p99 ≤ |")
    print("| --- | --- | --- | --- | --- | --- |")
    for base, what in STAGES:
        is_time = base.endswith("_seconds")
        b, s = series(before, base), series(after, base)
        for labels in sorted(s):
            x, y = b.get(labels, {"count": 0, "sum": 0, "buckets": []}), s[labels]
            count = y.get("count", 0) - x.get("count", 0)
            if count <= 0:
                continue
            mean = (y.get("sum", 0) - x.get("sum", 0)) / count
            old = dict(x["buckets"])
            delta = [(le, c - old.get(le, 0)) for le, c in y["buckets"]]
            name = base + labels
            print(f"| `{name}` | {what} | {count:,.0f} | {fmt(mean, is_time)} | "
                  f"{fmt(percentile(delta, 0.5), is_time)} | {fmt(percentile(delta, 0.99), is_time)} |")


if __name__ == "__main__":
    main()
