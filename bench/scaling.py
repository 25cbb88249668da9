#!/usr/bin/env python3
"""The measuring half of bench/scaling: drives load at a running Fulcrum, kills an instance, reads its log.

Standard library only. bench/scaling starts Fulcrum (an auto scaling group of demo backends behind
127.0.0.1:PORT, its stdout in LOG) and calls this; this prints a table and writes a TSV of the figures.
Times of events come from the log's own timestamps (HH:mm:ss.SSS, local time), so a slow poll of the
log does not add to them.
"""
import argparse
import datetime as dt
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

LINE_TIME = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) ")
IN_SERVICE = re.compile(r"instance (\S+) is InService")
LAUNCHED = re.compile(r"launched instance (\S+) on port")
ENDED = re.compile(r"instance (\S+) ended by itself")


def log_lines(path):
    """Every line of the log with its timestamp as a datetime of today (None for continuation lines)."""
    today = dt.date.today()
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = LINE_TIME.match(line)
            at = None
            if m:
                h, mi, s, ms = (int(x) for x in m.groups())
                at = dt.datetime.combine(today, dt.time(h, mi, s, ms * 1000))
            out.append((at, line.rstrip("\n")))
    return out


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.05)
    sys.exit(f"bench/scaling: timed out after {timeout} s waiting for {what}")


def in_service(path, since=None):
    """(time, instance id) of every 'is InService' line, after `since` if given."""
    found = []
    for at, line in log_lines(path):
        m = IN_SERVICE.search(line)
        if m and at and (since is None or at >= since):
            found.append((at, m.group(1)))
    return found


class Client:
    """Paced GETs over keep-alive connections: `threads` threads, each sending rate/threads per second."""

    def __init__(self, port, rate, threads):
        self.port, self.rate, self.threads = port, rate, threads
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.ok = 0
        self.non2xx = 0
        self.errors = 0
        self.error_kinds = {}
        self.first_failure = None
        self.workers = []

    def _fail(self, kind):
        with self.lock:
            self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1
            if self.first_failure is None:
                self.first_failure = dt.datetime.now()

    def _run(self, index):
        interval = self.threads / self.rate
        next_at = time.monotonic() + index * interval / self.threads
        conn = None
        while not self.stop.is_set():
            now = time.monotonic()
            if next_at > now:
                time.sleep(next_at - now)
            next_at += interval
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/")
                resp = conn.getresponse()
                resp.read()
                if 200 <= resp.status < 300:
                    with self.lock:
                        self.ok += 1
                else:
                    with self.lock:
                        self.non2xx += 1
                    self._fail(f"HTTP {resp.status}")
                if resp.will_close:
                    conn.close()
                    conn = None
            except Exception as e:  # a refused/reset connection or a timeout: a failed request
                with self.lock:
                    self.errors += 1
                self._fail(type(e).__name__)
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()

    def start(self):
        self.started = time.monotonic()
        for i in range(self.threads):
            t = threading.Thread(target=self._run, args=(i,), daemon=True)
            t.start()
            self.workers.append(t)

    def finish(self):
        self.stop.set()
        for t in self.workers:
            t.join(10)
        self.elapsed = time.monotonic() - self.started


def instance_pid(data_dir, instance_id):
    record = os.path.join(data_dir, "instances", instance_id + ".json")
    try:
        with open(record, encoding="utf-8") as f:
            return int(json.load(f)["pid"])
    except (OSError, ValueError, KeyError):
        out = subprocess.run(["pgrep", "-f", f"demo-backend.*--id {instance_id}"],
                             capture_output=True, text=True).stdout.split()
        if not out:
            sys.exit(f"bench/scaling: no process found for instance {instance_id}")
        return int(out[0])


def burst(port, seconds, connections):
    """Load at the maximum rate: wrk when installed, else the Python client unpaced."""
    if shutil.which("wrk"):
        out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s",
                              f"http://127.0.0.1:{port}/"], capture_output=True, text=True).stdout
        m = re.search(r"Requests/sec:\s+([\d.]+)", out)
        rate = float(m.group(1)) if m else float("nan")
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        errs = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
        failed = (int(bad.group(1)) if bad else 0) + (sum(int(x) for x in errs.groups()) if errs else 0)
        return "wrk -t1 -c%d" % connections, rate, failed
    client = Client(port, 1e9, connections)
    client.start()
    time.sleep(seconds)
    client.finish()
    total = client.ok + client.non2xx + client.errors
    return "python x%d" % connections, total / client.elapsed, client.non2xx + client.errors


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--log", required=True)
    p.add_argument("--data-dir", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--rate", type=float, default=500)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--before-kill", type=float, default=3)
    p.add_argument("--after-replacement", type=float, default=3)
    p.add_argument("--burst-seconds", type=int, default=20)
    p.add_argument("--burst-connections", type=int, default=8)
    p.add_argument("--tsv", required=True)
    a = p.parse_args()

    # 1. the group's two instances in service
    first = wait_for(lambda: in_service(a.log) if len(in_service(a.log)) >= 2 else None, 60,
                     "2 instances InService")
    ready = [i for _, i in first[:2]]
    print(f"bench/scaling: in service: {' '.join(ready)}", flush=True)

    # 2. steady load, kill -9 one instance, wait for its replacement, a little more load
    client = Client(a.port, a.rate, a.threads)
    client.start()
    time.sleep(a.before_kill)
    victim = ready[0]
    pid = instance_pid(a.data_dir, victim)
    killed_at = dt.datetime.now()
    os.kill(pid, signal.SIGKILL)
    print(f"bench/scaling: kill -9 {pid} (instance {victim}) at {killed_at:%H:%M:%S.%f}", flush=True)
    replacement = wait_for(lambda: [x for x in in_service(a.log, killed_at) if x[1] not in ready],
                           30, "a replacement InService")[0]
    time.sleep(a.after_replacement)
    client.finish()
    lines = log_lines(a.log)
    detected = next((at for at, l in lines if at and at >= killed_at and ENDED.search(l)
                     and victim in l), None)
    launched = next((at for at, l in lines if at and at >= killed_at and LAUNCHED.search(l)), None)
    scaled_in_steady = any(at and at >= killed_at and "AlarmHigh" in l for at, l in lines)

    # 3. a burst at the maximum rate; scale-out launch and settling read from the log
    time.sleep(1)
    burst_start = dt.datetime.now()
    tool, burst_rate, burst_failed = burst(a.port, a.burst_seconds, a.burst_connections)
    burst_end = dt.datetime.now()

    def launches_settled():
        ls = log_lines(a.log)
        launched_ids = {LAUNCHED.search(l).group(1) for at, l in ls
                        if at and at >= burst_start and LAUNCHED.search(l)}
        serving = {IN_SERVICE.search(l).group(1) for at, l in ls
                   if at and at >= burst_start and IN_SERVICE.search(l)}
        return launched_ids <= serving
    # launches started during the burst are given up to 15 s more to come in service
    deadline = time.monotonic() + 15
    while not launches_settled() and time.monotonic() < deadline:
        time.sleep(0.1)
    lines = log_lines(a.log)
    alarm = next((at for at, l in lines if at and at >= burst_start and "AlarmHigh" in l), None)
    first_launch = next((at for at, l in lines if at and at >= burst_start and LAUNCHED.search(l)), None)
    burst_serving = [at for at, l in lines if at and at >= burst_start and IN_SERVICE.search(l)]
    desired = [l for at, l in lines if at and at >= burst_start and "changes the desired capacity" in l]
    settled = burst_serving[-1] if burst_serving else None

    def secs(later, earlier):
        return "n/a" if later is None or earlier is None else "%.2f" % (later - earlier).total_seconds()

    steady_failed = client.non2xx + client.errors
    steady_total = client.ok + steady_failed
    rows = [
        ("kill -9 -> replacement InService (s)", secs(replacement[0], killed_at), "< 3"),
        ("  kill -> exit noticed (s)", secs(detected, killed_at), ""),
        ("  kill -> replacement process listening (s)", secs(launched, killed_at), ""),
        ("steady requests sent", str(steady_total), ""),
        ("steady rate achieved (req/s)", "%.0f" % (steady_total / client.elapsed), "~%d" % a.rate),
        ("steady failed requests", str(steady_failed), "0"),
        ("burst tool", tool, ""),
        ("burst rate (req/s)", "%.0f" % burst_rate, ""),
        ("burst failed requests", str(burst_failed), ""),
        ("burst start -> scale-out launch activity, AlarmHigh (s)", secs(alarm, burst_start), ""),
        ("burst start -> first new process listening (s)", secs(first_launch, burst_start), ""),
        ("burst start -> capacity settled, last InService (s)", secs(settled, burst_start), ""),
        ("instances added during burst", str(len(burst_serving)), ""),
    ]
    width = max(len(r[0]) for r in rows)
    print()
    print(f"{'figure'.ljust(width)}  {'value':>12}  goal")
    for name, value, goal in rows:
        print(f"{name.ljust(width)}  {value:>12}  {goal}")
    if client.error_kinds:
        print("steady failures by kind:", client.error_kinds,
              "first at", client.first_failure.strftime("%H:%M:%S.%f"))
    if scaled_in_steady:
        print("note: the steady phase itself triggered a scale-out (AlarmHigh) after the kill")
    for l in desired:
        print("desired:", l)
    print(f"burst {burst_start:%H:%M:%S.%f} .. {burst_end:%H:%M:%S.%f}")
    with open(a.tsv, "w", encoding="utf-8") as f:
        f.write("figure\tvalue\tgoal\n")
        for name, value, goal in rows:
            f.write(f"{name.strip()}\t{value}\t{goal}\n")


if __name__ == "__main__":
    main()
