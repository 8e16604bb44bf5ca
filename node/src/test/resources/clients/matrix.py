"""The client matrix's Python column (issue #17): Debian's python3-etcd3 against one etcd v3 server.

Usage: /usr/bin/python3 matrix.py HOST:PORT (a fresh server: the script writes keys, compacts, enables auth).

Does put, get, prefix range, delete, txn (compare/success/failure), a watch, a lease with keep-alive, a lock and one
error of each kind through the library's own API (raw stubs only where python3-etcd3 has no call: auth), and prints
a transcript that does not depend on the server: values, counts, booleans, event types, error classes, gRPC codes
and messages; revisions only relative to one another, never lease ids. The test runs it against etcd 3.4 and vkv and
compares. Any unexpected failure exits non-zero with the traceback; a watchdog ends the script after LIMIT seconds.
"""
import os
import sys
import threading
import time
import traceback

import grpc
import etcd3
import etcd3.exceptions
from etcd3 import etcdrpc

LIMIT = 45  # seconds, the whole script
RPC_TIMEOUT = 10  # seconds, each call


def emit(*parts):
    print("|".join(str(p) for p in parts), flush=True)


def describe(exc):
    """An error as class|gRPC code|message; python3-etcd3 drops the message of the errors it translates, so the
    gRPC error it came from (the exception's context) supplies code and message."""
    rpc = exc if isinstance(exc, grpc.RpcError) else exc.__context__
    if isinstance(rpc, grpc.RpcError):
        return "%s|%s|%s" % (type(exc).__name__ if not isinstance(exc, grpc.RpcError) else "RpcError",
                             rpc.code().name, rpc.details())
    return "%s|%s" % (type(exc).__name__, exc)


def failure(call):
    try:
        result = call()
    except (grpc.RpcError, etcd3.exceptions.Etcd3Exception) as exc:
        return describe(exc)
    raise AssertionError("expected an error, got %r" % (result,))


def text(value):
    return None if value is None else value.decode()


def wait_for(what, condition, limit=RPC_TIMEOUT):
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("not within %s s: %s" % (limit, what))
        time.sleep(0.02)


def kv(c):
    for k, v in (("m/a", "1"), ("m/b", "2"), ("m/c", "3"), ("n/x", "9")):
        c.put(k, v)
    emit("put", "m/a,m/b,m/c,n/x")
    value, meta = c.get("m/a")
    emit("get", "m/a", text(value), "version", meta.version)
    prev = c.put("m/a", "1", prev_kv=True)
    emit("put prev_kv", text(prev.prev_kv.value), "version", c.get("m/a")[1].version)
    emit("get missing", c.get("m/none")[0])
    found = sorted((m.key.decode(), text(v)) for v, m in c.get_prefix("m/"))
    emit("prefix m/", len(found), ",".join("%s=%s" % kv for kv in found))
    emit("delete m/c", c.delete("m/c"))
    emit("delete m/c again", c.delete("m/c"))
    emit("prefix m/ after delete", len(list(c.get_prefix("m/"))))


def txn(c):
    t = c.transactions
    ok, responses = c.transaction(compare=[t.value("m/a") == "1", t.version("m/b") > 0],
                                  success=[t.put("m/a", "one"), t.get("m/b")],
                                  failure=[t.get("m/a")])
    emit("txn", ok, len(responses), text(responses[1][0][0]), "m/a", text(c.get("m/a")[0]))
    ok, responses = c.transaction(compare=[t.value("m/a") == "1"],
                                  success=[t.put("m/a", "never")],
                                  failure=[t.get("m/a"), t.delete("m/b")])
    emit("txn compare fails", ok, len(responses), text(responses[0][0][0]), "m/b", text(c.get("m/b")[0]))
    ok, _ = c.transaction(compare=[t.create("m/new") == 0], success=[t.put("m/new", "x")], failure=[])
    emit("txn create==0", ok, "again", c.transaction(compare=[t.create("m/new") == 0], success=[], failure=[])[0])


def watch(c):
    seen = []
    lock = threading.Lock()

    def on_response(response):
        with lock:
            if isinstance(response, Exception):
                seen.append("error " + type(response).__name__)
            else:
                for e in response.events:
                    seen.append("%s|%s|%s|prev=%s" % (type(e).__name__, e.key.decode(), e.value.decode(),
                                                     e.prev_value.decode() if e._event.HasField("prev_kv") else None))

    watch_id = c.add_watch_prefix_callback("w/", on_response, prev_kv=True)
    c.put("w/k", "v1")
    c.put("w/k", "v2")
    c.put("x/outside", "no")
    c.delete("w/k")
    wait_for("3 watch events", lambda: len(seen) >= 3)
    c.cancel_watch(watch_id)
    with lock:
        for line in seen:
            emit("watch", line)
    # a one-shot watch with the library's own timeout: a key nobody writes times out
    emit("watch_once idle", failure(lambda: c.watch_once("w/idle", timeout=0.3)))


def lease(c):
    l = c.lease(3)
    c.put("l/k", "v", lease=l)
    emit("lease granted", l.ttl, "keys", [k.decode() for k in l.keys])
    # keep-alive: refresh every 0.5 s for 4.5 s, longer than the TTL; the key must outlive it
    deadline = time.monotonic() + 4.5
    ttls = set()
    while time.monotonic() < deadline:
        ttls.update(r.TTL for r in l.refresh())
        time.sleep(0.5)
    emit("lease kept alive", sorted(ttls), "key", text(c.get("l/k")[0]), "remaining>0", l.remaining_ttl > 0)
    l.revoke()
    emit("lease revoked", "key", text(c.get("l/k")[0]), "remaining", l.remaining_ttl)
    # a keep-alive of a revoked lease is no error: the reply's TTL is 0 (what etcd3 clients call "lease expired")
    emit("lease refresh revoked", [r.TTL for r in l.refresh()])
    # a lease that expires on its own takes its key with it
    short = c.lease(2)
    c.put("l/short", "v", lease=short)
    wait_for("the 2 s lease to expire", lambda: c.get("l/short")[0] is None, limit=10)
    emit("lease expired", "key", text(c.get("l/short")[0]))


def lock(c):
    first = c.lock("res", ttl=10)
    emit("lock acquire", first.acquire(timeout=5), "is_acquired", first.is_acquired())
    emit("lock refresh ttl", [r.TTL for r in first.refresh()])
    second = c.lock("res", ttl=10)
    # contention: one attempt (timeout=0), which answers False; with a timeout > 0 python3-etcd3 0.12's retry wait
    # callback fails with Debian's newer tenacity (TypeError: wait() missing 'delay_since_first_attempt'), a
    # client bug whatever the server
    emit("lock contended", second.acquire(timeout=0), "is_acquired", second.is_acquired())
    emit("lock release", first.release(), "is_acquired", first.is_acquired())
    emit("lock second acquire", second.acquire(timeout=5), "release", second.release())
    emit("lock release twice", second.release())


def errors(c):
    t = c.transactions
    emit("error empty key", failure(lambda: c.put("", "x")))
    emit("error duplicate key in txn",
         failure(lambda: c.transaction(compare=[], success=[t.put("e/d", "1"), t.put("e/d", "2")], failure=[])))
    emit("error unknown lease revoke", failure(lambda: c.revoke_lease(0x7eadbeef)))
    emit("error put with unknown lease", failure(lambda: c.put("e/l", "v", lease=0x7eadbeef)))
    emit("error ttl of unknown lease", c.get_lease_info(0x7eadbeef).TTL)
    for i in range(3):
        c.put("e/c", str(i))
    rev = c.get("e/c")[1].mod_revision
    c.compact(rev, physical=True)
    # python3-etcd3 0.12's range calls drop their revision argument, so these two use its KV stub directly
    emit("error compacted range", failure(lambda: c.kvstub.Range(etcdrpc.RangeRequest(key=b"e/c", revision=rev - 1),
                                                                 timeout=RPC_TIMEOUT)))
    emit("error future range", failure(lambda: c.kvstub.Range(etcdrpc.RangeRequest(key=b"e/c", revision=rev + 100),
                                                              timeout=RPC_TIMEOUT)))
    emit("error compact again", failure(lambda: c.compact(rev - 1)))
    compacted = []
    c.add_watch_callback("e/c", compacted.append, start_revision=rev - 1)
    wait_for("the compacted watch's error", lambda: compacted)
    err = compacted[0]
    emit("error compacted watch", type(err).__name__, "at compaction", getattr(err, "compacted_revision", None) == rev)

    auth = etcdrpc.AuthStub(c.channel)
    emit("error auth enable without root", failure(lambda: auth.AuthEnable(etcdrpc.AuthEnableRequest(), timeout=RPC_TIMEOUT)))
    emit("error login auth disabled", failure(lambda: etcd3.client(*c._url.rsplit(":", 1), user="root", password="pw",
                                                                  timeout=RPC_TIMEOUT)))
    auth.UserAdd(etcdrpc.AuthUserAddRequest(name="root", password="pw"), timeout=RPC_TIMEOUT)
    emit("error user exists", failure(lambda: auth.UserAdd(etcdrpc.AuthUserAddRequest(name="root", password="pw"),
                                                           timeout=RPC_TIMEOUT)))
    auth.UserGrantRole(etcdrpc.AuthUserGrantRoleRequest(user="root", role="root"), timeout=RPC_TIMEOUT)
    auth.UserAdd(etcdrpc.AuthUserAddRequest(name="reader", password="pw"), timeout=RPC_TIMEOUT)
    auth.AuthEnable(etcdrpc.AuthEnableRequest(), timeout=RPC_TIMEOUT)
    host, port = c._url.rsplit(":", 1)
    emit("error wrong password", failure(lambda: etcd3.client(host, port, user="root", password="bad", timeout=RPC_TIMEOUT)))
    # python3-etcd3 sends its token as call credentials, which grpc refuses on a plaintext channel ("Established
    # channel does not have a sufficient security level"), whatever the server; so the token goes as metadata here
    reader = auth.Authenticate(etcdrpc.AuthenticateRequest(name="reader", password="pw"), timeout=RPC_TIMEOUT).token
    root = auth.Authenticate(etcdrpc.AuthenticateRequest(name="root", password="pw"), timeout=RPC_TIMEOUT).token
    emit("error no permission", failure(lambda: c.kvstub.Put(etcdrpc.PutRequest(key=b"m/a", value=b"x"),
                                                             timeout=RPC_TIMEOUT, metadata=(("token", reader),))))
    emit("error bad token", failure(lambda: c.kvstub.Range(etcdrpc.RangeRequest(key=b"m/a"), timeout=RPC_TIMEOUT,
                                                           metadata=(("token", "not-a-token"),))))
    emit("error no token", failure(lambda: c.get("m/a")))
    got = c.kvstub.Range(etcdrpc.RangeRequest(key=b"m/a"), timeout=RPC_TIMEOUT, metadata=(("token", root),))
    emit("root get", got.count, text(got.kvs[0].value))

def main(endpoint):
    host, port = endpoint.rsplit(":", 1)
    c = etcd3.client(host, int(port), timeout=RPC_TIMEOUT)
    try:
        kv(c)
        txn(c)
        watch(c)
        lease(c)
        lock(c)
        errors(c)
    finally:
        c.close()
    emit("done")


def watchdog():
    sys.stderr.write("matrix.py: gave up after %d s (a call or a wait hung)\n" % LIMIT)
    sys.stderr.flush()
    os._exit(3)


if __name__ == "__main__":
    timer = threading.Timer(LIMIT, watchdog)
    timer.daemon = True
    timer.start()
    try:
        main(sys.argv[1])
    except BaseException:
        sys.stdout.flush()
        sys.stderr.write("matrix.py: FAILED\n" + traceback.format_exc())
        sys.stderr.flush()
        os._exit(1)
    sys.stdout.flush()
    os._exit(0)  # python3-etcd3's watch thread is not a clean exit otherwise
