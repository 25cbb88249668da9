#!/usr/bin/env python3
"""Turns bench/run's raw measurements into medians, ratios, a TSV, a PNG chart and docs/BENCHMARKS.md.

Standard library only (the machine has no PyPI). Input: the raw TSV (round, scenario, target, key,
value) and the meta TSV (key, value) that bench/run writes. Output, in --out: latest.tsv (medians and
ratios), latest-raw.tsv, latest-meta.tsv, latest.png (via gnuplot); and the section of --doc between
the BEGIN and END markers, regenerated (appended if the markers are missing).
"""

import argparse
import collections
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

PEERS = ("haproxy", "nginx")
TARGETS = ("haproxy", "nginx", "fulcrum", "direct")
NAMES = {"haproxy": "HAProxy", "nginx": "nginx", "fulcrum": "Fulcrum", "direct": "direct"}
COLOURS = {"direct": "#8c8c8c", "haproxy": "#1f77b4", "nginx": "#2ca02c", "fulcrum": "#ff7f0e"}

SCENARIOS = {
    "ka50": "(1) keep-alive GET, 50 connections",
    "ka200": "(1) keep-alive GET, 200 connections",
    "close": "(2) new connection per request, 50 connections",
    "dl1m": "(3) 1 MiB downloads, 20 connections",
    "up1g": "(4) {big_mib} MiB upload (one request)",
    "down1g": "(4) {big_mib} MiB download (one request)",
    "idle": "(5) idle, after start",
    "idle_conns": "(7) {idle_conns} idle keep-alive client connections held open",
    "hc_many": "(7) {many_targets} targets health-checked every second, no traffic",
    "ka50_2loops": "(7) keep-alive GET, 50 connections, 2 threads / event loops on both cores (load generator's core shared)",
    "startup": "start to first served request",
    "tls_ka": "(8) HTTPS keep-alive GET, 50 connections",
    "tls_hs": "(8) HTTPS, a new connection and a full TLS handshake per request, 50 connections",
    "h2": "(8) HTTP/2 over TLS (h2load), 50 connections x 10 streams",
}

# metric -> (label, unit, higher is better, format)
METRICS = {
    "rps": ("requests/s", "req/s", True, "{:.0f}"),
    "mibps": ("throughput", "MiB/s", True, "{:.0f}"),
    "p50_ms": ("latency p50", "ms", False, "{:.2f}"),
    "p99_ms": ("latency p99", "ms", False, "{:.2f}"),
    "p999_ms": ("latency p99.9", "ms", False, "{:.2f}"),
    "mean_ms": ("latency mean", "ms", False, "{:.2f}"),
    "req_per_cpu_s": ("requests per CPU-second", "req/CPU-s", True, "{:.0f}"),
    "cpu_pct": ("proxy CPU (whole process tree)", "% of a core", False, "{:.0f}"),
    "cpu_s": ("proxy CPU time (whole process tree)", "CPU-s", False, "{:.2f}"),
    "rss_load_mib": ("peak RSS under this load", "MiB", False, "{:.1f}"),
    "rss_peak_mib": ("peak RSS during the transfer", "MiB", False, "{:.1f}"),
    "rss_idle_mib": ("RSS idle", "MiB", False, "{:.1f}"),
    "startup_ms": ("time to first served request", "ms", False, "{:.0f}"),
    "rss_per_conn_kib": ("RSS per idle connection", "KiB", False, "{:.1f}"),
    "rss_held_mib": ("RSS with the connections held", "MiB", False, "{:.1f}"),
    "conns_failed": ("connections that failed to open", "count", False, "{:.0f}"),
    "rss_hc_mib": ("RSS with these targets", "MiB", False, "{:.1f}"),
    "errors": ("errors (socket + non-2xx)", "count", False, "{:.0f}"),
    "scaling": ("req/s with 2 threads / with 1 (ka50)", "x", True, "{:.2f}"),
}

# the rows of the table, in order
ROWS = [
    ("ka50", ["rps", "p50_ms", "p99_ms", "p999_ms", "req_per_cpu_s", "cpu_pct", "errors"]),
    ("ka200", ["rps", "p50_ms", "p99_ms", "p999_ms", "req_per_cpu_s", "cpu_pct", "rss_load_mib", "errors"]),
    ("close", ["rps", "p50_ms", "p99_ms", "req_per_cpu_s", "cpu_pct", "errors"]),
    ("dl1m", ["mibps", "p99_ms", "req_per_cpu_s", "cpu_pct", "errors"]),
    ("up1g", ["mibps", "rss_peak_mib", "cpu_s", "errors"]),
    ("down1g", ["mibps", "rss_peak_mib", "cpu_s", "errors"]),
    ("idle", ["rss_idle_mib"]),
    ("idle_conns", ["rss_per_conn_kib", "rss_held_mib", "conns_failed"]),
    ("hc_many", ["cpu_pct", "rss_hc_mib"]),
    ("ka50_2loops", ["rps", "scaling", "p99_ms", "req_per_cpu_s", "cpu_pct", "errors"]),
    ("startup", ["startup_ms"]),
    ("tls_ka", ["rps", "p50_ms", "p99_ms", "p999_ms", "req_per_cpu_s", "cpu_pct", "errors"]),
    ("tls_hs", ["rps", "p50_ms", "p99_ms", "req_per_cpu_s", "cpu_pct", "errors"]),
    ("h2", ["rps", "mean_ms", "req_per_cpu_s", "cpu_pct", "errors"]),
]

# the issue's targets: (scenario, metric) -> (kind, bound, text); kind "peer" compares
# Fulcrum/best peer, kind "abs" compares Fulcrum's own figure
TARGETS_OF_ISSUE = {
    ("ka50", "rps"): ("peer", 1.0, ">= 1.0 x best peer"),
    ("ka200", "rps"): ("peer", 1.0, ">= 1.0 x best peer"),
    ("ka50", "p99_ms"): ("peer", 1.25, "<= 1.25 x best peer"),
    ("ka200", "p99_ms"): ("peer", 1.25, "<= 1.25 x best peer"),
    ("ka50", "req_per_cpu_s"): ("peer", 1.0, ">= 1.0 x best peer"),
    ("ka200", "req_per_cpu_s"): ("peer", 1.0, ">= 1.0 x best peer"),
    ("close", "rps"): ("peer", 0.9, ">= 0.9 x best peer"),
    ("dl1m", "mibps"): ("peer", 0.9, ">= 0.9 x best peer"),
    ("ka200", "rss_load_mib"): ("abs", 200.0, "<= 200 MiB"),
    ("startup", "startup_ms"): ("abs", 1500.0, "<= 1500 ms"),
    # issue 7: HTTPS and h2 rows have the plain keep-alive targets
    ("tls_ka", "rps"): ("peer", 1.0, ">= 1.0 x best peer"),
    ("tls_ka", "p99_ms"): ("peer", 1.25, "<= 1.25 x best peer"),
    ("tls_ka", "req_per_cpu_s"): ("peer", 1.0, ">= 1.0 x best peer"),
    ("tls_hs", "rps"): ("peer", 1.0, ">= 1.0 x best peer"),
    ("h2", "rps"): ("peer", 1.0, ">= 1.0 x best peer"),
}

# the chart's panels: (scenario, metric, title)
PANELS = [
    ("ka50", "rps", "keep-alive GET, 50 conn: req/s"),
    ("ka200", "rps", "keep-alive GET, 200 conn: req/s"),
    ("ka200", "p99_ms", "keep-alive GET, 200 conn: p99 ms (lower is better)"),
    ("ka200", "req_per_cpu_s", "keep-alive GET, 200 conn: req per CPU-s"),
    ("close", "rps", "new connection per request: req/s"),
    ("close", "req_per_cpu_s", "new connection per request: req per CPU-s"),
    ("dl1m", "mibps", "1 MiB downloads: MiB/s"),
    ("ka200", "rss_load_mib", "RSS under 200-conn load, MiB (lower is better)"),
    ("idle", "rss_idle_mib", "RSS idle, MiB (lower is better)"),
    ("up1g", "mibps", "big upload: MiB/s"),
    ("down1g", "mibps", "big download: MiB/s"),
    ("down1g", "rss_peak_mib", "peak RSS, big download, MiB (lower is better)"),
    ("idle_conns", "rss_per_conn_kib", "RSS per idle client connection, KiB (lower is better)"),
    ("startup", "startup_ms", "start to first served request, ms (lower is better)"),
    ("hc_many", "cpu_pct", "many targets health-checked every 1 s: % of a core"),
    ("ka50_2loops", "rps", "keep-alive GET, 50 conn, 2 threads: req/s"),
    ("tls_ka", "rps", "HTTPS keep-alive GET, 50 conn: req/s"),
    ("tls_hs", "rps", "HTTPS full handshake per request: req/s"),
    ("tls_hs", "req_per_cpu_s", "HTTPS full handshake per request: req per CPU-s"),
    ("h2", "rps", "h2 over TLS, 50 conn x 10 streams: req/s"),
]

BEGIN = "<!-- BENCH:BEGIN generated by bench/run (bench/report.py); edits up to BENCH:END are overwritten -->"
END = "<!-- BENCH:END -->"


def read_raw(path):
    """(round, scenario, target) -> {key: float}"""
    runs = collections.defaultdict(dict)
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line:
                continue
            parts = line.split("\t")
            if len(parts) != 5:
                sys.exit(f"{path}:{n}: {line!r} (expected: round, scenario, target, key, value)")
            rnd, scenario, target, key, value = parts
            if n == 1 and rnd == "round":
                continue  # the header of a latest-raw.tsv
            try:
                runs[(rnd, scenario, target)][key] = float(value)
            except ValueError:
                sys.exit(f"{path}:{n}: {value!r} (expected: a number)")
    return runs


def read_meta(path):
    meta = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("\t")
            meta[key] = value
    return meta


def derive(scenario, raw, clk_tck):
    """One run's raw keys -> its metrics."""
    m = {}
    cpu_s = raw["cpu_ticks"] / clk_tck if "cpu_ticks" in raw else None
    if "errors" in raw or "status_errors" in raw:
        m["errors"] = raw.get("errors", 0) + raw.get("status_errors", 0)
    if "duration_us" in raw:  # a wrk or h2load run
        secs = raw["duration_us"] / 1e6
        m["rps"] = raw["requests"] / secs
        m["mibps"] = raw["bytes"] / secs / 2**20
        for p in ("p50", "p99", "p999", "mean"):  # wrk gives percentiles, h2load only a mean
            if p + "_us" in raw:
                m[p + "_ms"] = raw[p + "_us"] / 1000
        if cpu_s is not None:
            m["cpu_s"] = cpu_s
            m["cpu_pct"] = 100 * cpu_s / secs
            if cpu_s > 0:
                m["req_per_cpu_s"] = raw["requests"] / cpu_s
        if "rss_load_kib" in raw:
            m["rss_load_mib"] = raw["rss_load_kib"] / 1024
    elif "seconds" in raw:  # a curl transfer
        if raw["seconds"] > 0:
            m["mibps"] = raw["bytes"] / raw["seconds"] / 2**20
        if cpu_s is not None:
            m["cpu_s"] = cpu_s
    if "rss_peak_kib" in raw:
        m["rss_peak_mib"] = raw["rss_peak_kib"] / 1024
    if "rss_kib" in raw:
        m["rss_idle_mib"] = raw["rss_kib"] / 1024
    if "measure_s" in raw:  # CPU over a plain interval, no load
        m["cpu_pct"] = 100 * cpu_s / raw["measure_s"]
        m["rss_hc_mib"] = raw["rss_hc_kib"] / 1024
    if "rss_held_kib" in raw:
        m["rss_held_mib"] = raw["rss_held_kib"] / 1024
        m["conns_failed"] = raw.get("conns_failed", 0)
        if raw.get("conns_open", 0) > 0:
            m["rss_per_conn_kib"] = (raw["rss_held_kib"] - raw["rss_before_kib"]) / raw["conns_open"]
    if "startup_us" in raw:
        m["startup_ms"] = raw["startup_us"] / 1000
    return m


def medians(runs, clk_tck):
    """(scenario, metric, target) -> (median, number of rounds)"""
    values = collections.defaultdict(list)
    for (_, scenario, target), raw in runs.items():
        for metric, value in derive(scenario, raw, clk_tck).items():
            values[(scenario, metric, target)].append(value)
    med = {k: (statistics.median(v), len(v)) for k, v in values.items()}
    # scenario 7: what a second thread adds, per proxy (2 threads' req/s over 1 thread's, both medians)
    for target in TARGETS:
        one = med.get(("ka50", "rps", target))
        two = med.get(("ka50_2loops", "rps", target))
        if one and two and one[0] > 0:
            med[("ka50_2loops", "scaling", target)] = (two[0] / one[0], min(one[1], two[1]))
    return med


def table_rows(med):
    """One dict per (scenario, metric) row: absolute figures, ratios, best peer, target."""
    rows = []
    for scenario, metrics in ROWS:
        for metric in metrics:
            label, unit, higher, fmt = METRICS[metric]
            vals = {t: med.get((scenario, metric, t), (None, 0))[0] for t in TARGETS}
            if all(v is None for v in vals.values()):
                continue
            if metric in ("errors", "conns_failed") and not any(vals.values()):
                continue  # no errors anywhere: no row
            peers = {p: vals[p] for p in PEERS if vals[p] is not None}
            best = None
            if peers:
                best = (max if higher else min)(peers, key=peers.get)
            f = vals["fulcrum"]

            def ratio(other):
                if f is None or other is None or other == 0:
                    return None
                return f / other

            row = {
                "scenario": scenario, "metric": metric, "label": label, "unit": unit,
                "higher": higher, "fmt": fmt, "values": vals,
                "f_haproxy": ratio(vals["haproxy"]), "f_nginx": ratio(vals["nginx"]),
                "f_direct": ratio(vals["direct"]), "best": best,
                "f_best": ratio(vals[best]) if best else None,
                "rounds": max(med.get((scenario, metric, t), (None, 0))[1] for t in TARGETS),
            }
            row["target"], row["met"] = judge(scenario, metric, f, row["f_best"])
            rows.append(row)
    return rows


def judge(scenario, metric, fulcrum, f_best):
    goal = TARGETS_OF_ISSUE.get((scenario, metric))
    if goal is None:
        return "", None
    kind, bound, text = goal
    higher = METRICS[metric][2]
    x = f_best if kind == "peer" else fulcrum
    if x is None:
        return text, None
    return text, (x >= bound) if higher else (x <= bound)


def fmt_value(row, v):
    return "n/a" if v is None else row["fmt"].format(v)


def fmt_ratio(r):
    return "n/a" if r is None else f"{r:.2f}"


def write_tsv(rows, path):
    head = ["scenario", "metric", "unit", "higher_is_better", "haproxy", "nginx", "fulcrum", "direct",
            "fulcrum_per_haproxy", "fulcrum_per_nginx", "fulcrum_per_direct", "best_peer",
            "fulcrum_per_best_peer", "target", "target_met", "rounds"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\t".join(head) + "\n")
        for r in rows:
            raw = lambda v: "n/a" if v is None else f"{v:.6g}"  # noqa: E731
            met = "" if r["met"] is None else ("yes" if r["met"] else "no")
            f.write("\t".join([
                r["scenario"], r["metric"], r["unit"], "yes" if r["higher"] else "no",
                *(raw(r["values"][t]) for t in TARGETS),
                raw(r["f_haproxy"]), raw(r["f_nginx"]), raw(r["f_direct"]),
                r["best"] or "n/a", raw(r["f_best"]), r["target"], met, str(r["rounds"]),
            ]) + "\n")


def gnuplot_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_chart(med, meta, path):
    """A panel per (scenario, metric), a bar per proxy, one colour per proxy, via gnuplot."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print("report: gnuplot not found; no chart", file=sys.stderr)
        return False
    order = ["direct", "haproxy", "nginx", "fulcrum"]
    rows = (len(PANELS) + 3) // 4
    lines = [
        f"set terminal pngcairo size 1800,{410 * rows + 50} font 'DejaVu Sans,10'",
        f"set output {gnuplot_quote(path)}",
        "set style fill solid 0.9 border -1",
        "set boxwidth 0.7",
        "set grid ytics",
        "unset key",
        "set xrange [-0.6:3.6]",
        "set xtics scale 0",
        "set format y '%g'",
        f"set multiplot layout {rows},4 title {gnuplot_quote(chart_title(meta))} font ',13'",
    ]
    for i, (scenario, metric, title) in enumerate(PANELS):
        fmt = METRICS[metric][3]
        block = f"$p{i}"
        lines.append(f"{block} << EOD")
        top = 0.0
        for n, t in enumerate(order):
            v = med.get((scenario, metric, t), (None, 0))[0]
            colour = int(COLOURS[t][1:], 16)
            if v is None:
                lines.append(f'{n} "{NAMES[t]}" NaN {colour} "n/a" 0')
            else:
                top = max(top, v)
                lines.append(f'{n} "{NAMES[t]}" {v:.6g} {colour} "{fmt.format(v)}" {v:.6g}')
        lines.append("EOD")
        lines.append(f"set title {gnuplot_quote(title)}")
        lines.append(f"set yrange [0:{top * 1.18 if top > 0 else 1:.6g}]")
        lines.append(f"plot {block} using 1:3:4:xtic(2) with boxes lc rgb variable, "
                     f"{block} using 1:6:5 with labels offset 0,0.7")
    lines.append("unset multiplot")
    with tempfile.NamedTemporaryFile("w", suffix=".gp", delete=False, encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
        script = f.name
    try:
        done = subprocess.run([gnuplot, script], capture_output=True, text=True)
    finally:
        os.unlink(script)
    if done.returncode != 0:
        print(f"report: gnuplot failed: {done.stderr.strip()}", file=sys.stderr)
        return False
    return True


def chart_title(meta):
    return (f"Fulcrum, HAProxy, nginx: one core each, {meta.get('date', '?')}, "
            f"{meta.get('rounds', '?')} round(s) x {meta.get('seconds', '?')} s, medians"
            + ("  [QUICK SMOKE RUN]" if meta.get("mode", "").startswith("quick") else ""))


def markdown(rows, meta, chart_rel):
    out = [BEGIN, ""]
    out.append(f"### Last run: {meta.get('date', '?')}")
    out.append("")
    if meta.get("mode", "").startswith("quick"):
        out.append("**This is a `--quick` smoke run (short, one round): do not read the figures as a comparison.**")
        out.append("")
    out.append("| machine | |")
    out.append("| --- | --- |")
    for key, label in [("cpu", "CPU"), ("nproc", "cores (nproc)"), ("memory", "memory"),
                       ("loadavg", "load average"), ("kernel", "kernel"),
                       ("jdk", "JDK"), ("haproxy", "HAProxy"), ("nginx", "nginx"), ("wrk", "wrk"),
                       ("h2load", "h2load"), ("openssl", "OpenSSL (clients)"),
                       ("tls_haproxy", "TLS with HAProxy (openssl s_client, as wrk)"), ("tls_nginx", "TLS with nginx (openssl s_client, as wrk)"),
                       ("tls_fulcrum", "TLS with Fulcrum (openssl s_client, as wrk)"), ("tls_hs_handshakes", "TLS handshakes in (8)"),
                       ("commit", "Fulcrum commit")]:
        if key not in meta and (key.startswith("tls_") or key in ("h2load", "openssl")):
            continue  # a run without the HTTPS scenarios, or older raw data
        out.append(f"| {label} | {meta.get(key, '?')} |")
    out.append(f"| settings | {meta.get('rounds')} round(s), {meta.get('seconds')} s per measurement, "
               f"{meta.get('warmup')} s warm-up, big transfers {meta.get('big_mib')} MiB, proxy on core "
               f"{meta.get('proxy_cpu')}, load on core {meta.get('load_cpu')} |")
    out.append(f"| Fulcrum JVM flags | `{meta.get('jvm_flags', '')}` |")
    out.append("")
    if meta.get("restarts", "0") not in ("", "0"):
        out.append(f"**{meta['restarts']} proxy process(es) stopped during the run and were restarted "
                   "(see the run's log); the figures after a restart come from a cold start.**")
        out.append("")
    if meta.get("fulcrum_status", "ok") != "ok":
        out.append(f"**Fulcrum: {meta['fulcrum_status']}, so its cells are n/a.**")
        out.append("")
    out.append("Medians over the rounds. Ratios are Fulcrum's figure divided by the other's (for latency, "
               "CPU and RSS lower is better, so a ratio below 1 is Fulcrum ahead). \"Best peer\" is the better "
               "of HAProxy and nginx in this run.")
    out.append("")
    out.append("| scenario | metric | HAProxy | nginx | Fulcrum | direct | F/HAProxy | F/nginx | F/direct "
               "| best peer | F/best | target |")
    out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |")
    last = None
    for r in rows:
        scen = SCENARIOS[r["scenario"]].format_map(collections.defaultdict(lambda: "?", meta)) \
            if r["scenario"] != last else ""
        last = r["scenario"]
        v = r["values"]
        target = r["target"]
        if target:
            target += {None: " (n/a)", True: " **met**", False: " **missed**"}[r["met"]]
        out.append(
            f"| {scen} | {r['label']} ({r['unit']}) | {fmt_value(r, v['haproxy'])} | {fmt_value(r, v['nginx'])} "
            f"| {fmt_value(r, v['fulcrum'])} | {fmt_value(r, v['direct'])} | {fmt_ratio(r['f_haproxy'])} "
            f"| {fmt_ratio(r['f_nginx'])} | {fmt_ratio(r['f_direct'])} | {NAMES.get(r['best'], 'n/a')} "
            f"| {fmt_ratio(r['f_best'])} | {target} |")
    out.append("")
    if chart_rel:
        out.append(f"![bars per scenario, one colour per proxy]({chart_rel})")
        out.append("")
    out.append("Machine-readable: `bench/results/latest.tsv` (these medians and ratios), "
               "`latest-raw.tsv` (every measurement of every round), `latest-meta.tsv`.")
    out.append("")
    out.append(END)
    return "\n".join(out)


def write_doc(doc, section):
    text = open(doc, encoding="utf-8").read() if os.path.exists(doc) else "# Benchmarks\n"
    start, stop = text.find(BEGIN), text.find(END)
    if start >= 0 and stop > start:
        text = text[:start] + section + text[stop + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n## Results\n\n" + section + "\n"
    os.makedirs(os.path.dirname(os.path.abspath(doc)), exist_ok=True)
    with open(doc, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--raw", required=True)
    ap.add_argument("--meta", required=True)
    ap.add_argument("--out", required=True, help="directory for latest.tsv, latest.png, ...")
    ap.add_argument("--doc", help="markdown file whose generated section is rewritten")
    args = ap.parse_args()

    meta = read_meta(args.meta)
    meta.setdefault("date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    runs = read_raw(args.raw)
    med = medians(runs, float(meta.get("clk_tck", "100")))
    rows = table_rows(med)

    os.makedirs(args.out, exist_ok=True)
    write_tsv(rows, os.path.join(args.out, "latest.tsv"))
    if os.path.abspath(args.raw) != os.path.abspath(os.path.join(args.out, "latest-raw.tsv")):
        with open(os.path.join(args.out, "latest-raw.tsv"), "w", encoding="utf-8") as f:
            f.write("round\tscenario\ttarget\tkey\tvalue\n")
            f.write(open(args.raw, encoding="utf-8").read())
    with open(os.path.join(args.out, "latest-meta.tsv"), "w", encoding="utf-8") as f:
        for k, v in meta.items():
            f.write(f"{k}\t{v}\n")
    png = os.path.join(args.out, "latest.png")
    chart_ok = write_chart(med, meta, png)
    if args.doc:
        rel = os.path.relpath(png, os.path.dirname(os.path.abspath(args.doc))) if chart_ok else None
        write_doc(args.doc, markdown(rows, meta, rel))
    for r in rows:
        if r["met"] is not None:
            print(f"{r['scenario']:8} {r['metric']:14} Fulcrum {fmt_value(r, r['values']['fulcrum'])} "
                  f"target {r['target']}: {'met' if r['met'] else 'MISSED'}")


if __name__ == "__main__":
    main()
