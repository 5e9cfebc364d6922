#!/usr/bin/env python3
"""Where the machine's CPU went while a benchmark ran: started at the measured run's start, stopped with SIGTERM at its
end (when the file STOP exists), it prints one line of shares of all cores' time (100% = every core busy for the whole run).

    bench/cpu-split.py SERVICE_PID DATABASE STOP > split.txt &   ...   touch STOP; wait

Each process is read from /proc every 0.1 s and keeps the last figure seen, so the PostgreSQL backends a client opens
and closes within the run (pgbench's) are counted too, up to the last 0.1 s of their life. The groups: the service's
JVM; PostgreSQL, i.e. the backends of DATABASE and the server's own writers (WAL writer, checkpointer, background
writer); the load generators (madoguchi.bench.SurgeLoad, pgbench, wrk); idle (idle and I/O wait of /proc/stat); the
rest (everything else on the machine: other builds, the kernel's work not charged to a process)."""
import os
import sys
import time

service, database, stopfile = int(sys.argv[1]), sys.argv[2], sys.argv[3]
HZ = os.sysconf("SC_CLK_TCK")
WRITERS = ("walwriter", "checkpointer", "background writer", "walsender", "autovacuum")


def group(pid):
    """The group of a process, "" for none, None when not known yet (forked, not yet named: ask again)."""
    if pid == service:
        return "service"
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
    if cmd == "" or cmd.startswith(("bash", "/bin/bash", "sh ")) or "bin/postgres " in cmd:
        # a fork before its exec, or a backend before it named itself
        return None
    if cmd.startswith("postgres:"):
        # "postgres: 15/main: USER DATABASE HOST(PORT) STATE" for a backend
        if database in cmd.split()[2:4] or any(w in cmd for w in WRITERS):
            return "postgres"
        return ""
    program = os.path.basename(cmd.split()[0]) if cmd.split() else ""
    if "madoguchi.bench.SurgeLoad" in cmd or program in ("pgbench", "wrk"):
        return "generator"
    return ""


def ticks(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return None


def machine():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:8]]
    return sum(v), v[3] + v[4]  # all, idle + iowait


first, last, groups = {}, {}, {}
known = set()
all0, idle0 = machine()
start = True
while True:
    stop = os.path.exists(stopfile)
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        pid = int(name)
        if pid not in known:
            g = group(pid)
            if g is None:
                continue
            known.add(pid)
            groups[pid] = g
            if not g:
                continue
            t = ticks(pid)
            # a process already running when the run started counts from its figure then, a new one from zero
            first[pid] = t if start and t is not None else 0
        if groups.get(pid):
            t = ticks(pid)
            if t is not None:
                last[pid] = t
    start = False
    if stop:
        break
    time.sleep(0.1)
all1, idle1 = machine()
total = max(1, all1 - all0)
share = {"service": 0, "postgres": 0, "generator": 0}
for pid, g in groups.items():
    if g:
        share[g] += max(0, last.get(pid, first[pid]) - first[pid])
idle = idle1 - idle0
rest = total - idle - sum(share.values())
print("service %.0f%% postgres %.0f%% generator %.0f%% idle %.0f%% rest %.0f%%" % tuple(
    100.0 * x / total for x in (share["service"], share["postgres"], share["generator"], idle, max(0, rest))))
