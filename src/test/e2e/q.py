"""Small read-only queries for the harness (stdlib only; run inside the monitoring namespace).

  q.py value EXPR                  first sample's value of a Prometheus instant query, or "none"
  q.py label EXPR LABEL            that label of every sample, sorted, comma-separated ("" if none)
  q.py scrape URL NAME k=v...      a metric's value from a /q/metrics page, matched on the given labels
  q.py notified LOG ALERT STATUS SINCE [receiver=NAME] [LABEL=VALUE...]
                                   unix time the first notification holding ALERT with STATUS
                                   (firing|resolved) and those labels arrived after SINCE, exit 1 if none
  q.py http URL                    exit 0 when URL answers 200
  q.py xfcc URL                    GET URL (an httpbin /headers) with a forged X-Forwarded-Client-Cert;
                                   prints the XFCC httpbin saw, or "none"
  q.py port HOST PORT              exit 0 when a TCP connection to HOST:PORT opens
  q.py alerts LOG SINCE            every notification after SINCE as receiver:alertname:status, sorted
"""
import json
import os
import re
import socket
import sys
import urllib.parse
import urllib.request

PROM = os.environ.get("PROM_URL", "http://127.0.0.1:9090")
# Never a proxy from the environment: traffic stays inside the harness's namespaces.
OPEN = urllib.request.build_opener(urllib.request.ProxyHandler({})).open


def query(expr):
    url = PROM + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with OPEN(url, timeout=3) as r:
        body = json.load(r)
    if body.get("status") != "success":
        raise SystemExit("query failed: " + expr)
    return body["data"]["result"]


def fmt(v):
    f = float(v)
    return str(int(f)) if f.is_integer() else str(f)


def scrape(url, name, want):
    with OPEN(url, timeout=3) as r:
        text = r.read().decode()
    for line in text.splitlines():
        m = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)", line)
        if not m or m.group(1) != name:
            continue
        labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
        if all(labels.get(k) == v for k, v in want.items()):
            return fmt(m.group(4))
    return "none"


def notifications(log, since):
    if not os.path.exists(log):
        return
    with open(log, encoding="utf-8") as f:
        for line in f:
            n = json.loads(line)
            if n["received"] > since:
                yield n


def main(args):
    cmd = args[0]
    if cmd == "value":
        result = query(args[1])
        print(fmt(result[0]["value"][1]) if result else "none")
    elif cmd == "label":
        print(",".join(sorted(s["metric"].get(args[2], "") for s in query(args[1]))))
    elif cmd == "scrape":
        print(scrape(args[1], args[2], dict(a.split("=", 1) for a in args[3:])))
    elif cmd == "notified":
        log, alert, status, since = args[1], args[2], args[3], float(args[4])
        want = dict(a.split("=", 1) for a in args[5:])
        receiver = want.pop("receiver", None)
        for n in notifications(log, since):
            if receiver and n["receiver"] != receiver:
                continue
            if any(a["labels"].get("alertname") == alert and a["status"] == status
                   and all(a["labels"].get(k) == v for k, v in want.items()) for a in n["alerts"]):
                print("%.3f" % n["received"])
                return 0
        return 1
    elif cmd == "http":
        with OPEN(args[1], timeout=2) as r:
            return 0 if r.status == 200 else 1
    elif cmd == "xfcc":
        forged = "By=spiffe://forged/by;URI=spiffe://forged/client"
        req = urllib.request.Request(args[1], headers={"X-Forwarded-Client-Cert": forged})
        with OPEN(req, timeout=3) as r:
            headers = {k.lower(): v for k, v in json.load(r)["headers"].items()}
        print(headers.get("x-forwarded-client-cert", "none"))
    elif cmd == "port":
        socket.create_connection((args[1], int(args[2])), timeout=2).close()
    elif cmd == "alerts":
        seen = {"%s:%s:%s" % (n["receiver"], a["labels"].get("alertname"), a["status"])
                for n in notifications(args[1], float(args[2])) for a in n["alerts"]}
        print(" ".join(sorted(seen)))
    else:
        raise SystemExit("unknown command " + cmd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
