"""A read-only stand-in for the Kubernetes API, enough for the probe's informers (stdlib only).

Serves the objects of a JSON file (a list of objects as kubectl would print them): get by name, list (with
fieldSelector metadata.name=... and labelSelector k=v,... equality terms), and watch. When the file changes (the
harness adds objects), the new version is served and every open watch sends the ADDED or MODIFIED events since
its resourceVersion, as an HTTP stream of JSON lines. A WebSocket upgrade (the client's first try) is answered
200 without upgrading, which makes the client fall back to an HTTP watch. API discovery answers for
security.istio.io/v1 (peerauthentications). Every request is logged, one line each.

Usage: kubeapi.py PORT OBJECTS.json  (binds 127.0.0.1 only)
"""
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FILE = sys.argv[2]
LOCK = threading.Lock()
STATE = {"version": 0, "mtime": None, "objects": {}}  # objects: key -> object (its resourceVersion set)
EVENTS = []  # (version, type, object), in order


def key(o):
    return (o["kind"], o["metadata"].get("namespace"), o["metadata"]["name"])


def reload():
    """Serves the file's objects as a new version when it changed; records an event per new or changed object."""
    mtime = os.stat(FILE).st_mtime_ns
    if mtime == STATE["mtime"]:
        return
    with open(FILE, encoding="utf-8") as f:
        loaded = json.load(f)
    with LOCK:
        STATE["mtime"] = mtime
        STATE["version"] += 1
        version = STATE["version"]
        for o in loaded:
            meta = o.setdefault("metadata", {})
            meta.setdefault("uid", "e2e-" + "-".join(str(k) for k in key(o)))
            meta.setdefault("creationTimestamp", "2026-01-01T00:00:00Z")
            old = STATE["objects"].get(key(o))
            if old is not None and {**old, "metadata": {**old["metadata"], "resourceVersion": None}} == \
                    {**o, "metadata": {**meta, "resourceVersion": None}}:
                continue
            meta["resourceVersion"] = str(version)
            STATE["objects"][key(o)] = o
            EVENTS.append((version, "ADDED" if old is None else "MODIFIED", o))


def watch_files():
    while True:
        time.sleep(0.5)
        try:
            reload()
        except (OSError, ValueError) as e:  # a file being written: the next look reads it whole
            sys.stderr.write("objects file not read: %s\n" % e)

# (group/version prefix, plural) -> kind
KINDS = {"namespaces": "Namespace", "services": "Service", "pods": "Pod", "endpointslices": "EndpointSlice",
         "peerauthentications": "PeerAuthentication"}
DISCOVERY = {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "security.istio.io/v1",
             "resources": [{"name": "peerauthentications", "singularName": "peerauthentication", "namespaced": True,
                            "kind": "PeerAuthentication", "verbs": ["get", "list", "watch"]}]}


def selected(obj, query):
    meta = obj["metadata"]
    for term in filter(None, query.get("fieldSelector", [""])[0].split(",")):
        key, _, value = term.partition("=")
        if key == "metadata.name" and meta.get("name") != value.lstrip("="):
            return False
    labels = meta.get("labels") or {}
    for term in filter(None, query.get("labelSelector", [""])[0].split(",")):
        key, _, value = term.partition("=")
        if labels.get(key) != value.lstrip("="):
            return False
    return True


def route(path):
    """(kind, namespace or None, name or None) for a resource path, else None."""
    parts = [p for p in path.split("/") if p]
    if parts[:2] == ["api", "v1"]:
        rest = parts[2:]
    elif len(parts) >= 3 and parts[0] == "apis":
        rest = parts[3:]
    else:
        return None
    ns = None
    if len(rest) >= 2 and rest[0] == "namespaces" and len(rest) != 2:
        ns, rest = rest[1], rest[2:]
    if not rest or rest[0] not in KINDS or len(rest) > 2:
        return None
    return KINDS[rest[0]], ns, rest[1] if len(rest) == 2 else None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def send_json(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path.rstrip("/") == "/apis/security.istio.io/v1":
            return self.send_json(200, DISCOVERY)
        r = route(url.path)
        if r is None:
            return self.send_json(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 404,
                                        "reason": "NotFound", "message": "no such resource: " + url.path})
        kind, ns, name = r

        def wanted(o):
            return o["kind"] == kind and (ns is None or o["metadata"].get("namespace") == ns) \
                and (name is None or o["metadata"]["name"] == name) and selected(o, query)
        with LOCK:
            items = [o for o in STATE["objects"].values() if wanted(o)]
            version = STATE["version"]
        if name is not None:
            if not items:
                return self.send_json(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 404,
                                            "reason": "NotFound", "message": kind + " " + name + " not found"})
            return self.send_json(200, items[0])
        if query.get("watch", ["false"])[0] != "true":
            return self.send_json(200, {"kind": kind + "List", "apiVersion": "v1",
                                        "metadata": {"resourceVersion": str(version)}, "items": items})
        if self.headers.get("Upgrade", "").lower() == "websocket":
            return self.send_json(200, {})  # no upgrade: the client falls back to an HTTP watch
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        seen = int(query.get("resourceVersion", ["0"])[0] or 0)
        deadline = time.time() + min(int(query.get("timeoutSeconds", ["300"])[0]), 300)
        while time.time() < deadline:
            with LOCK:
                events = [(v, t, o) for v, t, o in EVENTS if v > seen and wanted(o)]
                seen = max([seen] + [v for v, _, _ in events])
            for _, t, o in events:
                line = json.dumps({"type": t, "object": o}).encode() + b"\n"
                self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
            self.wfile.flush()
            time.sleep(0.5)
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (time.strftime("%H:%M:%S"), fmt % args))


if __name__ == "__main__":
    reload()
    threading.Thread(target=watch_files, daemon=True).start()
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
