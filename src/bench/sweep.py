#!/usr/bin/python3
"""What the coverage sweep costs: checks per second, CPU per 1,000 checks, memory per 1,000 service ports.

Usage: /usr/bin/python3 src/bench/sweep.py [--ports N] [--seconds S]
Needs the packaged jar (./mvnw -B package -DskipTests). Everything runs on 127.0.0.1:

  - the stand-in Kubernetes API of the end-to-end test (src/test/e2e/kubeapi.py), serving one STRICT namespace
    of N (then 2N) Services, each with one TCP port, one ready endpoint in an EndpointSlice and its pod (with a
    sidecar): the sweep's informers cache all of them;
  - one loopback server that resets every connection at once, as a STRICT sidecar does, behind every endpoint;
  - the jar as a naked probe (the JVM flags of Dockerfile.jvm, MaxRAM standing in for the pod's 192 MiB limit)
    with one target and the sweep of that namespace: interval 10 s, rate limit 100 checks/s, concurrency 4.

Three runs, a fresh process each: Kubernetes on and the sweep off; the sweep of N service ports; of 2N. Each
is measured over S seconds after a warm-up of one sweep round.

  checks/s          increase of mtls_probe_sweep_attempts_total over the window, per second
  CPU / 1,000       utime + stime of the process (/proc/PID/stat) over the window, per 1,000 checks
  RSS               VmRSS (/proc/PID/status), median of the window's last five one-second samples
  heap              heap in use after a full collection at the end of the window (jcmd GC.run, GC.heap_info):
                    what the sweep keeps (informer caches of Services, EndpointSlices and pods, plan, results);
                    RSS alone hides it, since the JVM keeps its committed heap
  per 1,000 ports   (heap(2N) - heap(N)) / N * 1,000: what each further 1,000 service ports keep; the first N
                    also pay the sweep's fixed part (threads, informers, classes), in RSS(N) - RSS(off)

Every process started here is stopped by its PID when the run ends, however it ends.
"""
import argparse
import json
import os
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JAR = os.path.join(ROOT, "target", "quarkus-app", "quarkus-run.jar")
KUBEAPI = os.path.join(ROOT, "src", "test", "e2e", "kubeapi.py")
CLK_TCK = os.sysconf("SC_CLK_TCK")
# Dockerfile.jvm's JDK_JAVA_OPTIONS, with MaxRAM for the container limit of k8s/base.
JVM = ["-XX:MaxRAM=192m", "-XX:MaxRAMPercentage=25", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30",
       "-XX:+UseSerialGC", "-Xss256k", "-XX:MaxMetaspaceSize=80m", "-XX:ReservedCodeCacheSize=24m",
       "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError",
       "-Djava.util.logging.manager=org.jboss.logmanager.LogManager"]
OPEN = urllib.request.build_opener(urllib.request.ProxyHandler({})).open
RATE = 100


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def reset_server():
    """A listener that resets every connection at once (SO_LINGER 0), in a thread; returns its port."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(512)

    def loop():
        while True:
            c, _ = srv.accept()
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            c.close()
    threading.Thread(target=loop, daemon=True).start()
    return srv.getsockname()[1]


def objects(n, port):
    out = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}} for ns in ("probes", "istio-system")]
    out.append({"apiVersion": "v1", "kind": "Namespace",
                "metadata": {"name": "bench", "labels": {"istio-injection": "enabled"}}})
    out.append({"apiVersion": "security.istio.io/v1", "kind": "PeerAuthentication",
                "metadata": {"name": "default", "namespace": "bench"}, "spec": {"mtls": {"mode": "STRICT"}}})
    for i in range(n):
        name = "svc-%05d" % i
        out.append({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "bench"},
                    "spec": {"selector": {"app": name}, "ports": [{"name": "http", "port": 80, "targetPort": port}]}})
        out.append({"apiVersion": "v1", "kind": "Pod", "metadata": {
            "name": name + "-1", "namespace": "bench", "labels": {"app": name},
            "annotations": {"sidecar.istio.io/status": "{}"}},
            "spec": {"containers": [{"name": "app", "image": "app", "ports": [{"containerPort": port}]},
                                    {"name": "istio-proxy", "image": "proxyv2"}]}})
        out.append({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": {
            "name": name + "-x", "namespace": "bench", "labels": {"kubernetes.io/service-name": name}},
            "addressType": "IPv4", "ports": [{"name": "http", "port": port, "protocol": "TCP"}],
            "endpoints": [{"addresses": ["127.0.0.1"], "conditions": {"ready": True},
                           "targetRef": {"kind": "Pod", "name": name + "-1", "namespace": "bench"}}]})
    return out


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def heap_mib(pid):
    """Heap in use after a full collection (serial collector: young plus tenured)."""
    subprocess.run(["jcmd", str(pid), "GC.run"], check=True, capture_output=True, timeout=30)
    info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], check=True, capture_output=True, text=True,
                          timeout=30).stdout
    used = 0
    for line in info.splitlines():
        words = line.split()
        if "used" in words and ("generation" in words or "space" in words[:1]):
            used += int(words[words.index("used") + 1].rstrip("K,"))
    return used / 1024


def checks(management):
    total = 0.0
    with OPEN("http://127.0.0.1:%d/q/metrics" % management, timeout=10) as r:
        for line in r.read().decode().splitlines():
            if line.startswith("mtls_probe_sweep_attempts_total{"):
                total += float(line.rsplit(" ", 1)[1])
    return total


def stop(p):
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def serve(objects_file, n, target):
    """The API serves exactly n Services (and their pods and slices) from now on: it reloads the file on change."""
    with open(objects_file + ".new", "w") as f:
        json.dump(objects(n, target), f)
    os.replace(objects_file + ".new", objects_file)
    time.sleep(1.5)


def run(label, api, target, ports, seconds, work):
    http, management = free_port(), free_port()
    env = {"PATH": "/usr/bin:/bin", "HOME": work, "MTLS_PROBE_ROLE": "naked",
           "MTLS_PROBE_TARGETS_HTTPBIN_URL": "http://127.0.0.1:%d/headers" % target,
           "MTLS_PROBE_PODINFO_ANNOTATIONS": os.path.join(work, "none"),
           "MTLS_PROBE_PODINFO_LABELS": os.path.join(work, "none"),
           "KUBERNETES_MASTER": "http://127.0.0.1:%d" % api, "KUBERNETES_AUTH_TRYKUBECONFIG": "false",
           "KUBERNETES_AUTH_TRYSERVICEACCOUNT": "false", "POD_NAMESPACE": "probes",
           "QUARKUS_HTTP_HOST": "127.0.0.1", "QUARKUS_MANAGEMENT_HOST": "127.0.0.1",
           "QUARKUS_HTTP_PORT": str(http), "QUARKUS_MANAGEMENT_PORT": str(management)}
    if ports:
        env.update({"MTLS_PROBE_SWEEP_NAMESPACES": "bench", "MTLS_PROBE_SWEEP_INTERVAL": "10s",
                    "MTLS_PROBE_SWEEP_RATE": str(RATE), "MTLS_PROBE_SWEEP_CONCURRENCY": "4",
                    "MTLS_PROBE_SWEEP_MAX_SERVICE_PORTS": str(ports)})
    log = open(os.path.join(work, label + ".log"), "w")
    p = subprocess.Popen(["java"] + JVM + ["-jar", JAR], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while True:
            try:
                checks(management)
                break
            except OSError:
                if time.time() > deadline or p.poll() is not None:
                    raise SystemExit("%s: the probe did not start; see %s" % (label, log.name))
                time.sleep(0.5)
        warm = ports / RATE + 10 if ports else 20  # one whole round at the rate limit, then settle
        time.sleep(warm)
        c0, cpu0, t0 = checks(management), cpu_seconds(p.pid), time.time()
        samples = []
        while time.time() - t0 < seconds:
            time.sleep(1)
            samples.append(rss_mib(p.pid))
        c1, cpu1, t1 = checks(management), cpu_seconds(p.pid), time.time()
        heap = heap_mib(p.pid)
        done = c1 - c0
        return {"label": label, "ports": ports, "checks_per_s": done / (t1 - t0),
                "cpu_per_1000": (cpu1 - cpu0) / done * 1000 if done else None,
                "millicores": (cpu1 - cpu0) / (t1 - t0) * 1000, "rss": statistics.median(samples[-5:]),
                "heap": heap}
    finally:
        stop(p)
        log.close()


def main():
    a = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    a.add_argument("--ports", type=int, default=1000)
    a.add_argument("--seconds", type=int, default=60)
    args = a.parse_args()
    if not os.path.exists(JAR):
        raise SystemExit("no packaged jar: ./mvnw -B package -DskipTests")
    work = tempfile.mkdtemp(prefix="mtls-probe-sweep-bench-")
    target = reset_server()
    objects_file = os.path.join(work, "objects.json")
    with open(objects_file, "w") as f:
        json.dump(objects(args.ports, target), f)
    api = free_port()
    kube = subprocess.Popen(["/usr/bin/python3", KUBEAPI, str(api), objects_file],
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "kubeapi.log"), "w"))
    try:
        time.sleep(1)
        results = [run("off", api, target, 0, args.seconds, work),
                   run("sweep-%d" % args.ports, api, target, args.ports, args.seconds, work)]
        serve(objects_file, 2 * args.ports, target)
        results.append(run("sweep-%d" % (2 * args.ports), api, target, 2 * args.ports, args.seconds, work))
    finally:
        stop(kube)
    print("| run | service ports | checks/s | CPU s / 1,000 checks | millicores | RSS MiB | heap MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print("| %s | %d | %.1f | %s | %.0f | %.1f | %.1f |" % (r["label"], r["ports"], r["checks_per_s"],
              "%.3f" % r["cpu_per_1000"] if r["cpu_per_1000"] else "-", r["millicores"], r["rss"], r["heap"]))
    off, one, two = results
    print("heap per further 1,000 service ports: %.1f MiB; RSS of the sweep's first %d ports, fixed part "
          "included: %.1f MiB" % ((two["heap"] - one["heap"]) / args.ports * 1000, args.ports,
                                   one["rss"] - off["rss"]))
    print("CPU at the default rate (5 checks/s): %.1f millicores" % (5 * one["cpu_per_1000"]))
    print("logs:", work)


if __name__ == "__main__":
    sys.exit(main())
