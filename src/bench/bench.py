#!/usr/bin/python3
"""mtls-probe side by side with blackbox_exporter, on one machine, against local echo and hanging targets.

Run through src/bench/run.sh (it builds the jar, compiles the helpers and installs blackbox_exporter when
missing). Every process started here is stopped by PID when the run ends, however it ends; every network
call goes to 127.0.0.1. The method and the meaning of every figure are in docs/performance.md.

Definitions, in short:
  repeats                 every phase runs `reps` times, each time in fresh processes; within a repeat the
                          columns run one after the other, so slow drifts of the machine hit every column alike.
                          Tables show min / median / max over the repeats.
  warm-up                 a measuring window opens only after the JIT compiler threads (C1 and C2, read per
                          thread from /proc/PID/task) used at most 2 % of the process' CPU (or 20 ms) over the
                          last 20 s; a window that had to open at the warm-up cap anyway is marked.
                          The compiler threads' share of the window's CPU is reported beside every figure.
  CPU per 1,000 attempts  utime+stime of the whole process over the window, divided by the connections the
                          target served (or accepted, for the hanging target) in that window, times 1,000.
  RSS                     peak = VmHWM over the window (reset through /proc/PID/clear_refs when it opens);
                          median of 4 samples a second; idle = VmRSS at the end of the 1-target window.
  scrapes                 /q/metrics is scraped every 15 s from the moment the probe answers, as Prometheus
                          would (10 s timeout), during warm-up and window: their cost is in the CPU and RSS.
                          After the window, a burst of sequential scrapes 500 ms apart times the latency.
                          Every failed scrape is counted and shown.
  start to first attempt  from the launch of the process to the end of its first completed attempt
                          (mtls-probe: its own startedAtMillis + duration in /api/status; blackbox_exporter:
                          the first /probe answered with probe_success 1, polled every 10 ms).
  jitter                  |spacing - interval| between consecutive attempt starts of one target in the window,
                          from /api/status?history=N.
  machine load            /proc/loadavg before and after each run, and the CPU the rest of the machine used
                          during each window (busy time in /proc/stat minus every process of this benchmark).
"""
import argparse
import collections
import gzip
import http.client
import json
import math
import os
import platform
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JAR = os.path.join(ROOT, "target", "quarkus-app", "quarkus-run.jar")
DOCKERFILE = os.path.join(ROOT, "src", "main", "docker", "Dockerfile.jvm")
DEPLOYMENT = os.path.join(ROOT, "k8s", "base", "probe", "deployment.yaml")
OUT = os.path.join(ROOT, "target", "bench")
FLOOR_SRC = os.path.join(ROOT, "src", "bench", "floor")
CLASSES = os.path.join(OUT, "classes")
CLK_TCK = os.sysconf("SC_CLK_TCK")
INTERVAL_S = 5  # the product default: 1,000 targets = 200 attempts/s
TIMEOUT_S = 2  # the product default
SCRAPE_EVERY_S = 15
SCRAPE_TIMEOUT_S = 10  # Prometheus' default scrape_timeout
SCRAPE_GAP_MS = 500  # between timed scrapes: back-to-back scrapes would time the GC of the previous one
PROM_ACCEPT = ("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
               "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
PAGES = 4  # open pages polling /api/status
PAGE_POLL_S = 1.0  # app.js: POLL_MS = 1000, the next poll 1 s after the previous one ended
PAGE_VARIANTS = {  # what app.js asks for (the hour's timeline per cell), the compact default, and full history
    "page": "/api/status?timeline=1",
    "compact": "/api/status",
    "history": "/api/status?history=20",
}
BLACKBOX = "prometheus-blackbox-exporter"
JIT_THREADS = ("C1 CompilerThre", "C2 CompilerThre")  # /proc comm names are cut at 15 characters
QUIET_S = 20  # the JIT counts as warm after this long with at most 2 % of the process' CPU (and 20 ms)
LOADED_CORES = 0.25  # other work using more than this during a window makes its figures "loaded"

PLANS = {
    # Windows open past JIT warm-up (C2 needs about two minutes at 1,000 targets); 30 s at 200 attempts/s is
    # 6,000 attempts and two scrapes; blackbox_exporter has no JIT, its warm-up only lets its heap settle.
    "full": dict(reps=3, idle_warm=10, idle_window=20, warm=30, warm_max=240, bb_warm=15, window=30, burst=30,
                 scale=[2000, 3000, 4000, 5000], hang=[1000, 5000], scale_warm=20, scale_window=30,
                 scale_burst=15, pages_n=2000, pages_window=30, breakdown_n=1000, breakdown_warm=30),
    # For development: one repeat, short windows, the largest scale point and 1,000 hanging targets.
    "quick": dict(reps=1, idle_warm=5, idle_window=10, warm=20, warm_max=60, bb_warm=5, window=20, burst=10,
                  scale=[5000], hang=[1000], scale_warm=20, scale_window=15, scale_burst=10,
                  pages_n=2000, pages_window=15, breakdown_n=1000, breakdown_warm=15),
}
PHASES = ("idle", "load", "scale", "pages", "breakdown", "floor")

STARTED = []  # every Popen started here, stopped by PID in cleanup()
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, never a proxy


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


class ProcessDied(Exception):
    """The process under test exited during a run: a result to report, not a reason to stop the benchmark."""


# ---- processes ---------------------------------------------------------------------------------------------

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


def get(url, timeout=5.0, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    with OPENER.open(req, timeout=timeout) as r:
        body = r.read()
        return gzip.decompress(body) if r.headers.get("Content-Encoding") == "gzip" else body


def try_get(url, timeout=1.0):
    try:
        return get(url, timeout)
    except OSError:
        return None


def start(cmd, logname, env=None):
    logf = open(os.path.join(OUT, logname), "wb")
    p = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT, env=env, cwd=OUT, stdin=subprocess.DEVNULL)
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


def wait_until(what, fn, timeout, step=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(step)
    raise RuntimeError(f"timed out after {timeout} s waiting for {what}")


def sleep_alive(tool, seconds):
    end = time.time() + seconds
    while time.time() < end:
        tool.alive()
        time.sleep(max(0.0, min(0.5, end - time.time())))


# ---- /proc -------------------------------------------------------------------------------------------------

def cpu_ticks(pid, task=None):
    path = f"/proc/{pid}/task/{task}/stat" if task else f"/proc/{pid}/stat"
    with open(path) as f:
        rest = f.read().rsplit(")", 1)[1].split()
    return int(rest[11]) + int(rest[12])  # utime, stime (fields 14 and 15)


def proc_status(pid):
    """VmRSS, VmHWM, RssAnon, RssFile (KiB) and Threads of a process."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile", "Threads"):
                out[key] = int(value.split()[0])
    return out


def reset_peak(pid):
    """Restarts VmHWM from the current RSS, so that it holds the exact peak of the window that follows."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def thread_names(pid):
    """Threads per name, trailing digits folded (pool-1, pool-2 are one kind); names as /proc cuts them."""
    out = collections.Counter()
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                out[re.sub(r"\d+$", "#", f.read().strip())] += 1
        except OSError:
            pass
    return out


def machine_busy():
    """(busy, total) CPU ticks of the whole machine since boot. Interrupt time is left out: on loopback most of
    it is this benchmark's own traffic, and the kernel charges it to no process."""
    with open("/proc/stat") as f:
        user, nice, system, idle, iowait, irq, softirq, steal = (int(x) for x in f.readline().split()[1:9])
    busy = user + nice + system + steal
    return busy, busy + idle + iowait + irq + softirq


def ours_ticks():
    """CPU ticks of this script and every process it runs: what is not "other load" on the machine."""
    total = cpu_ticks(os.getpid())
    for p in list(STARTED):
        try:
            total += cpu_ticks(p.pid)
        except OSError:
            pass
    return total


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


class JitWatch:
    """CPU ticks of the JIT compiler threads of one JVM, summed per thread as they come and go."""

    def __init__(self, pid):
        self.pid, self.names, self.last, self.ticks = pid, {}, {}, 0

    def total(self):
        try:
            tids = os.listdir(f"/proc/{self.pid}/task")
        except OSError:
            return self.ticks
        for tid in tids:
            try:
                if tid not in self.names:
                    with open(f"/proc/{self.pid}/task/{tid}/comm") as f:
                        self.names[tid] = f.read().strip()
                if self.names[tid].startswith(JIT_THREADS):
                    t = cpu_ticks(self.pid, tid)
                    self.ticks += t - self.last.get(tid, 0)
                    self.last[tid] = t
            except OSError:
                pass  # a thread that ended between the listing and the read
        return self.ticks


class NoJit:
    """blackbox_exporter is compiled ahead of time: nothing to wait for."""

    @staticmethod
    def total():
        return 0


def warm_up(tool, jit, min_s, max_s):
    """Waits at least min_s, then until the JIT has been quiet for QUIET_S (or max_s). Returns (seconds, quiet).

    C2 compiles in bursts with lulls of 10 s and more for the first two minutes at 1,000 targets, so one quiet
    10-s stretch is not enough to call it warm."""
    t0 = time.time()
    hist = collections.deque()
    while True:
        tool.alive()
        now = time.time()
        hist.append((now, cpu_ticks(tool.pid), jit.total()))
        while len(hist) > 1 and now - hist[1][0] >= QUIET_S:
            hist.popleft()
        if isinstance(jit, NoJit) and now - t0 >= min_s:
            return round(now - t0, 1), True
        if now - t0 >= min_s and now - hist[0][0] >= QUIET_S:
            d_jit, d_cpu = hist[-1][2] - hist[0][2], hist[-1][1] - hist[0][1]
            if d_jit <= max(2, 0.02 * d_cpu):
                return round(now - t0, 1), True
        if now - t0 >= max_s:
            return round(now - t0, 1), False
        time.sleep(1)


def observe(tool, seconds, attempts, jit):
    """CPU, attempts, RSS and threads of one process over a window, and the rest of the machine's load."""
    reset_ok = reset_peak(tool.pid)
    m0, o0, c0, p0, j0, t0 = machine_busy(), ours_ticks(), attempts(), cpu_ticks(tool.pid), jit.total(), time.time()
    rss, threads, n = [], [], 0
    while True:
        tool.alive()
        st = proc_status(tool.pid)
        rss.append(st["VmRSS"])
        threads.append(st["Threads"])
        n += 1
        if n % 4 == 0:
            jit.total()  # keeps up with compiler threads that come and go
        left = t0 + seconds - time.time()
        if left <= 0:
            break
        time.sleep(min(0.25, left))
    st = proc_status(tool.pid)
    m1, o1, c1, p1, j1, t1 = machine_busy(), ours_ticks(), attempts(), cpu_ticks(tool.pid), jit.total(), time.time()
    dt, count, cpu = t1 - t0, c1 - c0, (p1 - p0) / CLK_TCK
    return {
        "window_s": round(dt, 1), "since_ms": int(t0 * 1000), "attempts": count,
        "attempts_per_s": round(count / dt, 1), "cpu_s": round(cpu, 2),
        "cpu_s_per_1000": round(cpu / count * 1000, 3) if count else None, "millicores": round(cpu / dt * 1000, 1),
        "rss_peak_kib": st["VmHWM"] if reset_ok else max(rss), "rss_median_kib": statistics.median(rss),
        "rss_end_kib": st["VmRSS"], "rss_anon_end_kib": st["RssAnon"], "rss_file_end_kib": st["RssFile"],
        "threads_max": max(threads), "threads_end": st["Threads"],
        "jit_share": round((j1 - j0) / (p1 - p0), 3) if p1 > p0 else 0.0,
        "foreign_cores": round(((m1[0] - m0[0]) - (o1 - o0)) / CLK_TCK / dt, 2),
    }


# ---- the processes under test ------------------------------------------------------------------------------

def dockerfile_env():
    """The ENV lines of Dockerfile.jvm: the flags the image ships with."""
    env, text = {}, open(DOCKERFILE).read().replace("\\\n", " ")
    for line in text.splitlines():
        if line.startswith("ENV "):
            for item in shlex.split(line[4:]):
                key, sep, value = item.partition("=")
                if sep:
                    env[key] = value
    if "JDK_JAVA_OPTIONS" not in env:
        raise RuntimeError(f"no ENV JDK_JAVA_OPTIONS in {DOCKERFILE}: the tuned column follows the image's flags")
    return env


def pod_limits():
    """(memory bytes, cpu cores) of the probe container's limits in the Kubernetes manifests."""
    lines = open(DEPLOYMENT).read().splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "limits:":
            indent, found = len(line) - len(line.lstrip()), {}
            for nxt in lines[i + 1:]:
                if len(nxt) - len(nxt.lstrip()) <= indent:
                    break
                key, _, value = nxt.strip().partition(":")
                found[key] = value.strip().strip('"')
            return quantity(found["memory"]), quantity(found["cpu"])
    raise RuntimeError(f"no resources.limits in {DEPLOYMENT}")


def quantity(q):
    units = {"Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9}
    for unit, factor in units.items():
        if q.endswith(unit):
            return float(q[:-len(unit)]) * factor
    return float(q)


class JvmConfig:
    """How one JVM column is launched: JDK_JAVA_OPTIONS and the environment, as the container would."""

    def __init__(self, name, title, opts, env):
        self.name, self.title, self.opts, self.env = name, title, opts, env
        self.max_heap_mib = None

    def environment(self, extra_opts=()):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("MTLS_PROBE_", "QUARKUS_", "MALLOC_", "GOMAXPROCS"))
               and k not in ("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS")}
        env.update(self.env)
        opts = " ".join([*self.opts, *extra_opts])
        if opts:
            env["JDK_JAVA_OPTIONS"] = opts
        return env

    def probe_heap(self):
        out = subprocess.run(["java", "-XX:+PrintFlagsFinal", "-version"], capture_output=True, text=True,
                             env=self.environment())
        m = re.search(r"\bMaxHeapSize\s*=\s*(\d+)", out.stdout)
        self.max_heap_mib = int(m.group(1)) / (1 << 20) if m else None


def jvm_configs(tuned_opts=None):
    image = dockerfile_env()
    mem, cpu = pod_limits()
    # What the JVM sees in the pod: the memory limit as its RAM, the CPU limit (rounded up) as its processors.
    ram = f"{int(mem) >> 20}m" if int(mem) % (1 << 20) == 0 else str(int(mem))
    pod = [f"-XX:MaxRAM={ram}", f"-XX:ActiveProcessorCount={max(1, math.ceil(cpu))}"]
    opts = shlex.split(tuned_opts) if tuned_opts is not None else shlex.split(image["JDK_JAVA_OPTIONS"])
    env = {k: v for k, v in image.items() if k != "JDK_JAVA_OPTIONS"}
    title = "tuned (custom flags)" if tuned_opts is not None else "tuned (Dockerfile.jvm)"
    return {
        "tuned": JvmConfig("tuned", title, pod + opts, env),
        "default": JvmConfig("default", "JVM defaults", [], {}),
    }, mem, cpu


class Targets:
    """The echo target and the hanging one, in one helper process."""

    def __init__(self):
        port_file = os.path.join(OUT, "target.ports")
        if os.path.exists(port_file):
            os.remove(port_file)
        start(["java", "-Xmx64m", "-XX:+UseSerialGC", "-cp", CLASSES, "BenchTool", "target", port_file, "14400"],
              "target.log")
        ports = wait_until("the targets", lambda: os.path.exists(port_file) and open(port_file).read().split(), 30)
        self.echo, self.hang = int(ports[0]), int(ports[1])

    def served(self):
        return int(get(f"http://127.0.0.1:{self.echo}/__count"))

    def hung(self):
        return int(get(f"http://127.0.0.1:{self.echo}/__hung"))


class Probe:
    """One mtls-probe JVM (role naked) probing n targets on one port."""

    def __init__(self, cfg, n, port, tag="", extra_opts=()):
        self.cfg, self.n = cfg, n
        props = os.path.join(OUT, f"targets-{n}-{port}.properties")
        with open(props, "w") as f:
            f.write(f"mtls-probe.interval={INTERVAL_S}s\nmtls-probe.timeout={TIMEOUT_S}s\n")
            for i in range(1, n + 1):
                f.write(f"mtls-probe.targets.t{i:04d}.url=http://127.0.0.1:{port}/headers?t={i}\n")
        self.http, self.mgmt = free_ports(2)
        env = cfg.environment(extra_opts)
        env.update(QUARKUS_HTTP_PORT=str(self.http), QUARKUS_MANAGEMENT_PORT=str(self.mgmt), MTLS_PROBE_ROLE="naked")
        self.logname = f"probe-{cfg.name}-{n}{tag}.log"
        self.launched = time.time()
        self.proc = start(["java", f"-Dquarkus.config.locations={props}", "-jar", JAR], self.logname, env=env)
        self.pid = self.proc.pid

    def url(self, path):
        port = self.mgmt if path.startswith("/q/") else self.http
        return f"http://127.0.0.1:{port}{path}"

    def alive(self):
        if self.proc.poll() is not None:
            with open(os.path.join(OUT, self.logname), errors="replace") as f:
                lines = f.read().splitlines()
            why = [x for x in lines if re.search(r"Error|Exception|Terminating", x)
                   and not x.startswith("NOTE: Picked up")][-2:] or lines[-1:]
            raise ProcessDied(f"mtls-probe ({self.cfg.name}, {self.n:,} targets) exited with code "
                              f"{self.proc.returncode} {time.time() - self.launched:.0f} s after launch: "
                              f"{' | '.join(x.strip()[:200] for x in why)}")
        return True

    def wait_up(self, timeout=60):
        wait_until("mtls-probe to answer", lambda: self.alive() and try_get(self.url("/q/health/live")), timeout)

    def wait_ready(self):
        """Every target attempted once (readiness); returns the seconds since launch."""
        wait_until("every target's first attempt", lambda: self.alive() and try_get(self.url("/q/health/ready")),
                   60 + self.n / 50, 0.25)
        return round(time.time() - self.launched, 1)

    def first_attempt(self):
        """Seconds from launch to the end of the first completed attempt, from the probe's own timestamps."""
        def first():
            self.alive()
            body = try_get(self.url("/api/status"), 1.0)
            latest = [t["latest"] for t in json.loads(body)["targets"] if t.get("latest")] if body else []
            return latest[0] if latest else None
        a = wait_until("the first attempt", first, 60, step=0.1)
        return round(a["startedAtMillis"] / 1000 + a["durationSeconds"] - self.launched, 3)

    def counters(self):
        """attempts_total per outcome and skipped ticks, summed over targets: proves what the run measured."""
        outcomes, skipped = collections.Counter(), 0
        for line in get(self.url("/q/metrics"), timeout=30).decode().splitlines():
            if line.startswith("mtls_probe_attempts_total{"):
                outcomes[line.split('outcome="', 1)[1].split('"', 1)[0]] += float(line.rsplit(" ", 1)[1])
            elif line.startswith("mtls_probe_skipped_attempts_total{"):
                skipped += float(line.rsplit(" ", 1)[1])
        return {k: int(v) for k, v in outcomes.items() if v}, int(skipped)

    def jitter(self, since_ms, history):
        """|spacing - interval| in ms between consecutive starts of each target, for starts after since_ms."""
        body = get(self.url(f"/api/status?history={history}"), 60, {"Accept-Encoding": "gzip"})
        out = []
        for t in json.loads(body)["targets"]:
            starts = sorted(a["startedAtMillis"] for a in t.get("history") or [])
            out += [abs((b - a) - INTERVAL_S * 1000) for a, b in zip(starts, starts[1:]) if a >= since_ms]
        return out

    def close(self):
        stop(self.proc)


class Blackbox:
    """blackbox_exporter with an http module that opens a fresh connection per probe."""

    CONFIG = f"""modules:
  http_fresh:
    prober: http
    timeout: {TIMEOUT_S}s
    http:
      method: GET
      preferred_ip_protocol: ip4
      ip_protocol_fallback: false
      no_follow_redirects: true
      # one probe = one new TCP connection, as for mtls-probe
      headers:
        Connection: close
"""

    def __init__(self, name, gomaxprocs, n, target_port):
        cfg = os.path.join(OUT, "blackbox.yml")
        with open(cfg, "w") as f:
            f.write(self.CONFIG)
        env = {k: v for k, v in os.environ.items() if k != "GOMAXPROCS"}
        if gomaxprocs:
            env["GOMAXPROCS"] = str(gomaxprocs)
        self.name, self.n, self.port, self.target_port = name, n, free_ports(1)[0], target_port
        self.logname = f"{name}-{n}.log"
        self.launched = time.time()
        self.proc = start([BLACKBOX, f"--config.file={cfg}", f"--web.listen-address=127.0.0.1:{self.port}"],
                          self.logname, env=env)
        self.pid = self.proc.pid
        self.driver = None

    def probe_url(self, i=0):
        return (f"http://127.0.0.1:{self.port}/probe?module=http_fresh&target="
                f"http%3A%2F%2F127.0.0.1%3A{self.target_port}%2Fheaders%3Ft%3D{i}")

    def alive(self):
        if self.proc.poll() is not None:
            raise ProcessDied(f"blackbox_exporter exited with {self.proc.returncode}; see {OUT}/{self.logname}")
        return True

    def first_attempt(self):
        def first():
            self.alive()
            body = try_get(self.probe_url(), 1.0)
            return time.time() if body and b"\nprobe_success 1" in body else None
        return round(wait_until("the first probe", first, 30, step=0.01) - self.launched, 3)

    def drive(self, seconds):
        """Prometheus' part: every target's /probe on its own schedule, spread over the interval."""
        self.driver = start(["java", "-Xmx64m", "-XX:+UseSerialGC", "-cp", CLASSES, "BenchTool", "drive",
                             f"127.0.0.1:{self.port}", f"http://127.0.0.1:{self.target_port}/headers", str(self.n),
                             str(INTERVAL_S * 1000), str(int(seconds)), "http_fresh"], f"driver-{self.name}.log")

    def close(self):
        summary = ""
        if self.driver is not None:
            stop(self.driver)
            with open(os.path.join(OUT, f"driver-{self.name}.log")) as f:
                summary = f.read().strip()
        stop(self.proc)
        return summary


# ---- clients that run beside a measurement -----------------------------------------------------------------

class Poller(threading.Thread):
    """GETs one path on a keep-alive connection: every `every` s from the start (Prometheus), or `every` s
    after the previous answer (a page's setTimeout loop), recording each answer."""

    def __init__(self, port, path, every, headers, fixed_rate, timeout):
        super().__init__(daemon=True)
        self.port, self.path, self.every, self.headers = port, path, every, dict(headers)
        self.fixed_rate, self.timeout = fixed_rate, timeout
        self.done, self.records, self.etag = threading.Event(), [], None

    def run(self):
        conn, due = None, time.time()
        while not self.done.is_set():
            t0 = time.time()
            rec = {"t": t0}
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                headers = dict(self.headers)
                if self.etag:
                    headers["If-None-Match"] = self.etag
                conn.request("GET", self.path, headers=headers)
                resp = conn.getresponse()
                body = resp.read()
                rec.update(status=resp.status, ms=(time.time() - t0) * 1000, wire=len(body))
                if resp.status == 200:
                    self.etag = resp.getheader("ETag") or self.etag
                    rec["decoded"] = len(gzip.decompress(body)) if resp.getheader("Content-Encoding") == "gzip" \
                        else len(body)
                if resp.status not in (200, 304):
                    rec["error"] = f"HTTP {resp.status}"
            except (OSError, http.client.HTTPException) as e:
                rec.update(error=f"{type(e).__name__}: {e}"[:200])
                if conn is not None:
                    conn.close()
                conn = None
            self.records.append(rec)
            due = due + self.every if self.fixed_rate else time.time() + self.every
            self.done.wait(max(0.0, due - time.time()))
        if conn is not None:
            conn.close()

    def stop(self):
        self.done.set()
        self.join(self.timeout + 5)

    def summary(self, since=0.0, until=float("inf")):
        recs = [r for r in self.records if since <= r["t"] <= until]
        ok = [r for r in recs if "error" not in r]
        full = [r for r in ok if r["status"] == 200]
        ms = sorted(r["ms"] for r in ok)
        errors = [r["error"] for r in recs if "error" in r]
        return {
            "n": len(recs), "ok": len(ok), "failed": len(errors), "first_error": errors[0] if errors else None,
            "status_200": len(full), "status_304": sum(1 for r in ok if r["status"] == 304),
            "p50_ms": pct(ms, 50), "p99_ms": pct(ms, 99),
            "wire_bytes": statistics.median(r["wire"] for r in full) if full else None,
            "decoded_bytes": statistics.median(r["decoded"] for r in full) if full else None,
        }


class Watch(threading.Thread):
    """Peak RSS and threads of a process over its whole life: what is left to report when it dies."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.done, self.rss_peak_kib, self.threads_max = pid, threading.Event(), 0, 0

    def run(self):
        while not self.done.is_set():
            try:
                st = proc_status(self.pid)
            except OSError:
                return
            self.rss_peak_kib = max(self.rss_peak_kib, st["VmRSS"])
            self.threads_max = max(self.threads_max, st["Threads"])
            self.done.wait(0.25)

    def stop(self):
        self.done.set()
        self.join(5)
        return {"rss_peak_kib": self.rss_peak_kib, "threads_max": self.threads_max}


def scraper(probe):
    p = Poller(probe.mgmt, "/q/metrics", SCRAPE_EVERY_S, {"Accept": PROM_ACCEPT}, True, SCRAPE_TIMEOUT_S)
    p.start()
    return p


def pages(probe, path):
    out = []
    for _ in range(PAGES):
        p = Poller(probe.http, path, PAGE_POLL_S, {"Accept": "application/json", "Accept-Encoding": "gzip"}, False,
                   30)
        p.start()
        out.append(p)
    return out


def scrape_burst(probe, count, jit):
    """Timed sequential scrapes (lean client, one keep-alive connection), and the probe's peak RSS meanwhile."""
    reset_ok = reset_peak(probe.pid)
    j0, p0 = jit.total(), cpu_ticks(probe.pid)
    logname = f"scrape-{probe.cfg.name}-{probe.n}.log"
    client = start(["java", "-Xmx128m", "-XX:+UseSerialGC", "-cp", CLASSES, "BenchTool", "scrape",
                    probe.url("/q/metrics"), str(count), str(SCRAPE_GAP_MS), "5"], logname)
    rss = []
    while client.poll() is None:
        if probe.proc.poll() is None:
            rss.append(proc_status(probe.pid)["VmRSS"])
        time.sleep(0.25)
    stop(client)
    with open(os.path.join(OUT, logname)) as f:
        lines = f.read().splitlines()
    r = {}
    for line in lines:
        if line.startswith("n="):
            r = {k: float(v) for k, v in (kv.split("=") for kv in line.split())}
        elif line.startswith("error: "):
            r["first_error"] = line[7:]
    if not r:
        raise RuntimeError(f"the scrape client printed no result; see {OUT}/{logname}")
    probe.alive()
    st = proc_status(probe.pid)
    r["rss_peak_kib"] = st["VmHWM"] if reset_ok else max(rss, default=st["VmRSS"])
    dp = cpu_ticks(probe.pid) - p0
    r["jit_share"] = round((jit.total() - j0) / dp, 3) if dp else 0.0
    return r


# ---- runs --------------------------------------------------------------------------------------------------

def pct(values, p):
    """Nearest-rank percentile of sorted values; None when there is none."""
    if not values:
        return None
    return values[max(0, min(len(values) - 1, math.ceil(p * len(values) / 100) - 1))]


def run_probe(cfg, n, port, attempts, warm, warm_max, window, burst=0, startup=False, page_path=None,
              tag="", extra_opts=()):
    """One mtls-probe process through launch, warm-up (scraped), a measured window, jitter, a scrape burst."""
    r = {"load_before": loadavg()}
    p = Probe(cfg, n, port, tag, extra_opts)
    polls, scrapes, watch = [], None, Watch(p.pid)
    watch.start()
    stage = "start"
    try:
        p.wait_up()
        scrapes = scraper(p)
        if startup:
            r["first_attempt_s"] = p.first_attempt()
        r["ready_s"] = p.wait_ready()
        if page_path:
            polls = pages(p, page_path)
        stage = "warm-up"
        jit = JitWatch(p.pid)
        r["warm_s"], r["jit_quiet"] = warm_up(p, jit, warm, warm_max)
        stage = "window"
        r.update(observe(p, window, attempts, jit))
        t_end = time.time()
        r["scrapes"] = scrapes.summary(r["since_ms"] / 1000, t_end)
        if polls:
            r["pages"] = merge([q.summary(r["since_ms"] / 1000, t_end) for q in polls])
            for q in polls:
                q.stop()
        scrapes.stop()
        # Right after the window, before the burst: the last attempts of every target are the window's.
        stage = "jitter (GET /api/status?history=N)"
        j = sorted(p.jitter(r["since_ms"], min(20, window // INTERVAL_S + 1)))
        r["jitter_ms"] = {"n": len(j), "p50": pct(j, 50), "p99": pct(j, 99), "max": j[-1] if j else None}
        if burst:
            stage = "timed scrapes"
            r["burst"] = scrape_burst(p, burst, jit)
        r["threads_by_name"] = dict(thread_names(p.pid).most_common(8))
        stage = "final scrape"
        r["outcomes"], r["skipped_ticks"] = p.counters()
    except (ProcessDied, OSError, RuntimeError) as e:
        if not isinstance(e, ProcessDied):  # a failed request or wait: the probe died meanwhile, or it did not
            try:
                p.proc.wait(5)
            except subprocess.TimeoutExpired:
                r["failed"] = f"alive, but a request failed during {stage}: {e}"
                log(f"  {r['failed']}")
                e = None
        if e is not None:
            try:
                p.alive()
            except ProcessDied as died:
                e = died
            r["exited"] = f"during {stage}: {e}"
            log(f"  {r['exited']}")
    finally:
        for q in polls:
            q.stop()
        if scrapes is not None:
            scrapes.stop()
            r["scrapes_all"] = scrapes.summary()  # launch to end, warm-up included: none may fail
        r["life"] = watch.stop()
        p.close()
    r["load_after"] = loadavg()
    return r


def merge(summaries):
    """One summary for several identical clients (the pages)."""
    out = {k: sum(s[k] for s in summaries) for k in ("n", "ok", "failed", "status_200", "status_304")}
    for k in ("p50_ms", "p99_ms", "wire_bytes", "decoded_bytes"):
        vals = [s[k] for s in summaries if s[k] is not None]
        out[k] = max(vals) if vals else None
    out["first_error"] = next((s["first_error"] for s in summaries if s["first_error"]), None)
    return out


def run_blackbox(name, gomaxprocs, n, port, attempts, warm, window, startup=False):
    r = {"load_before": loadavg()}
    b = Blackbox(name, gomaxprocs, n, port)
    try:
        wait_until("blackbox_exporter", lambda: b.alive() and try_get(f"http://127.0.0.1:{b.port}/metrics"), 30)
        if startup:
            r["first_attempt_s"] = b.first_attempt()
        b.drive(warm + window + 5)
        r["warm_s"], r["jit_quiet"] = warm_up(b, NoJit(), warm, warm)
        r.update(observe(b, window, attempts, NoJit()))
    except ProcessDied as e:
        r["exited"] = str(e)
        log(f"  {e}")
    finally:
        r["driver"] = b.close()
    r["load_after"] = loadavg()
    return r


def brief(r):
    keys = ("first_attempt_s", "warm_s", "jit_quiet", "attempts_per_s", "cpu_s_per_1000", "millicores",
            "rss_peak_kib", "threads_max", "jit_share", "foreign_cores", "exited")
    out = {k: r[k] for k in keys if k in r}
    for k in ("scrapes_all", "burst", "pages", "jitter_ms"):
        if k in r:
            out[k] = {kk: r[k].get(kk) for kk in ("ok", "failed", "p50", "p99", "p50_ms", "p99_ms", "status_304")
                      if kk in r[k]}
    return json.dumps(out)


# ---- the floor: what the framework costs with nothing of ours --------------------------------------------

FLOOR_APPS = {  # name: (title, the dependencies kept from mtls-probe's pom, None for all of them)
    "floor-rest": ("Quarkus, quarkus-rest only, one endpoint", {"quarkus-arc", "quarkus-rest"}),
    "floor-stack": ("Quarkus with every dependency of mtls-probe's pom, one endpoint", None),
}


def floor_pom(keep):
    """mtls-probe's own pom (BOM, versions, exclusions, application.properties) built from one endpoint instead
    of the probe's sources: generated, so the floor cannot drift from the product's dependencies."""
    pom = open(os.path.join(ROOT, "pom.xml")).read()
    if keep is not None:
        def dep(m):
            artifact = re.search(r"<artifactId>([^<]+)</artifactId>", m.group(0)).group(1)
            return m.group(0) if artifact in keep or artifact.startswith("${") else ""
        pom = re.sub(r"\s*<dependency>.*?</dependency>", dep, pom, flags=re.S)
    build = (f"<build>\n    <sourceDirectory>{FLOOR_SRC}</sourceDirectory>\n    <resources><resource><directory>"
             f"{os.path.join(ROOT, 'src', 'main', 'resources')}</directory></resource></resources>")
    return pom.replace("<artifactId>mtls-probe</artifactId>", "<artifactId>mtls-probe-floor</artifactId>", 1) \
              .replace("<build>", build, 1)


def floor_jar(name):
    """Builds a floor application under target/bench/NAME when its pom or sources changed; returns its jar."""
    home = os.path.join(OUT, name)
    os.makedirs(home, exist_ok=True)
    pom, jar = os.path.join(home, "pom.xml"), os.path.join(home, "target", "quarkus-app", "quarkus-run.jar")
    text = floor_pom(FLOOR_APPS[name][1])
    if not os.path.exists(pom) or open(pom).read() != text:
        with open(pom, "w") as f:
            f.write(text)
    sources = [os.path.join(d, f) for d, _, fs in os.walk(FLOOR_SRC) for f in fs] + [pom]
    if not os.path.exists(jar) or max(os.path.getmtime(f) for f in sources) > os.path.getmtime(jar):
        log(f"building {name} (./mvnw package -DskipTests)")
        subprocess.run([os.path.join(ROOT, "mvnw"), "-B", "-q", "-f", pom, "package", "-DskipTests"], check=True,
                       stdout=open(os.path.join(OUT, f"{name}-build.log"), "wb"), stderr=subprocess.STDOUT)
    return jar


class FloorApp:
    """One floor application, launched exactly as the tuned probe is (same environment, same flags)."""

    def __init__(self, cfg, name, jar):
        self.name, self.http, self.mgmt = name, *free_ports(2)
        env = cfg.environment()
        env.update(QUARKUS_HTTP_PORT=str(self.http), QUARKUS_MANAGEMENT_PORT=str(self.mgmt))
        self.logname = f"{name}.log"
        self.proc = start(["java", "-jar", jar], self.logname, env=env)
        self.pid = self.proc.pid

    def alive(self):
        if self.proc.poll() is not None:
            raise ProcessDied(f"{self.name} exited with code {self.proc.returncode}; see {self.logname}")
        return True

    def wait_up(self):
        wait_until(f"{self.name} to answer",
                   lambda: self.alive() and try_get(f"http://127.0.0.1:{self.http}/floor"), 60)

    def close(self):
        stop(self.proc)


def loaded_classes(pid):
    """(classes, class loaders) from `jcmd PID VM.metaspace`."""
    m = re.search(r"Total Usage - (\d+) loaders, (\d+) classes", jcmd(pid, "VM.metaspace"))
    return (int(m.group(2)), int(m.group(1))) if m else (None, None)


def run_floor(app, plan, scrape):
    """Idle after warm-up, scraped every 15 s when the application has /q/metrics: RSS, threads, classes."""
    r, scrapes = {"load_before": loadavg()}, None
    try:
        app.wait_up()
        if scrape:
            scrapes = scraper(app)
        r["warm_s"], r["jit_quiet"] = warm_up(app, JitWatch(app.pid), plan["idle_warm"] + 20, 60)
        r.update(observe(app, plan["idle_window"], lambda: 0, JitWatch(app.pid)))
        r["classes"], r["loaders"] = loaded_classes(app.pid)
    except ProcessDied as e:
        r["exited"] = str(e)
        log(f"  {e}")
    finally:
        if scrapes is not None:
            scrapes.stop()
            r["scrapes_all"] = scrapes.summary()
        app.close()
    r["load_after"] = loadavg()
    return r


def floor(cfg, targets, plan, res):
    jars = {name: floor_jar(name) for name in FLOOR_APPS}
    for rep in range(plan["reps"]):
        for name, jar in jars.items():
            log(f"{name}, tuned: idle after warm-up, {plan['idle_window']} s window (run {rep + 1})")
            r = run_floor(FloorApp(cfg, name, jar), plan, scrape=FLOOR_APPS[name][1] is None)
            res.setdefault("floor", {}).setdefault(name, []).append(r)
            log(f"  {brief(r)}")
        log(f"mtls-probe, tuned, 1 target: idle after warm-up, {plan['idle_window']} s window (run {rep + 1})")
        p = Probe(cfg, 1, targets.echo, "-floor")
        r = run_floor(p, plan, scrape=True)
        res.setdefault("floor", {}).setdefault("probe", []).append(r)
        log(f"  {brief(r)}")


def create_cds_archive(cfg, port, archive):
    """A training run whose loaded classes are dumped at exit (-XX:ArchiveClassesAtExit)."""
    p = Probe(cfg, 10, port, "-cds-training", [f"-XX:ArchiveClassesAtExit={archive}"])
    try:
        p.wait_up()
        p.wait_ready()
        for path in ("/q/metrics", "/api/status", "/api/status?history=20", "/q/health/ready", "/"):
            try_get(p.url(path), 10)
    finally:
        p.close()
    if not os.path.exists(archive):
        raise RuntimeError("the class-data sharing archive was not written; see the training log")


# ---- breakdown: what the classes and the memory are --------------------------------------------------------

def jcmd(pid, *command):
    out = subprocess.run(["jcmd", str(pid), *command], capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError(f"jcmd {' '.join(command)} failed: {out.stdout[-300:]}{out.stderr[-300:]}")
    return out.stdout


def library(source, lib_of):
    """The library a class came from, from the `source:` of -Xlog:class+load."""
    if source.startswith("shared objects file"):
        return "JDK (class-data sharing archive)"
    if source.startswith("jrt:/"):
        return "JDK " + source[5:]
    if source.startswith("__"):
        return "JVM-generated (method handles, lambda forms)"
    if source.startswith("file:"):
        name = os.path.basename(source.rstrip("/"))
        if name == "generated-bytecode.jar":
            return "Quarkus build-time generated classes"
        if name == "transformed-bytecode.jar":
            return "Quarkus build-time transformed classes"
        if name.startswith("mtls-probe"):
            return "mtls-probe (this application)"
        return re.sub(r"-\d[^/]*\.jar$", "", name)
    return lib_of.get(source, "other")  # a lambda: counted with the class that defined it


def family(lib):
    """io.vertx.vertx-core -> io.vertx; the JDK's modules stay together."""
    if lib.startswith(("JDK", "JVM-generated")):
        return "JDK (all modules, archive and generated)"
    parts = lib.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 else lib


def class_breakdown(path):
    lib_of, by_lib, by_pkg = {}, collections.Counter(), collections.Counter()
    with open(path, errors="replace") as f:
        for line in f:
            m = re.search(r"\] (\S+) source: (.*)$", line)
            if not m:
                continue
            cls, src = m.groups()
            lib = library(src.strip(), lib_of)
            lib_of[cls] = lib
            by_lib[lib] += 1
            by_pkg[".".join(cls.split("/")[0].split(".")[:2])] += 1
    return {"total": sum(by_lib.values()), "by_family": family_counts(by_lib), "by_library": dict(by_lib),
            "by_package": dict(by_pkg)}


def family_counts(by_lib):
    out = collections.Counter()
    for lib, count in by_lib.items():
        out[family(lib)] += count
    return dict(out)


def parse_nmt(text):
    out = {"categories": {}}
    m = re.search(r"Total: reserved=(\d+)KB, committed=(\d+)KB", text)
    if m:
        out["total_committed_kib"] = int(m.group(2))
    for m in re.finditer(r"^-\s+(.+?) \(reserved=(\d+)KB, committed=(\d+)KB\)", text, re.M):
        out["categories"][m.group(1).strip()] = {"reserved_kib": int(m.group(2)), "committed_kib": int(m.group(3))}
    for key, rx in (("classes", r"\(classes #(\d+)\)"), ("threads", r"\(thread #(\d+)\)")):
        m = re.search(rx, text)
        if m:
            out[key] = int(m.group(1))
    return out


def parse_histogram(text, top=20):
    rows = []
    for m in re.finditer(r"^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", text, re.M):
        rows.append({"instances": int(m.group(1)), "bytes": int(m.group(2)), "class": m.group(3)})
    total = re.search(r"^Total\s+(\d+)\s+(\d+)", text, re.M)
    return {"top": rows[:top], "classes": len(rows), "total_instances": int(total.group(1)) if total else None,
            "total_bytes": int(total.group(2)) if total else None}


def breakdown(cfg, targets, n, warm):
    """One extra run (not used for any other figure: tracking costs memory) at n targets."""
    classlog = os.path.join(OUT, "class-load.log")
    if os.path.exists(classlog):
        os.remove(classlog)
    p = Probe(cfg, n, targets.echo, "-breakdown",
              ["-XX:NativeMemoryTracking=summary", f"-Xlog:class+load=info:file={classlog}"])
    scrapes = None
    try:
        p.wait_up()
        scrapes = scraper(p)
        p.wait_ready()
        sleep_alive(p, warm)
        get(p.url("/api/status?timeline=1"), 60, {"Accept-Encoding": "gzip"})  # what a page loads
        scrapes.stop()
        out = {"n": n, "rss": proc_status(p.pid), "threads_by_name": dict(thread_names(p.pid).most_common())}
        out["nmt"] = parse_nmt(jcmd(p.pid, "VM.native_memory", "summary"))
        m = re.search(r"Total Usage - (\d+) loaders, (\d+) classes", jcmd(p.pid, "VM.metaspace"))
        if m:
            out["class_loaders"], out["metaspace_classes"] = int(m.group(1)), int(m.group(2))
        out["histogram"] = parse_histogram(jcmd(p.pid, "GC.class_histogram"))  # a full GC: last
        out["classes"] = class_breakdown(classlog)
        return out
    finally:
        if scrapes is not None:
            scrapes.stop()
        p.close()


# ---- tables ------------------------------------------------------------------------------------------------

def nums(values):
    return [v for v in values if isinstance(v, (int, float)) and not (isinstance(v, float) and math.isnan(v))]


def tri(values, nd=1, scale=1.0):
    """min / median / max of the repeats (one value when there is one repeat)."""
    v = [x * scale for x in nums(values)]
    if not v:
        return "—"
    if len(v) == 1:
        return f"{v[0]:,.{nd}f}"
    return f"{min(v):,.{nd}f} / {statistics.median(v):,.{nd}f} / {max(v):,.{nd}f}"


def med(values):
    v = nums(values)
    return statistics.median(v) if v else None


def pick(reps, *path):
    out = []
    for r in reps:
        for k in path:
            r = r.get(k) if isinstance(r, dict) else None
        out.append(r)
    return out


def kib_to_mib(reps, *path):
    return [None if v is None else v / 1024 for v in pick(reps, *path)]


def failures(reps, key):
    """ok / total over every repeat, with the first error: failed scrapes are shown, never averaged away."""
    ok, n, err = 0, 0, None
    for r in reps:
        s = r.get(key) or {}
        ok += int(s.get("ok", 0))
        n += int(s.get("n", 0))
        err = err or s.get("first_error")
    if n == 0:
        return "—"
    return f"{ok}/{n}" + ("" if ok == n else f" (**{n - ok} failed**: {err})")


def exits(reps):
    died = [r["exited"] for r in reps if r.get("exited")]
    failed = [r["failed"] for r in reps if r.get("failed")]
    out = [f"**{len(died)} of {len(reps)} exited**: {died[0]}"] if died else []
    out += [f"**{len(failed)} of {len(reps)} failed a request**: {failed[0]}"] if failed else []
    return "; ".join(out) or "none"


COLS = ("tuned", "default", "blackbox", "blackbox-1")


def main_table(res, meta):
    idle, load = res.get("idle", {}), res.get("load", {})
    n = meta["plan"]["load_n"]
    rows = []

    def row(name, per_col, goal="", nd=1, ratio=True):
        cells = [tri(per_col(c), nd) for c in COLS]
        meds = [med(per_col(c)) for c in COLS]
        ratios = [f"{meds[0] / meds[i]:.2f}×" if ratio and meds[0] is not None and meds[i] else "—" for i in (2, 3)]
        rows.append(f"| {name} | " + " | ".join(cells) + f" | {ratios[0]} | {ratios[1]} | {goal} |")

    L = lambda c: load.get(c, [])  # noqa: E731
    I = lambda c: idle.get(c, [])  # noqa: E731
    row(f"CPU s per 1,000 attempts, {n:,} targets ({n // INTERVAL_S} attempts/s)",
        lambda c: pick(L(c), "cpu_s_per_1000"), "≤ 0.45× blackbox", 3)
    row(f"CPU, millicores, {n:,} targets", lambda c: pick(L(c), "millicores"))
    row("CPU, millicores, idle (1 target)", lambda c: pick(I(c), "millicores"))
    row(f"RSS under {n:,}-target load, peak, MiB", lambda c: kib_to_mib(L(c), "rss_peak_kib"), "tuned ≤ 64 MiB")
    row(f"RSS under {n:,}-target load, median, MiB", lambda c: kib_to_mib(L(c), "rss_median_kib"))
    row("… of which anonymous at the end of the window, MiB", lambda c: kib_to_mib(L(c), "rss_anon_end_kib"))
    row("… of which file-backed at the end of the window, MiB", lambda c: kib_to_mib(L(c), "rss_file_end_kib"))
    row("RSS idle (1 target, end of window), MiB", lambda c: kib_to_mib(I(c), "rss_end_kib"))
    row(f"Threads, {n:,} targets (max)", lambda c: pick(L(c), "threads_max"), nd=0)
    row("Start to first completed attempt, s", lambda c: pick(I(c), "first_attempt_s"), "≤ 1.5 s", 2)
    for p in (50, 99):
        row(f"Attempt-start jitter p{p}, ms ({n:,} targets)", lambda c, p=p: pick(L(c), "jitter_ms", f"p{p}"),
            "≤ 50 ms" if p == 99 else "", 0, ratio=False)
    for p in (50, 99):
        row(f"/q/metrics latency p{p}, ms ({n:,} targets)", lambda c, p=p: pick(L(c), "burst", f"p{p}"),
            "", 1, ratio=False)
    row("RSS while serving those scrapes, peak, MiB", lambda c: kib_to_mib(L(c), "burst", "rss_peak_kib"),
        ratio=False)
    row("JIT compiler share of the window's CPU, %", lambda c: [None if v is None else v * 100
                                                               for v in pick(L(c), "jit_share")], "", 1, ratio=False)
    row("Warm-up before the window, s", lambda c: pick(L(c), "warm_s"), "", 0, ratio=False)
    head = ("| Figure (min / median / max of the repeats) | " + " | ".join(meta["titles"][c] for c in COLS)
            + " | tuned ÷ blackbox | tuned ÷ blackbox GOMAXPROCS=1 | goal |\n|---|"
            + "---:|" * (len(COLS) + 2) + "---|")
    extra = []
    cds = res.get("cds_startup")
    if cds:
        extra.append(f"- Start to first completed attempt, tuned with an AppCDS archive: {tri(cds, 2)} s.")
    for c in COLS:
        for k, label in (("scrapes_all", "/q/metrics scrapes every 15 s"), ("burst", "timed /q/metrics scrapes")):
            if any(k in r for r in L(c)):
                extra.append(f"- {meta['titles'][c]}, {n:,} targets, {label}: {failures(L(c), k)} succeeded.")
        if any(r.get("exited") or r.get("failed") for r in L(c) + I(c)):
            extra.append(f"- {meta['titles'][c]}: {exits(L(c) + I(c))}.")
        driven = [dict(kv.split("=") for kv in r["driver"].split()) for r in L(c) if "sent=" in r.get("driver", "")]
        if driven:
            extra.append(f"- {meta['titles'][c]}, {n:,} targets: {sum(int(d['ok']) for d in driven):,} of "
                         f"{sum(int(d['sent']) for d in driven):,} /probe calls answered probe_success 1 "
                         f"({sum(int(d['errors']) for d in driven)} errors, "
                         f"{sum(int(d['skipped']) for d in driven)} skipped).")
        outcomes = collections.Counter()
        for r in L(c):
            outcomes.update(r.get("outcomes") or {})
        if outcomes:
            extra.append(f"- {meta['titles'][c]}, {n:,} targets, attempts by outcome over the runs: "
                         + ", ".join(f"{k} {v:,}" for k, v in outcomes.most_common()) + ".")
        not_quiet = sum(1 for r in L(c) + I(c) if r.get("jit_quiet") is False)
        if not_quiet:
            extra.append(f"- {meta['titles'][c]}: **{not_quiet} window(s) opened at the warm-up cap with the JIT "
                         "still compiling**; their figures include compilation.")
    return head + "\n" + "\n".join(rows) + "\n\n" + "\n".join(extra) + "\n"


def scale_table(res, meta):
    limit = meta["pod_memory_limit_mib"]
    head = ("| Point (tuned) | attempts/s | CPU s per 1,000 attempts | RSS peak, MiB | RSS peak ÷ pod limit "
            f"({limit:.0f} MiB) | threads (max) | scrapes every 15 s: ok/all | timed scrapes: ok/all | "
            "/q/metrics p50, ms | /q/metrics p99, ms | scrape size, MB | jitter p99, ms | skipped ticks | exited |\n"
            "|---|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---|")
    rows = []
    points = []
    if res.get("load", {}).get("tuned"):
        points.append((f"{meta['plan']['load_n']:,} answering (the load phase)", res["load"]["tuned"]))
    points += [(label(k), v) for k, v in res.get("scale", {}).items()]
    for name, reps in points:
        died = " (until it exited)" if any(r.get("exited") for r in reps) else ""
        peaks = [v / 1024 for v in lifelong(reps, "rss_peak_kib")]
        share = [v / limit * 100 for v in peaks]
        over = any(v > 100 for v in share)
        lat = f"{tri(pick(reps, 'burst', 'p50'))} | {tri(pick(reps, 'burst', 'p99'))}"
        rows.append(f"| {name} | {tri(pick(reps, 'attempts_per_s'), 0)} | {tri(pick(reps, 'cpu_s_per_1000'), 3)} | "
                    f"{tri(peaks)}{died} | {tri(share, 0)} %{' **over the limit**' if over else ''} | "
                    f"{tri(lifelong(reps, 'threads_max'), 0)}{died} | {failures(reps, 'scrapes_all')} | "
                    f"{failures(reps, 'burst')} | {lat} | {tri(pick(reps, 'burst', 'bytes'), 1, 1e-6)} | "
                    f"{tri(pick(reps, 'jitter_ms', 'p99'), 0)} | {tri(pick(reps, 'skipped_ticks'), 0)} | "
                    f"{exits(reps)} |")
    notes = []
    for name, reps in points:
        outcomes = collections.Counter()
        for r in reps:
            outcomes.update(r.get("outcomes") or {})
        if outcomes:
            notes.append(f"- {name}: attempts by outcome over the runs: "
                         + ", ".join(f"{k} {v:,}" for k, v in outcomes.most_common()) + ".")
    return head + "\n" + "\n".join(rows) + "\n\n" + "\n".join(notes) + "\n"


def lifelong(reps, key):
    """The window's figure, or for a run that died before its window, the peak over the process' life."""
    return nums([r.get(key) if r.get(key) is not None else (r.get("life") or {}).get(key) for r in reps])


def label(key):
    n, _, kind = key.partition("-")
    return f"{int(n):,} {'all hanging' if kind == 'hang' else 'answering'}"


def pages_table(res, meta):
    limit = meta["pod_memory_limit_mib"]
    head = (f"| {meta['plan']['pages_n']:,} targets, tuned, {PAGES} pages polling every {PAGE_POLL_S:g} s | "
            f"RSS peak, MiB | RSS peak ÷ pod limit ({limit:.0f} MiB) | answers 200 / 304 / failed | "
            "response, gzip, KiB | response, JSON, KiB | latency p50, ms | latency p99, ms | exited |\n"
            "|---|---:|---:|---|---:|---:|---:|---:|---|")
    rows = []
    for variant, reps in res.get("pages", {}).items():
        peaks = kib_to_mib(reps, "rss_peak_kib")
        share = [None if v is None else v / limit * 100 for v in peaks]
        over = any(v and v > 100 for v in share)
        s = [r.get("pages") or {} for r in reps]
        counts = (f"{sum(x.get('status_200', 0) for x in s)} / {sum(x.get('status_304', 0) for x in s)} / "
                  f"{sum(x.get('failed', 0) for x in s)}")
        err = next((x["first_error"] for x in s if x.get("first_error")), None)
        rows.append(f"| `GET {PAGE_VARIANTS[variant]}` | {tri(peaks)} | {tri(share, 0)} %"
                    f"{' **over the limit**' if over else ''} | {counts}{f' ({err})' if err else ''} | "
                    f"{tri(pick(s, 'wire_bytes'), 1, 1 / 1024)} | {tri(pick(s, 'decoded_bytes'), 1, 1 / 1024)} | "
                    f"{tri(pick(s, 'p50_ms'), 0)} | {tri(pick(s, 'p99_ms'), 0)} | {exits(reps)} |")
    return head + "\n" + "\n".join(rows) + "\n"


def load_table(res, meta):
    head = ("| Phase, column | runs | load average (1 min) before | load average (1 min) after | other CPU on the "
            "machine during the window, cores | machine |\n|---|---:|---:|---:|---:|---|")
    rows = []
    for phase in ("idle", "load", "scale", "pages", "floor"):
        for key, reps in res.get(phase, {}).items():
            name = (label(key) if phase == "scale" else f"`GET {PAGE_VARIANTS[key]}`" if phase == "pages"
                    else FLOOR_TITLES[key] if phase == "floor" else meta["titles"][key])
            foreign = nums(pick(reps, "foreign_cores"))
            loaded = sum(1 for v in foreign if v > LOADED_CORES)
            verdict = (f"**loaded** in {loaded} of {len(foreign)} windows" if loaded
                       else "quiet" if foreign else "no window (the probe exited or a request failed before)")
            rows.append(f"| {phase}, {name} | {len(reps)} | {tri([r['load_before'][0] for r in reps], 2)} | "
                        f"{tri([r['load_after'][0] for r in reps], 2)} | {tri(foreign, 2)} | {verdict} |")
    return head + "\n" + "\n".join(rows) + "\n"


FLOOR_TITLES = {**{k: v[0] for k, v in FLOOR_APPS.items()}, "probe": "mtls-probe, 1 target"}


def floor_table(floor):
    head = ("| Process (tuned flags, idle after warm-up) | RSS peak, MiB | RSS median, MiB | anonymous, MiB | "
            "file-backed, MiB | threads (max) | classes loaded | class loaders | scrapes every 15 s: ok/all | "
            "exited |\n|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
    rows = []
    for key, reps in floor.items():
        scrapes = failures(reps, "scrapes_all") if any(r.get("scrapes_all") for r in reps) else "not scraped"
        rows.append(f"| {FLOOR_TITLES[key]} | {tri(kib_to_mib(reps, 'rss_peak_kib'))} | "
                    f"{tri(kib_to_mib(reps, 'rss_median_kib'))} | {tri(kib_to_mib(reps, 'rss_anon_end_kib'))} | "
                    f"{tri(kib_to_mib(reps, 'rss_file_end_kib'))} | {tri(pick(reps, 'threads_max'), 0)} | "
                    f"{tri(pick(reps, 'classes'), 0)} | {tri(pick(reps, 'loaders'), 0)} | {scrapes} | "
                    f"{exits(reps)} |")
    return head + "\n" + "\n".join(rows) + "\n"


def machine_verdict(res):
    foreign = [r.get("foreign_cores") for phase in ("idle", "load", "scale", "pages")
               for reps in res.get(phase, {}).values() for r in reps]
    v = nums(foreign)
    if not v:
        return "no window measured"
    busy = sum(1 for x in v if x > LOADED_CORES)
    if busy:
        return (f"**loaded**: in {busy} of {len(v)} windows other work used more than {LOADED_CORES} cores "
                f"(up to {max(v):.2f}); absolute figures from those windows are inflated, ratios between columns "
                "of the same repeat less so")
    return f"quiet: other work used at most {max(v):.2f} cores during any window"


def breakdown_tables(b):
    out = []
    cl = b["classes"]
    out.append(f"#### Classes loaded at {b['n']:,} targets: {cl['total']:,} "
               f"({b.get('class_loaders', '?')} class loaders)\n")
    out.append("| library (group) | classes | share |\n|---|---:|---:|")
    for fam, count in sorted(cl["by_family"].items(), key=lambda kv: -kv[1]):
        out.append(f"| {fam} | {count:,} | {count / cl['total'] * 100:.1f} % |")
    out.append("\n| library (jar or JDK module), top 30 | classes |\n|---|---:|")
    libs = sorted(cl["by_library"].items(), key=lambda kv: -kv[1])
    for lib, count in libs[:30]:
        out.append(f"| {lib} | {count:,} |")
    rest = libs[30:]
    if rest:
        out.append(f"| {len(rest)} more | {sum(c for _, c in rest):,} |")
    out.append("\n| package prefix, top 25 | classes |\n|---|---:|")
    for pkg, count in sorted(cl["by_package"].items(), key=lambda kv: -kv[1])[:25]:
        out.append(f"| `{pkg}` | {count:,} |")
    nmt = b["nmt"]
    rss = b["rss"]
    out.append(f"\n#### Native Memory Tracking at {b['n']:,} targets (tuned, after warm-up and scrapes)\n")
    out.append(f"RSS {rss['VmRSS'] / 1024:.1f} MiB (anonymous {rss['RssAnon'] / 1024:.1f}, file-backed "
               f"{rss['RssFile'] / 1024:.1f}); NMT total committed "
               f"{nmt.get('total_committed_kib', 0) / 1024:.1f} MiB; {nmt.get('classes', '?'):,} classes "
               f"(instance and array); {nmt.get('threads', '?')} threads.\n")
    out.append("| part | committed, MiB | reserved, MiB |\n|---|---:|---:|")
    for name, v in sorted(nmt["categories"].items(), key=lambda kv: -kv[1]["committed_kib"]):
        if v["committed_kib"] >= 64:
            out.append(f"| {name} | {v['committed_kib'] / 1024:.1f} | {v['reserved_kib'] / 1024:.1f} |")
    h = b["histogram"]
    out.append(f"\n#### Java heap after a full GC at {b['n']:,} targets: {(h['total_bytes'] or 0) / 1048576:.1f} MiB "
               f"live in {h['total_instances'] or 0:,} objects of {h['classes']:,} classes (top 20)\n")
    out.append("| class | instances | KiB |\n|---|---:|---:|")
    for row in h["top"]:
        out.append(f"| `{row['class']}` | {row['instances']:,} | {row['bytes'] / 1024:,.0f} |")
    out.append(f"\n#### Threads at {b['n']:,} targets, by name\n")
    out.append("| thread (name as /proc shows it, digits as #) | count |\n|---|---:|")
    singles = [name for name, count in b["threads_by_name"].items() if count == 1]
    for name, count in b["threads_by_name"].items():
        if count > 1:
            out.append(f"| `{name}` | {count} |")
    out.append(f"| one each: {', '.join(f'`{x}`' for x in singles)} | {len(singles)} |")
    return "\n".join(out) + "\n"


def report(res, meta):
    parts = [f"## mtls-probe vs blackbox_exporter ({meta['mode']} run)\n", notes(res, meta)]
    if res.get("idle") or res.get("load"):
        parts += ["### Side by side\n", main_table(res, meta)]
    if res.get("scale") or res.get("load"):
        parts += ["### Scale: more targets, and every target hanging\n", scale_table(res, meta)]
    if res.get("pages"):
        parts += ["### /api/status with open pages\n", pages_table(res, meta)]
    parts += ["### Machine load\n", load_table(res, meta)]
    if res.get("breakdown"):
        parts += ["### Breakdown\n", breakdown_tables(res["breakdown"])]
    if res.get("floor"):
        parts += ["### The floor: the same stack with nothing of mtls-probe\n", floor_table(res["floor"])]
    return "\n".join(parts)


def notes(res, meta):
    cfg = meta["configs"]
    lines = [
        f"Run {meta['date']} on {meta['machine']}; {meta['jdk']}; blackbox_exporter {meta['blackbox']}; "
        f"{meta['plan']['reps']} repeat(s); {meta['duration_min']:.0f} minutes; load average "
        f"{meta['load_before'][0]:.2f} before, {meta['load_after'][0]:.2f} after. Machine: {machine_verdict(res)}.",
        f"Attempts every {INTERVAL_S} s per target (timeout {TIMEOUT_S} s), each a new TCP connection to a local "
        f"target; /q/metrics scraped every {SCRAPE_EVERY_S} s from start. Windows: idle {meta['plan']['idle_window']} "
        f"s, {meta['plan']['load_n']:,} targets {meta['plan']['window']} s, scale points "
        f"{meta['plan']['scale_window']} s, each opened after the JIT went quiet (at least "
        f"{meta['plan']['warm']} s; cap {meta['plan']['warm_max']} s).",
        f"tuned: `JDK_JAVA_OPTIONS=\"{' '.join(cfg['tuned']['opts'])}\"` with "
        f"{', '.join(f'`{k}={v}`' for k, v in cfg['tuned']['env'].items()) or 'no other environment'}: the "
        f"image's flags, and the pod's limits as the JVM sees them in a container (memory "
        f"{meta['pod_memory_limit_mib']:.0f} MiB as MaxRAM, CPU {meta['pod_cpu_limit']:g} → "
        f"ActiveProcessorCount). Maximum heap: tuned {fmt_mib(cfg['tuned']['max_heap_mib'])}, default "
        f"{fmt_mib(cfg['default']['max_heap_mib'])}. The pod's CPU limit itself (throttling) is not applied.",
        "blackbox_exporter: Go defaults, and `GOMAXPROCS=1`; driven through /probe like Prometheus, one new "
        "connection per probe.",
    ]
    return "\n".join(f"- {x}" for x in lines) + "\n"


def fmt_mib(v):
    return "?" if v is None else f"{v:.0f} MiB"


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
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / (1 << 30)
    return f"{os.cpu_count()} cores ({model}), {mem:.0f} GiB, {platform.system()} {platform.release()}"


# ---- main --------------------------------------------------------------------------------------------------

def run_phases(args, plan, configs, targets, res):
    reps = plan["reps"]
    tuned, default = configs["tuned"], configs["default"]
    blackboxes = {"blackbox": None, "blackbox-1": 1}
    jvms = {"tuned": tuned, "default": default}

    if "idle" in args.phases:
        archive = os.path.join(OUT, "app-cds.jsa")
        log("AppCDS archive: training run")
        create_cds_archive(tuned, targets.echo, archive)
        for rep in range(reps):
            for c in COLS:
                log(f"idle, 1 target, {c}: start to first attempt, warm-up, {plan['idle_window']} s (run {rep + 1})")
                if c in jvms:
                    r = run_probe(jvms[c], 1, targets.echo, targets.served, plan["idle_warm"], 60,
                                  plan["idle_window"], startup=True)
                else:
                    r = run_blackbox(c, blackboxes[c], 1, targets.echo, targets.served, plan["bb_warm"],
                                     plan["idle_window"], startup=True)
                res.setdefault("idle", {}).setdefault(c, []).append(r)
                log(f"  {brief(r)}")
            p = Probe(tuned, 1, targets.echo, "-cds", [f"-XX:SharedArchiveFile={archive}"])
            try:
                p.wait_up()
                res.setdefault("cds_startup", []).append(p.first_attempt())
            finally:
                p.close()

    n = plan["load_n"]
    if "load" in args.phases:
        for rep in range(reps):
            for c in COLS:
                log(f"{n:,} targets, {c}: warm-up, {plan['window']} s window (run {rep + 1})")
                if c in jvms:
                    r = run_probe(jvms[c], n, targets.echo, targets.served, plan["warm"], plan["warm_max"],
                                  plan["window"], burst=plan["burst"])
                else:
                    r = run_blackbox(c, blackboxes[c], n, targets.echo, targets.served, plan["bb_warm"],
                                     plan["window"])
                res.setdefault("load", {}).setdefault(c, []).append(r)
                log(f"  {brief(r)}")

    if "scale" in args.phases:
        points = [(k, str(k), targets.echo, targets.served) for k in plan["scale"]]
        points += [(k, f"{k}-hang", targets.hang, targets.hung) for k in plan["hang"]]
        for rep in range(reps):
            for k, key, port, attempts in points:
                log(f"{key} targets, tuned: warm-up, {plan['scale_window']} s window (run {rep + 1})")
                r = run_probe(tuned, k, port, attempts, plan["scale_warm"], plan["warm_max"], plan["scale_window"],
                              burst=plan["scale_burst"], tag="-hang" if "hang" in key else "")
                res.setdefault("scale", {}).setdefault(key, []).append(r)
                log(f"  {brief(r)}")

    if "pages" in args.phases:
        for rep in range(reps):
            for variant, path in PAGE_VARIANTS.items():
                log(f"{plan['pages_n']:,} targets, tuned, {PAGES} pages polling GET {path} (run {rep + 1})")
                r = run_probe(tuned, plan["pages_n"], targets.echo, targets.served, plan["scale_warm"],
                              plan["warm_max"], plan["pages_window"], page_path=path, tag=f"-{variant}")
                res.setdefault("pages", {}).setdefault(variant, []).append(r)
                log(f"  {brief(r)}")

    if "breakdown" in args.phases:
        log(f"breakdown at {plan['breakdown_n']:,} targets (class loading, NMT, heap histogram)")
        res["breakdown"] = breakdown(tuned, targets, plan["breakdown_n"], plan["breakdown_warm"])

    if "floor" in args.phases:
        floor(tuned, targets, plan, res)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="one repeat, short windows, only 5,000 targets for scale")
    ap.add_argument("--phases", default=",".join(PHASES),
                    help=f"comma-separated subset of {','.join(PHASES)} (default: all)")
    ap.add_argument("--reps", type=int, help="repeats per phase (full: 3, quick: 1)")
    ap.add_argument("--scale-points", help="scale points instead of the plan's, e.g. 5000,5000-hang")
    ap.add_argument("--tuned-opts", help="JVM options for the tuned column instead of Dockerfile.jvm's "
                                         "JDK_JAVA_OPTIONS (the pod's MaxRAM and processor count still apply)")
    ap.add_argument("--check", action="store_true", help="validate the arguments and the inputs, then exit")
    args = ap.parse_args()
    args.phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    unknown = [p for p in args.phases if p not in PHASES]
    if unknown:
        ap.error(f"unknown phase(s) {', '.join(unknown)}; choose from {', '.join(PHASES)}")
    plan = dict(PLANS["quick" if args.quick else "full"], load_n=1000)
    if args.reps is not None:
        if args.reps < 1:
            ap.error("--reps must be at least 1")
        plan["reps"] = args.reps
    if args.scale_points:
        points = [x.strip() for x in args.scale_points.split(",") if x.strip()]
        if not all(re.fullmatch(r"[1-9]\d*(-hang)?", x) for x in points):
            ap.error("--scale-points takes target counts, each optionally with -hang: 5000,5000-hang")
        plan["scale"] = [int(x) for x in points if not x.endswith("-hang")]
        plan["hang"] = [int(x[:-5]) for x in points if x.endswith("-hang")]
    configs, mem, cpu = jvm_configs(args.tuned_opts)
    if args.check:
        return
    os.makedirs(OUT, exist_ok=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(129))
    for cfg in configs.values():
        cfg.probe_heap()

    jdk = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    bb = (lambda o: o.stdout + o.stderr)(subprocess.run([BLACKBOX, "--version"], capture_output=True, text=True))
    t_start = time.time()
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"), "machine": machine(), "mode": "quick" if args.quick else "full",
        "jdk": jdk[1].strip() if len(jdk) > 1 else jdk[0], "blackbox": bb.split()[2] if len(bb.split()) > 2 else "?",
        "load_before": loadavg(), "plan": plan, "phases": args.phases,
        "pod_memory_limit_mib": mem / (1 << 20), "pod_cpu_limit": cpu,
        "configs": {k: {"opts": c.opts, "env": c.env, "max_heap_mib": c.max_heap_mib} for k, c in configs.items()},
        "titles": {"tuned": configs["tuned"].title, "default": "JVM defaults", "blackbox": "blackbox_exporter",
                   "blackbox-1": "blackbox_exporter GOMAXPROCS=1"},
    }
    log(f"plan: {meta['mode']}, phases {', '.join(args.phases)}, {plan['reps']} repeat(s); tuned max heap "
        f"{fmt_mib(configs['tuned'].max_heap_mib)}; load average {meta['load_before'][0]:.2f}")
    res = {}
    try:
        targets = Targets()
        log(f"echo target on 127.0.0.1:{targets.echo}, hanging target on 127.0.0.1:{targets.hang}")
        run_phases(args, plan, configs, targets, res)
    finally:
        cleanup()
        meta["load_after"] = loadavg()
        meta["duration_min"] = (time.time() - t_start) / 60
        with open(os.path.join(OUT, "results.json"), "w") as f:
            json.dump({"meta": meta, "results": res}, f, indent=1, default=str)
    md = report(res, meta)
    with open(os.path.join(OUT, "results.md"), "w") as f:
        f.write(md)
    print()
    print(md)
    log(f"{meta['duration_min']:.0f} minutes; written to target/bench/results.md (raw figures in results.json)")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        cleanup()
        sys.exit(130)
