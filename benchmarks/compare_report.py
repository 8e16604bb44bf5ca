#!/usr/bin/env python3
"""Writes the generated part of docs/PERFORMANCE.md from the results of benchmarks/compare.sh.

The part sits between the BEGIN and END markers below; everything else in the file (the hand-written JMH sections)
is kept. Without markers, the part replaces the "## Side by side with etcd" section, or is appended. A run with TLS
on (compare.sh --tls, --tls here) has markers and a section of its own, so both can stand in one file.
"""
import argparse
import json
import os
import re

BEGIN = "<!-- compare.sh: generated from here to the end marker by benchmarks/compare.sh; do not edit by hand -->"
END = "<!-- compare.sh: end of generated part -->"
TLS_BEGIN = ("<!-- compare.sh --tls: generated from here to the end marker by benchmarks/compare.sh --tls; "
             "do not edit by hand -->")
TLS_END = "<!-- compare.sh --tls: end of generated part -->"
KINDS = ("etcd", "vkv")


def read(path, default=""):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def run_result(directory, kind):
    """The JSON line of one vkv-bench run (or None), its exit code and its first reported error."""
    text = read(os.path.join(directory, kind + ".json")).strip()
    result = None
    if text:
        try:
            result = json.loads(text.splitlines()[-1])
        except ValueError:
            result = None
    rc = read(os.path.join(directory, kind + ".rc"), "?").strip()
    err = read(os.path.join(directory, kind + ".err"))
    first = next((l.strip()[len("error:"):].strip() for l in err.splitlines() if l.strip().startswith("error:")), "")
    if not first and result is None:
        lines = [l for l in err.splitlines() if l.strip()]
        first = lines[-1].strip() if lines else "no output"
    return result, rc, first


def num(v, digits=0):
    return f"{v:,.{digits}f}"


def ms(v):
    if v >= 100:
        return num(v)
    if v >= 10:
        return num(v, 1)
    return num(v, 2)


def ok(result):
    return result is not None and result.get("ops", 0) > 0


def short_error(message):
    message = re.sub(r"\s+", " ", message)
    return message if len(message) <= 90 else message[:87] + "..."


def cell_ops(result, rc, error):
    if result is None:
        return f"failed (exit {rc}): {short_error(error)}"
    if not ok(result):
        return f"n/a ({result.get('errors', 0):,} errors: {short_error(error)})"
    return num(result["ops_per_s"])


def cell_latency(result):
    return f"{ms(result['p50_ms'])} / {ms(result['p99_ms'])}" if ok(result) else "–"


def ratio(a, b):
    return f"{b / a:.2f}×" if a and b else "–"


def facts_table(results):
    rows = [line.split("|", 1) for line in read(os.path.join(results, "facts.txt")).splitlines() if "|" in line]
    return ["| fact | value |", "| --- | --- |"] + [f"| {k} | `{v}` |" for k, v in rows], dict(rows)


def manifest(results):
    rows = []
    for line in read(os.path.join(results, "manifest.tsv")).splitlines():
        if line.strip():
            members, rid, title, args, order = line.split("\t")
            rows.append({"members": int(members), "id": rid, "title": title, "args": args, "order": order})
    return rows


def workload_sections(results, rows, plots_rel, plots_dir, plot_prefix="", client_tls=""):
    out = []
    summary = ["| workload | members | etcd ops/s | vkv ops/s | vkv/etcd | etcd p50 / p99 ms | vkv p50 / p99 ms |",
               "| --- | --- | --- | --- | --- | --- | --- |"]
    by_id = {}
    for r in rows:
        by_id.setdefault(r["id"], []).append(r)
    for rid, entries in by_id.items():
        title = entries[0]["title"]
        out += [f"### {title}", ""]
        out += ["```sh"]
        for r in entries:
            out.append(f"# {r['members']} member(s), run {r['order'].replace(' ', ' then ')}")
            out.append("java -jar benchmarks/target/vkv-bench.jar " + client_tls + "--endpoints $ENDPOINTS --key-size 8 "
                       f"--val-size 256 --hdr-out $SYSTEM.hdr {r['args']}")
        out += ["```", ""]
        unit = "events/s" if rid == "watch" else "ops/s"
        out += [f"| members | system | {unit} | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | ops | errors | "
                "client cpu | client saturated |",
                "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for r in entries:
            d = os.path.join(results, f"m{r['members']}", rid)
            got = {k: run_result(d, k) for k in KINDS}
            for k in KINDS:
                res, rc, err = got[k]
                if ok(res):
                    out.append(f"| {r['members']} | {k} | {num(res['ops_per_s'])} | {ms(res['p50_ms'])} | "
                               f"{ms(res['p90_ms'])} | {ms(res['p99_ms'])} | {ms(res['p999_ms'])} | "
                               f"{ms(res['max_ms'])} | {res['ops']:,} | {res['errors']:,} | "
                               f"{res['client_cpu']:.2f} | {str(res['saturated']).lower()} |")
                else:
                    out.append(f"| {r['members']} | {k} | {cell_ops(res, rc, err)} | – | – | – | – | – | "
                               f"{(res or {}).get('ops', 0):,} | {(res or {}).get('errors', 0):,} | – | – |")
            (e, _, _), (v, _, _) = got["etcd"], got["vkv"]
            out.append(f"| {r['members']} | **vkv/etcd** | **{ratio(e and e.get('ops_per_s'), v and v.get('ops_per_s'))}** "
                       f"| {ratio(e and e.get('p50_ms'), v and v.get('p50_ms')) if ok(e) and ok(v) else '–'} | – | "
                       f"{ratio(e and e.get('p99_ms'), v and v.get('p99_ms')) if ok(e) and ok(v) else '–'} "
                       "| – | – | – | – | – | – |")
            summary.append(f"| {title} | {r['members']} | {cell_ops(*got['etcd'])} | {cell_ops(*got['vkv'])} | "
                           f"{ratio(e['ops_per_s'], v['ops_per_s']) if ok(e) and ok(v) else '–'} | "
                           f"{cell_latency(e)} | {cell_latency(v)} |")
        out.append("")
        for r in entries:
            png = f"{plot_prefix}m{r['members']}-{rid}.png"
            if os.path.exists(os.path.join(plots_dir, png)):
                out.append(f"![{title}, {r['members']} member(s): latency by percentile]({plots_rel}/{png})")
        out.append("")
    return summary, out


def rss_section(results, rss_keys):
    d = os.path.join(results, "rss")
    out = [f"| system | RSS fresh MiB | RSS after loading {rss_keys:,} keys MiB | growth per key B | "
           "load txn/s (100 puts each) | load errors | keys counted |",
           "| --- | --- | --- | --- | --- | --- | --- |"]
    for k in KINDS:
        idle = int(read(os.path.join(d, k + ".idle"), "0").strip() or 0)
        loaded = int(read(os.path.join(d, k + ".loaded"), "0").strip() or 0)
        res, rc, err = run_result(d, k)
        count = "?"
        try:
            count = f"{json.loads(read(os.path.join(d, k + '.count')))['count']:,}"
        except (ValueError, KeyError, TypeError):
            pass
        load = num(res["ops_per_s"]) if ok(res) else cell_ops(res, rc, err)
        errors = f"{res['errors']:,}" if res else "?"
        per_key = num((loaded - idle) * 1024 / rss_keys) if loaded and idle else "?"
        out.append(f"| {k} | {num(idle / 1024)} | {num(loaded / 1024)} | {per_key} | {load} | {errors} | {count} |")
    return out


def after_matrix(results, rows):
    out = ["| members | etcd RSS per member MiB | vkv RSS per member MiB |", "| --- | --- | --- |"]
    for m in sorted({r["members"] for r in rows}):
        cells = []
        for k in KINDS:
            kb = read(os.path.join(results, f"m{m}", k + ".rss-after-matrix")).split()
            cells.append(" / ".join(num(int(x) / 1024) for x in kb) or "?")
        out.append(f"| {m} | {cells[0]} | {cells[1]} |")
    return out


def generate(args):
    rows = manifest(args.results)
    facts, fact = facts_table(args.results)
    plots_rel = os.path.relpath(args.plots, os.path.dirname(os.path.abspath(args.doc)))
    if args.tls:
        summary, sections = workload_sections(args.results, rows, plots_rel, args.plots, "tls-",
                                              "--cacert ca.crt --cert client.crt --key client.key ")
    else:
        summary, sections = workload_sections(args.results, rows, plots_rel, args.plots)
    quick = fact.get("mode") == "--quick"
    command = "benchmarks/compare.sh --tls" if args.tls else "benchmarks/compare.sh"
    if args.tls:
        lines = [TLS_BEGIN, "## Side by side with etcd, TLS on (benchmarks/compare.sh --tls)", ""]
    else:
        lines = [BEGIN, "## Side by side with etcd (benchmarks/compare.sh)", ""]
    if quick:
        lines += [f"> **These figures are from a `{command} --quick` smoke run** "
                  f"({args.duration} per measurement, {args.rss_keys:,} keys for the RSS reading) on a 2-core machine "
                  "shared with other builds and test suites. They show that the pipeline works end to end; they are "
                  f"too short and too noisy to rank the systems. A full run (`{command}`, 10 s per "
                  "measurement, 1,000,000 keys) replaces this section.", ""]
    if args.tls:
        lines += [
            "**TLS on.** Both systems serve clients over TLS and talk between members over TLS, mutual on both sides "
            "(`--client-cert-auth`, `--peer-client-cert-auth`), with the same throw-away CA and ECDSA P-256 "
            "certificates for 127.0.0.1 that compare.sh makes with openssl (one member certificate for every member "
            "of both systems, as server and peer certificate; one client certificate for vkv-bench and etcdctl). "
            "vkv-bench connects to `https://` endpoints with `--cacert`, `--cert` and `--key`. Everything else is as "
            "in the plain-text section: compare the two summaries for the cost of TLS (they are comparable only when "
            "both runs were made on the same quiet machine with the same options).",
            "",
        ]
    lines += [
        f"Written by `{command}" + (" --quick" if quick else "") + "`. Real etcd "
        "(Debian's `etcd-server`) and vkv, each as 1 member and as 3 members (three processes on loopback, "
        "etcd's flags as in [cluster.md](cluster.md)), both with fsync on and every data dir on the same disk. "
        "For each topology both clusters are started fresh and warmed up "
        f"({args.warm} of puts from 64 clients and {args.warm_range} of serializable ranges each, not recorded); they then stay up while "
        "every workload runs against one system and then the other, the order alternating from row to row. "
        "The client is `vkv-bench` for both ([benchmarking.md](benchmarking.md)); `--endpoints` lists every "
        "member, and requests go round-robin over them. `--conns` is per endpoint, so on 3 members it is the "
        "row's connection count divided by 3, rounded up. ratio = vkv / etcd (above 1 is faster for ops/s, "
        "slower for latency).",
        "",
        "Each server ran as:",
        "",
    ]
    lines += tls_server_commands() if args.tls else [
        "```sh",
        "etcd --name etcd1 --data-dir $DIR --listen-client-urls http://127.0.0.1:$C --advertise-client-urls "
        "http://127.0.0.1:$C \\",
        "  --listen-peer-urls http://127.0.0.1:$P --initial-advertise-peer-urls http://127.0.0.1:$P \\",
        "  --initial-cluster-token etcd-bench --initial-cluster-state new --initial-cluster "
        "etcd1=http://127.0.0.1:$P1[,etcd2=...,etcd3=...]",
        "java -jar node/target/vkv.jar   # the same flags (vkv1..3, token vkv-bench)",
        "```",
        "",
    ]
    lines += ["### Machine", ""] + facts + [""]
    lines += ["### Summary", ""] + summary + [""]
    lines += ["`n/a` = the system served none of the requests (the reason is the first error vkv-bench reported). "
              "For `watch`, ops/s are events delivered per second and latency is put-to-event.", ""]
    lines += sections
    lines += ["### Memory", "", f"RSS (`VmRSS` of `/proc/PID/status`) of a fresh single member, idle, and after "
              f"loading {args.rss_keys:,} keys of 8 B with 256 B values (`txn-put --txn-ops 100 --key-space-size "
              f"{args.rss_keys} --total {args.rss_keys // 100} --clients 32 --conns 4`; 100 puts per transaction "
              "keeps the load short), read 2 s after the last write. vkv runs on bin/vkv's JVM and heap settings "
              "(the machine table above), so its RSS includes garbage the collector has not yet returned.", ""]
    lines += rss_section(args.results, args.rss_keys) + [""]
    lines += ["RSS of each member at the end of the matrix (every workload above, same servers):", ""]
    lines += after_matrix(args.results, rows) + ["", TLS_END if args.tls else END]
    return "\n".join(lines) + "\n"


def tls_server_commands():
    return [
        "```sh",
        "etcd --name etcd1 --data-dir $DIR --listen-client-urls https://127.0.0.1:$C --advertise-client-urls "
        "https://127.0.0.1:$C \\",
        "  --listen-peer-urls https://127.0.0.1:$P --initial-advertise-peer-urls https://127.0.0.1:$P \\",
        "  --initial-cluster-token etcd-bench --initial-cluster-state new --initial-cluster "
        "etcd1=https://127.0.0.1:$P1[,etcd2=...,etcd3=...] \\",
        "  --cert-file member.crt --key-file member.key --trusted-ca-file ca.crt --client-cert-auth \\",
        "  --peer-cert-file member.crt --peer-key-file member.key --peer-trusted-ca-file ca.crt --peer-client-cert-auth",
        "java -jar node/target/vkv.jar   # the same flags (vkv1..3, token vkv-bench)",
        "```",
        "",
    ]


def splice(doc_text, part, tls=False):
    begin, end_marker = (TLS_BEGIN, TLS_END) if tls else (BEGIN, END)
    if begin in doc_text and end_marker in doc_text:
        start = doc_text.index(begin)
        end = doc_text.index(end_marker) + len(end_marker)
        return doc_text[:start] + part.rstrip("\n") + doc_text[end:]
    heading = r"^## Side by side with etcd, TLS on" if tls else r"^## Side by side with etcd(?!, TLS on)"
    m = re.search(heading + r".*?(?=^## |\Z)", doc_text, re.S | re.M)
    if m:
        return doc_text[:m.start()] + part + "\n" + doc_text[m.end():]
    return doc_text.rstrip("\n") + "\n\n" + part


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--results", required=True)
    p.add_argument("--doc", required=True)
    p.add_argument("--plots", required=True)
    p.add_argument("--rss-keys", type=int, required=True)
    p.add_argument("--duration", required=True)
    p.add_argument("--warm", required=True)
    p.add_argument("--warm-range", required=True)
    p.add_argument("--tls", action="store_true", help="the run had TLS on: its own section and markers")
    args = p.parse_args()
    text = splice(read(args.doc), generate(args), args.tls)
    with open(args.doc, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
