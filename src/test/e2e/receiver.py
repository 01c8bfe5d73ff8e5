"""Webhook receiver for Alertmanager: appends every notification as one JSON line.

Each line: {"received": unix time, "receiver": last path segment (the receiver's name),
"status": group status, "alerts": [{"status", "labels", "startsAt", "endsAt"}]}.
Usage: receiver.py PORT LOGFILE  (binds 127.0.0.1 only)
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG = sys.argv[2]
MAX_BODY = 1 << 20


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0 or length > MAX_BODY:
            self.send_error(400, "expected a JSON body of at most 1 MiB")
            return
        try:
            body = json.loads(self.rfile.read(length))
        except ValueError:
            self.send_error(400, "not JSON")
            return
        entry = {
            "received": time.time(),
            "receiver": self.path.rstrip("/").rsplit("/", 1)[-1],
            "status": body.get("status"),
            "alerts": [{k: a.get(k) for k in ("status", "labels", "startsAt", "endsAt")}
                       for a in body.get("alerts", [])],
        }
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, sort_keys=True) + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, fmt, *args):  # the JSON lines are the log
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
