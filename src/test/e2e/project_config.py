"""Turns the project's monitoring files into what the harness's Prometheus and Alertmanager load.

  project_config.py rules PROMETHEUSRULE OUT INTERVAL
      spec.groups of a PrometheusRule as a plain Prometheus rule file; a group's evaluation `interval`
      becomes INTERVAL. Expressions, `for` durations, labels and annotations are kept as they are.
  project_config.py alertmanager IN OUT BASE_URL GROUP_WAIT GROUP_INTERVAL
      the example routing unchanged, except its grouping timers (short, for the harness) and every
      webhook URL, which becomes BASE_URL/<receiver name> (the harness's receiver). A receiver of any
      other kind would send outside the harness's namespaces: that is an error.

Line-based on purpose (stdlib only, no YAML library on a fresh machine); both outputs are then checked
by promtool and amtool.
"""
import re
import sys

OTHER_RECEIVERS = re.compile(r"^\s*-?\s*(\w+_configs):")


def rules(src, out, interval):
    lines = open(src, encoding="utf-8").read().splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.rstrip() == "spec:")
    except StopIteration:
        raise SystemExit(f"{src}: no top-level 'spec:'; expected a PrometheusRule")
    body = []
    for line in lines[start + 1:]:
        if line.strip() and not line[0].isspace():
            break  # the next top-level key or document
        body.append(line)
    indent = min(len(l) - len(l.lstrip()) for l in body if l.strip())
    text = "\n".join(l[indent:] for l in body) + "\n"
    if not text.startswith("groups:"):
        raise SystemExit(f"{src}: spec holds no 'groups:'")
    text = re.sub(r"(?m)^(\s*(?:- )?interval:\s*).*$", lambda m: m.group(1) + interval, text)
    open(out, "w", encoding="utf-8").write(text)


def alertmanager(src, out, base, group_wait, group_interval):
    result, receiver, in_receivers = [], None, False
    for line in open(src, encoding="utf-8").read().splitlines():
        if re.match(r"^\S", line):
            in_receivers = line.startswith("receivers:")
        m = re.match(r"^(\s*)(group_wait|group_interval):", line)
        if m:
            line = f"{m.group(1)}{m.group(2)}: {group_wait if m.group(2) == 'group_wait' else group_interval}"
        if in_receivers:
            m = re.match(r"^\s*-\s*name:\s*['\"]?([^'\"#]+?)['\"]?\s*(#.*)?$", line)
            if m:
                receiver = m.group(1)
            kind = OTHER_RECEIVERS.match(line)
            if kind and kind.group(1) != "webhook_configs":
                raise SystemExit(f"{src}: receiver {receiver} uses {kind.group(1)}, which would send outside "
                                 "the test; the harness can only deliver webhook_configs")
            m = re.match(r"^(\s*-?\s*)url(_file)?:", line)
            if m:
                line = f"{m.group(1)}url: '{base}/{receiver}'"
        result.append(line)
    set_root_timers(result, group_wait, group_interval)
    open(out, "w", encoding="utf-8").write("\n".join(result) + "\n")


def set_root_timers(lines, group_wait, group_interval):
    """Alertmanager's defaults (30s, 5m) apply when the root route names no timers: add them."""
    start = next((i for i, l in enumerate(lines) if l.rstrip() == "route:"), None)
    if start is None:
        raise SystemExit("alertmanager config without a top-level 'route:'")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() and not lines[i][0].isspace()),
               len(lines))
    child = [l for l in lines[start + 1:end] if l.strip() and not l.lstrip().startswith("#")]
    indent = " " * (len(child[0]) - len(child[0].lstrip()))
    keys = {l.strip().split(":")[0] for l in child if l.startswith(indent) and not l[len(indent)].isspace()}
    for key, value in (("group_interval", group_interval), ("group_wait", group_wait)):
        if key not in keys:
            lines.insert(start + 1, f"{indent}{key}: {value}")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"rules": rules, "alertmanager": alertmanager}[cmd](*args)
