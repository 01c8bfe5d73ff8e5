#!/usr/bin/python3
"""mtls-probe side by side with blackbox_exporter, on one machine, against one local echo target.

Run through src/bench/run.sh (it builds the jar, compiles the helpers and installs blackbox_exporter when
missing). Every process started here is stopped by PID when the run ends, however it ends; every network
call goes to 127.0.0.1.

Definitions (also in the README):
  CPU per 1,000 attempts  utime+stime of the whole process (/proc/PID/stat) over the measuring window,
                          divided by the echo requests the target served in that window, times 1,000.
                          mtls-probe is scraped every 15 s during the window, as Prometheus would.
  RSS                     VmRSS from /proc/PID/status: idle = 1 target at the end of its run; load = the
                          highest 1-second sample in the 1,000-target window.
  start to first attempt  from the launch of the process to the end of its first completed attempt
                          (mtls-probe: its own startedAtMillis + duration in /api/status; blackbox_exporter:
                          the first /probe answered with probe_success 1, polled every 20 ms).
  jitter                  |spacing - interval| between consecutive attempt starts of one target, from
                          /api/status history (startedAtMillis), for attempts after the warm-up.
  /q/metrics latency      sequential GETs with Prometheus' Accept header on one keep-alive connection,
                          request to last byte, at 200 attempts/s: 2,000 targets every 10 s (the series of
                          1,000 targets x 2 roles in one process) and 1,000 targets every 5 s (one pod).
"""
import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JAR = os.path.join(ROOT, "target", "quarkus-app", "quarkus-run.jar")
OUT = os.path.join(ROOT, "target", "bench")
CLASSES = os.path.join(OUT, "classes")
CLK_TCK = os.sysconf("SC_CLK_TCK")
INTERVAL_S = 5  # the product default: 1,000 targets = 200 attempts/s
SCRAPE_EVERY_S = 15
SCRAPE_GAP_MS = 500  # between timed scrapes: back-to-back scrapes would time the GC of the previous one
BLACKBOX = "prometheus-blackbox-exporter"

# Tuned for a small pod: the serial collector (no GC worker threads, smallest footprint), a small heap, C1 only
# (no C2 compiler thread and arenas: about 20 MiB less RSS and no CPU lost at this load), small thread stacks,
# a capped code cache and metaspace (safety nets), no hsperfdata file, and (environment) two malloc arenas
# instead of one per thread. "tuned-g1" is the same with G1, which reclaims the large, short-lived buffers of
# a big /q/metrics scrape without copying them: faster big scrapes for about 10 MiB more.
COMMON_TUNED = [
    "-Xms24m", "-Xmx48m", "-Xss256k", "-XX:MaxMetaspaceSize=80m", "-XX:ReservedCodeCacheSize=24m",
    "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:-UsePerfData",
]
TUNED_ENV = {"MALLOC_ARENA_MAX": "2"}
CONFIGS = {
    "tuned": (["-XX:+UseSerialGC"] + COMMON_TUNED, TUNED_ENV),
    "tuned-g1": (["-XX:+UseG1GC", "-XX:ParallelGCThreads=1", "-XX:ConcGCThreads=1"] + COMMON_TUNED, TUNED_ENV),
    "default": ([], {}),
}

STARTED = []  # every Popen started here, stopped by PID in cleanup()
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, never a proxy


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_ports(n):
    """n distinct free ports: all sockets stay bound until every port is known."""
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def free_port():
    return free_ports(1)[0]


def get(url, timeout=5.0):
    with OPENER.open(url, timeout=timeout) as r:
        return r.read()


def try_get(url, timeout=1.0):
    try:
        return get(url, timeout)
    except OSError:
        return None


def start(cmd, logname, env=None, cwd=None):
    logf = open(os.path.join(OUT, logname), "wb")
    p = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT, env=env, cwd=cwd or OUT,
                         stdin=subprocess.DEVNULL)
    STARTED.append(p)
    return p


def stop(p, grace=10):
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(grace)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)
    if p in STARTED:
        STARTED.remove(p)


def cleanup(*_):
    for p in list(STARTED):
        try:
            stop(p, 5)
        except Exception:  # noqa: BLE001 - best effort while exiting
            pass


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        rest = f.read().rsplit(")", 1)[1].split()
    return int(rest[11]) + int(rest[12])  # utime, stime (fields 14 and 15)


def status_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def pct(values, p):
    """Nearest-rank percentile."""
    s = sorted(values)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))
    return s[k]


def wait_until(what, fn, timeout, step=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(step)
    raise RuntimeError(f"timed out after {timeout} s waiting for {what}")


# ---- the processes under test -----------------------------------------------------------------------

class Probe:
    """One mtls-probe JVM (role naked) probing n copies of the echo target."""

    def __init__(self, cfg, n, target_port, interval_s=INTERVAL_S, extra_flags=(), label=None):
        self.cfg, self.n, self.interval_s = label or cfg, n, interval_s
        props = os.path.join(OUT, f"targets-{n}-{interval_s}s.properties")
        with open(props, "w") as f:
            f.write(f"mtls-probe.interval={interval_s}s\nmtls-probe.timeout=2s\n")
            for i in range(1, n + 1):
                f.write(f"mtls-probe.targets.t{i:04d}.url=http://127.0.0.1:{target_port}/headers?t={i}\n")
        self.http, self.mgmt = free_ports(2)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MTLS_PROBE_", "QUARKUS_"))}
        env.update(QUARKUS_HTTP_PORT=str(self.http), QUARKUS_MANAGEMENT_PORT=str(self.mgmt),
                   MTLS_PROBE_ROLE="naked")
        flags, extra_env = CONFIGS[cfg]
        env.update(extra_env)
        self.launched = time.time()
        self.proc = start(["java", *flags, *extra_flags, f"-Dquarkus.config.locations={props}", "-jar", JAR],
                          f"probe-{self.cfg}-{n}.log", env=env)
        self.pid = self.proc.pid

    def url(self, path):
        port = self.mgmt if path.startswith("/q/") else self.http
        return f"http://127.0.0.1:{port}{path}"

    def wait_up(self, timeout=60):
        wait_until("mtls-probe to answer /q/health/live", lambda: self.alive() and try_get(self.url("/q/health/live")),
                   timeout)

    def alive(self):
        if self.proc.poll() is not None:
            raise RuntimeError(f"mtls-probe ({self.cfg}, {self.n} targets) exited with {self.proc.returncode};"
                               f" see {OUT}/probe-{self.cfg}-{self.n}.log")
        return True

    def status(self):
        return json.loads(get(self.url("/api/status"), timeout=30))

    def outcomes(self):
        """attempts_total per outcome, summed over targets: proves the run measured real attempts."""
        totals = {}
        for line in get(self.url("/q/metrics"), timeout=30).decode().splitlines():
            if line.startswith("mtls_probe_attempts_total{"):
                o = line.split('outcome="', 1)[1].split('"', 1)[0]
                totals[o] = totals.get(o, 0) + float(line.rsplit(" ", 1)[1])
        return {k: int(v) for k, v in totals.items() if v}

    def close(self):
        stop(self.proc)


class Blackbox:
    """blackbox_exporter with an http module that opens a fresh connection per probe."""

    CONFIG = """modules:
  http_fresh:
    prober: http
    timeout: 2s
    http:
      method: GET
      preferred_ip_protocol: ip4
      ip_protocol_fallback: false
      no_follow_redirects: true
      # one probe = one new TCP connection, as for mtls-probe
      headers:
        Connection: close
"""

    def __init__(self, n, target_port, drive_seconds=0):
        cfg = os.path.join(OUT, "blackbox.yml")
        with open(cfg, "w") as f:
            f.write(self.CONFIG)
        self.n, self.port, self.target_port = n, free_port(), target_port
        self.launched = time.time()
        self.proc = start([BLACKBOX, f"--config.file={cfg}", f"--web.listen-address=127.0.0.1:{self.port}"],
                          f"blackbox-{n}.log")
        self.pid = self.proc.pid
        self.driver = None
        self.drive_seconds = drive_seconds

    def probe_url(self, i=0):
        return (f"http://127.0.0.1:{self.port}/probe?module=http_fresh&target="
                f"http%3A%2F%2F127.0.0.1%3A{self.target_port}%2Fheaders%3Ft%3D{i}")

    def wait_up(self, timeout=30):
        wait_until("blackbox_exporter to answer /metrics", lambda: self.alive() and try_get(
            f"http://127.0.0.1:{self.port}/metrics"), timeout)

    def alive(self):
        if self.proc.poll() is not None:
            raise RuntimeError(f"blackbox_exporter exited with {self.proc.returncode}; see {OUT}/blackbox-{self.n}.log")
        return True

    def drive(self):
        self.driver = start(["java", "-Xmx64m", "-XX:+UseSerialGC", "-cp", CLASSES, "BenchTool", "drive",
                             f"127.0.0.1:{self.port}", f"http://127.0.0.1:{self.target_port}/headers", str(self.n),
                             str(INTERVAL_S * 1000), str(self.drive_seconds), "http_fresh"],
                            f"driver-{self.n}.log")

    def driver_summary(self):
        if self.driver is None:
            return ""
        try:
            self.driver.wait(self.drive_seconds + 40)
        except subprocess.TimeoutExpired:
            pass
        stop(self.driver)
        with open(os.path.join(OUT, f"driver-{self.n}.log")) as f:
            return f.read().strip()

    def close(self):
        if self.driver is not None:
            stop(self.driver)
        stop(self.proc)


# ---- measurements -------------------------------------------------------------------------------------

def served(target_port):
    return int(get(f"http://127.0.0.1:{target_port}/__count"))


def measure_window(tool, target_port, seconds, scrape_url=None):
    """CPU, attempts and RSS of one process over a window; scrapes like Prometheus when given a URL."""
    c0, s0, t0 = served(target_port), cpu_ticks(tool.pid), time.time()
    rss, next_scrape, scrapes = [], t0 + SCRAPE_EVERY_S / 2, 0
    while time.time() < t0 + seconds:
        tool.alive()
        rss.append(status_kb(tool.pid, "VmRSS"))
        if scrape_url and time.time() >= next_scrape:
            get(scrape_url, timeout=30)
            scrapes += 1
            next_scrape += SCRAPE_EVERY_S
        time.sleep(max(0.0, min(1.0, t0 + seconds - time.time())))
    c1, s1, t1 = served(target_port), cpu_ticks(tool.pid), time.time()
    attempts = c1 - c0
    cpu = (s1 - s0) / CLK_TCK
    return {
        "seconds": round(t1 - t0, 1), "attempts": attempts, "attempts_per_s": round(attempts / (t1 - t0), 1),
        "cpu_s": round(cpu, 2), "cpu_s_per_1000": round(cpu / attempts * 1000, 3) if attempts else None,
        "cpu_cores": round(cpu / (t1 - t0), 3), "rss_max_kib": max(rss), "rss_end_kib": rss[-1],
        "rss_anon_end_kib": status_kb(tool.pid, "RssAnon"), "threads_end": status_kb(tool.pid, "Threads"),
        "scrapes": scrapes,
    }


def jitter(status, interval_s, since_ms):
    """|spacing - interval| in ms between consecutive starts of each target, for starts after since_ms."""
    out = []
    for t in status["targets"]:
        starts = sorted(a["startedAtMillis"] for a in t["history"])
        for a, b in zip(starts, starts[1:]):
            if a >= since_ms:
                out.append(abs((b - a) - interval_s * 1000))
    return out


def probe_phase(cfg, n, target_port, warm, window, want_jitter=False):
    log(f"mtls-probe ({cfg}), {n} target(s): warm-up {warm} s, window {window} s")
    p = Probe(cfg, n, target_port)
    try:
        p.wait_up()
        time.sleep(warm)
        since_ms = int(time.time() * 1000)
        r = measure_window(p, target_port, window, scrape_url=p.url("/q/metrics"))
        r["outcomes"] = p.outcomes()
        if want_jitter:
            j = jitter(p.status(), p.interval_s, since_ms)
            r["jitter_ms"] = {"n": len(j), "p50": pct(j, 50), "p99": pct(j, 99), "max": max(j) if j else None}
        log(f"  {json.dumps(r)}")
        return r
    finally:
        p.close()


def blackbox_phase(n, target_port, warm, window):
    log(f"blackbox_exporter, {n} target(s): warm-up {warm} s, window {window} s")
    b = Blackbox(n, target_port, drive_seconds=warm + window + 2)
    try:
        b.wait_up()
        b.drive()
        time.sleep(warm)
        r = measure_window(b, target_port, window)
        r["driver"] = b.driver_summary()
        log(f"  {json.dumps(r)}")
        return r
    finally:
        b.close()


def probe_startup(cfg, target_port, extra_flags=()):
    p = Probe(cfg, 1, target_port, extra_flags=extra_flags)
    try:
        def first():
            p.alive()
            body = try_get(p.url("/api/status"), 1.0)
            if not body:
                return None
            latest = [t["latest"] for t in json.loads(body)["targets"] if t["latest"]]
            return latest[0] if latest else None
        a = wait_until("the first attempt", first, 60, step=0.02)
        return a["startedAtMillis"] / 1000 + a["durationSeconds"] - p.launched
    finally:
        p.close()


def blackbox_startup(target_port):
    b = Blackbox(0, target_port)
    try:
        def first():
            b.alive()
            body = try_get(b.probe_url(), 1.0)
            return time.time() if body and b"\nprobe_success 1" in body else None
        return wait_until("the first probe", first, 30, step=0.02) - b.launched
    finally:
        b.close()


def create_cds_archive(target_port, archive):
    """A training run whose loaded classes are dumped at exit (-XX:ArchiveClassesAtExit)."""
    log("creating the class-data sharing archive (training run)")
    p = Probe("tuned", 10, target_port, extra_flags=[f"-XX:ArchiveClassesAtExit={archive}"], label="cds-training")
    try:
        p.wait_up()
        wait_until("attempts", lambda: try_get(p.url("/q/health/ready")), 30)
        for path in ("/q/metrics", "/api/status", "/q/health/ready", "/"):
            try_get(p.url(path), 10)
    finally:
        p.close()
    if not os.path.exists(archive):
        raise RuntimeError("the class-data sharing archive was not written; see the training log")


def metrics_phase(cfg, n, target_port, warm, count):
    """n targets at n/200 s intervals, so that every run has the same 200 attempts/s."""
    interval = n // 200
    log(f"/q/metrics latency ({cfg}): {n:,} targets every {interval} s, {count} scrapes")
    p = Probe(cfg, n, target_port, interval_s=interval)
    try:
        p.wait_up()
        wait_until("every target's first attempt", lambda: p.alive() and try_get(p.url("/q/health/ready")), 60, 0.5)
        time.sleep(warm)
        out = subprocess.run(["java", "-Xmx128m", "-cp", CLASSES, "BenchTool", "scrape", p.url("/q/metrics"),
                              str(count), str(SCRAPE_GAP_MS), "10"], capture_output=True, text=True, timeout=900)
        if out.returncode != 0:
            raise RuntimeError("scrape timing failed: " + out.stderr.strip())
        r = dict(kv.split("=") for kv in out.stdout.split())
        r = {k: float(v) for k, v in r.items()}
        r["rss_end_kib"] = status_kb(p.pid, "VmRSS")
        log(f"  {json.dumps(r)}")
        return r
    finally:
        p.close()


# ---- the table ------------------------------------------------------------------------------------------

def fmt(v, unit="", nd=2):
    if v is None:
        return "—"
    return f"{v:.{nd}f}{unit}"


def mib(kib):
    return None if kib is None else kib / 1024


def ratio(a, b):
    return None if a is None or b in (None, 0) else a / b


def table(res, meta):
    cols = ("tuned", "tuned-g1", "default", "blackbox")
    rows = []

    def load(cfg, n, key):
        return res[cfg]["load"].get(n, {}).get(key)

    def row(name, values, goal, unit="", nd=2):
        r = ratio(values[0], values[3]) if len(values) > 3 else None
        cells = " | ".join(fmt(v, unit, nd) for v in values)
        rows.append(f"| {name} | {cells} | {fmt(r, '×', 2) if r is not None else '—'} | {goal} |")

    for n in meta["targets"]:
        row(f"CPU s per 1,000 attempts, {n:,} target(s), {n / INTERVAL_S:g} attempts/s",
            [load(c, n, "cpu_s_per_1000") for c in cols], "≤ 0.45× blackbox" if n == 1000 else "", nd=3)
    for n in (1, max(meta["targets"])):
        row(f"CPU, millicores, {n:,} target(s)", [None if load(c, n, "cpu_cores") is None
                                                  else load(c, n, "cpu_cores") * 1000 for c in cols], "", nd=1)
    n_max = max(meta["targets"])
    row("RSS idle (1 target, after warm-up), MiB", [mib(load(c, 1, "rss_end_kib")) for c in cols], "", nd=1)
    row(f"RSS under {n_max:,}-target load (peak), MiB", [mib(load(c, n_max, "rss_max_kib")) for c in cols],
        "tuned ≤ 64 MiB", nd=1)
    row("Start to first completed attempt (median), s", [res[c].get("startup") for c in cols], "≤ 1.5 s", nd=2)
    if res.get("tuned_cds_startup") is not None:
        row("… tuned, with an AppCDS archive, s", [res["tuned_cds_startup"], None, None, None], "≤ 1.5 s", nd=2)
    for p, goal in ((50, ""), (99, "≤ 50 ms")):
        row(f"Attempt-start jitter p{p}, ms ({n_max:,} targets)",
            [(load(c, n_max, "jitter_ms") or {}).get(f"p{p}") for c in cols[:3]] + [None], goal, nd=0)
    for n, what in ((2000, "1,000 targets × 2 roles = 2,000 in one process"), (1000, "1,000 targets, one pod")):
        for p in (50, 99):
            row(f"/q/metrics latency p{p}, ms ({what})",
                [((res[c].get("metrics") or {}).get(n) or {}).get(f"p{p}") for c in cols[:3]] + [None],
                "≤ 20 ms" if p == 99 and n == 2000 else "", nd=1)
        row(f"RSS while serving those scrapes, MiB ({what})",
            [mib(((res[c].get("metrics") or {}).get(n) or {}).get("rss_end_kib")) for c in cols[:3]] + [None], "",
            nd=1)
    head = ("| Figure | mtls-probe, JVM tuned (serial GC) | mtls-probe, JVM tuned (G1) | mtls-probe, JVM default flags | "
            "blackbox_exporter | tuned ÷ blackbox | goal |\n|---|---:|---:|---:|---:|---:|---|")
    m = ((res["tuned"].get("metrics") or {}).get(2000)) or {}
    j = load("tuned", n_max, "jitter_ms") or {}
    notes = [
        f"Run {meta['date']} on {meta['machine']}; {meta['jdk']}; blackbox_exporter {meta['blackbox']}; "
        f"mode {meta['mode']}; load average {meta['load_before']:.2f} before, {meta['load_after']:.2f} after (the "
        "machine was shared with other work, so absolute figures are noisy; ratios come from the same run).",
        f"Attempts every {INTERVAL_S} s per target, each a new TCP connection to a local echo target; windows of "
        f"{meta['window']} s after {meta['warm']} s of warm-up ({meta['warm_big']} s at {n_max:,} targets); "
        f"mtls-probe is scraped every {SCRAPE_EVERY_S} s during the window and that cost is included.",
        f"/q/metrics with 2,000 targets: {int(m.get('series', 0)):,} series, {m.get('bytes', 0) / 1e6:.1f} MB per "
        f"scrape; {int(m.get('n', 0))} scrapes {SCRAPE_GAP_MS} ms apart on one keep-alive connection, request to "
        "last byte, with Prometheus' Accept header (text format 0.0.4), at the same 200 attempts/s." if m else "",
        f"Jitter: |spacing − interval| between consecutive attempt starts of one target, from the probe's own "
        f"timestamps; {j.get('n', 0):,} spacings (tuned).",
        "tuned (serial GC): `" + " ".join(CONFIGS["tuned"][0]) + "`; tuned (G1): `" + " ".join(CONFIGS["tuned-g1"][0])
        + "`; both with the environment `MALLOC_ARENA_MAX=2`.",
    ]
    return head + "\n" + "\n".join(rows) + "\n\n" + "\n".join(f"- {x}" for x in notes if x) + "\n"


def machine():
    model = platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({model}), {platform.system()} {platform.release()}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="short windows (about 5 minutes instead of 17)")
    args = ap.parse_args()
    quick = args.quick
    warm, window = (5, 15) if quick else (20, 60)
    warm_big = 10 if quick else 30
    reps = 1 if quick else 3
    targets = [1, 10, 100, 1000]
    os.makedirs(OUT, exist_ok=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(129))

    jdk = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    bb = subprocess.run([BLACKBOX, "--version"], capture_output=True, text=True)
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"), "machine": machine(), "mode": "quick" if quick else "full",
        "jdk": jdk[1].strip() if len(jdk) > 1 else jdk[0], "blackbox": (bb.stdout + bb.stderr).split()[2]
        if len((bb.stdout + bb.stderr).split()) > 2 else "?",
        "load_before": os.getloadavg()[0], "warm": warm, "warm_big": warm_big, "window": window,
        "targets": targets,
    }
    res = {"tuned": {"load": {}}, "tuned-g1": {"load": {}}, "default": {"load": {}}, "blackbox": {"load": {}}}
    try:
        port_file = os.path.join(OUT, "target.port")
        if os.path.exists(port_file):
            os.remove(port_file)
        start(["java", "-Xmx64m", "-XX:+UseSerialGC", "-cp", CLASSES, "BenchTool", "target", port_file, "3600"],
              "target.log")
        tport = int(wait_until("the echo target", lambda: os.path.exists(port_file) and open(port_file).read(), 30))
        log(f"echo target on 127.0.0.1:{tport}")

        log(f"start to first attempt, {reps} run(s) each")
        res["default"]["startup"] = statistics.median(probe_startup("default", tport) for _ in range(reps))
        res["tuned"]["startup"] = statistics.median(probe_startup("tuned", tport) for _ in range(reps))
        archive = os.path.join(OUT, "app-cds.jsa")
        create_cds_archive(tport, archive)
        res["tuned_cds_startup"] = statistics.median(
            probe_startup("tuned", tport, [f"-XX:SharedArchiveFile={archive}"]) for _ in range(reps))
        res["blackbox"]["startup"] = statistics.median(blackbox_startup(tport) for _ in range(reps))
        log(f"  default {res['default']['startup']:.2f} s, tuned {res['tuned']['startup']:.2f} s, tuned+CDS "
            f"{res['tuned_cds_startup']:.2f} s, blackbox {res['blackbox']['startup']:.2f} s")

        for n in targets:
            w = warm_big if n >= 1000 else warm
            res["tuned"]["load"][n] = probe_phase("tuned", n, tport, w, window, want_jitter=n >= 1000)
            res["blackbox"]["load"][n] = blackbox_phase(n, tport, w, window)
            if n in (1, max(targets)):
                res["default"]["load"][n] = probe_phase("default", n, tport, w, window, want_jitter=n >= 1000)
            if n == max(targets):
                res["tuned-g1"]["load"][n] = probe_phase("tuned-g1", n, tport, w, window, want_jitter=True)
        for cfg in ("tuned", "tuned-g1", "default"):
            res[cfg]["metrics"] = {n: metrics_phase(cfg, n, tport, 5 if quick else 15, 30 if quick else 120)
                                   for n in (2000, 1000)}
    finally:
        cleanup()
    meta["load_after"] = os.getloadavg()[0]
    md = "## mtls-probe vs blackbox_exporter\n\n" + table(res, meta)
    with open(os.path.join(OUT, "results.md"), "w") as f:
        f.write(md)
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump({"meta": meta, "results": res}, f, indent=2, default=str)
    print()
    print(md)
    log(f"written to {os.path.relpath(os.path.join(OUT, 'results.md'), ROOT)} (raw figures in results.json)")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        cleanup()
        sys.exit(130)
