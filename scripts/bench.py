"""Measures kubectl-numa against kubectl and curl on one control plane (see bench.sh).

For each size it creates one more pipeline of N vertices x 20 pods, waits for it to
roll out, then measures `rollout status --watch=false`, `rollout list -A` and
`rollout history` next to `kubectl get ... -o json` and curl making the plugin's own
requests. Wall time is the median of RUNS runs; peak memory is the largest max-RSS of
those runs (from GNU time); requests are counted from the API server's audit log. Every
measured client runs as the `viewer` user, so the controllers' requests and the
benchmark's own set-up (as `admin`) are not counted.

Then the reaction latency of `rollout status --watch`: a MonoVertex that Numaflow's
controller ignores (another controller instance in its numaflow.numaproj.io/instance
annotation) with 50 pods that no scheduler or kubelet touches (schedulerName of a
scheduler that does not run) and that the benchmark itself turns Ready one at a time; each latency runs from just before the status
PATCH is sent to the moment the plugin's line about it arrives on its stdout pipe.
"""

import http.client
import json
import os
import re
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import queue
import time
import urllib.parse

RUNS = 7
PODS_PER_VERTEX = 20
LATENCY_EVENTS = 50
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGIN = os.path.join(ROOT, "target/release/kubectl-numa")
TESTENV = os.path.join(ROOT, "target/release/numa-testenv")
NS = "default"
GROUP = "/apis/numaflow.numaproj.io/v1alpha1"
UNMANAGED_INSTANCE = {"numaflow.numaproj.io/instance": "testenv-unmanaged"}
UNMANAGED_SCHEDULER = "testenv-unmanaged"
POD_SELECTOR = "app.kubernetes.io/component in (vertex,mono-vertex)"


def timed(argv, env=None):
    """Runs argv under GNU time; returns (seconds, max RSS in MiB, exit code).

    Not wait4 on a child of this process: a forked child's max RSS starts at the size
    of the Python that forked it (about 21 MiB), which hid every smaller figure. GNU
    time's own child starts from time's size, about 2 MiB.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, *argv],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        took = time.perf_counter() - start
        kib = int(rss.read().strip().splitlines()[-1])
    return took, kib / 1024, proc.returncode


def measure(name, argv_list, audit, env=None):
    """Runs the commands of argv_list in sequence, RUNS times."""
    times, rss, requests = [], 0.0, []
    for _ in range(RUNS):
        before = audit_count(audit)
        total = 0.0
        for argv in argv_list:
            took, mem, code = timed(argv, env)
            if code not in (0, 6):
                sys.exit(f"bench: {name} exited {code}: {argv}")
            total += took
            rss = max(rss, mem)
        times.append(total)
        time.sleep(0.3)  # let the audit log catch up
        requests.append(audit_count(audit) - before)
    return {"name": name, "ms": statistics.median(times) * 1000, "rss": rss, "requests": max(requests)}


def audit_count(path):
    """Completed requests of the viewer user so far."""
    n = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if '"stage":"ResponseComplete"' in line and '"username":"viewer"' in line:
                n += 1
    return n


def kubeconfig_facts(path):
    """Server, CA file and the tokens of the admin and viewer users."""
    text = open(path, encoding="utf-8").read()
    ca = re.search(r"certificate-authority: (\S+)", text).group(1)
    server = re.search(r"server: (\S+)", text).group(1)
    token = {u: re.search(rf"- name: {u}\n  user:\n    token: (\S+)", text).group(1) for u in ("admin", "viewer")}
    return server, ca, token


class Api:
    """A keep-alive HTTPS connection to the API server as admin, for set-up writes."""

    def __init__(self, server, ca, token):
        url = urllib.parse.urlparse(server)
        self.conn = http.client.HTTPSConnection(url.hostname, url.port,
                                                context=ssl.create_default_context(cafile=ca))
        self.auth = f"Bearer {token}"

    def call(self, method, path, body=None, content_type="application/json"):
        headers = {"Authorization": self.auth, "Content-Type": content_type, "Accept": "application/json"}
        self.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        res = self.conn.getresponse()
        data = res.read()
        if res.status >= 300:
            sys.exit(f"bench: {method} {path}: {res.status} {data[:300]!r}")
        return json.loads(data)

    def merge_patch(self, path, body):
        return self.call("PATCH", path, body, "application/merge-patch+json")


def pipeline(name, vertices):
    """A valid pipeline of `vertices` (at least 2): a generator source, udfs, a log sink,
    chained; replicas pinned with scale.min == scale.max (a vertex definition has no
    replicas field)."""
    scale = {"min": PODS_PER_VERTEX, "max": PODS_PER_VERTEX}

    def vertex(i):
        kind = ({"source": {"generator": {"rpu": 1}}} if i == 0 else
                {"sink": {"log": {}}} if i == vertices - 1 else
                {"udf": {"container": {"image": "example/bench:v1"}}})
        return {"name": f"v{i}", "scale": scale, **kind}

    return {
        "apiVersion": "numaflow.numaproj.io/v1alpha1",
        "kind": "Pipeline",
        "metadata": {"name": name, "namespace": NS},
        "spec": {"vertices": [vertex(i) for i in range(vertices)],
                 "edges": [{"from": f"v{i}", "to": f"v{i + 1}"} for i in range(vertices - 1)]},
    }


def command_rows(name, server, ca, token, audit, kenv):
    """The three commands with their kubectl and curl counterparts, each a group of
    (plugin, kubectl, curl) measurements."""
    sel = f"numaflow.numaproj.io/pipeline-name={name}"
    curl = ["curl", "-sS", "-o", "/dev/null", "--cacert", ca, "-H", f"Authorization: Bearer {token['viewer']}"]
    base = f"{server}{GROUP}/namespaces/{NS}"
    viewer = [PLUGIN, "--context", "viewer"]
    kubectl = ["kubectl", "--context", "viewer"]
    pods_sel = urllib.parse.quote(POD_SELECTOR)
    return {
        "status": [
            measure("kubectl numa rollout status --watch=false",
                    [viewer + ["rollout", "status", f"pipeline/{name}", "--watch=false"]], audit, kenv),
            measure("kubectl get vertices,pods -l ... -o json",
                    [kubectl + ["get", "vertices,pods", "-l", sel, "-o", "json"]], audit, kenv),
            measure("curl: GET pipeline, LIST vertices, LIST pods",
                    [curl + [f"{base}/pipelines/{name}"],
                     curl + [f"{base}/vertices?labelSelector={sel}"],
                     curl + [f"{server}/api/v1/namespaces/{NS}/pods?labelSelector={sel}"]], audit, kenv),
        ],
        "list": [
            measure("kubectl numa rollout list -A", [viewer + ["rollout", "list", "-A"]], audit, kenv),
            measure("kubectl get pl,vtx,mvtx + pods -A -o json",
                    [kubectl + ["get", "pipelines,vertices,monovertices", "-A", "-o", "json"],
                     kubectl + ["get", "pods", "-A", "-l", POD_SELECTOR, "-o", "json"]], audit, kenv),
            measure("curl: LIST pl, vtx, mvtx, pods (all ns)",
                    [curl + [f"{server}{GROUP}/pipelines"], curl + [f"{server}{GROUP}/vertices"],
                     curl + [f"{server}{GROUP}/monovertices"],
                     curl + [f"{server}/api/v1/pods?labelSelector={pods_sel}"]], audit, kenv),
        ],
        "history": [
            measure("kubectl numa rollout history", [viewer + ["rollout", "history", f"pipeline/{name}"]],
                    audit, kenv),
            measure("kubectl get pipeline NAME -o json",
                    [kubectl + ["get", "pipeline", name, "-o", "json"]], audit, kenv),
            measure("curl: GET pipeline", [curl + [f"{base}/pipelines/{name}"]], audit, kenv),
        ],
    }


def reaction_latency(api, kenv):
    """Median, p95 and max milliseconds from a pod's Ready PATCH to the plugin's line."""
    name = "latency"
    labels = {"numaflow.numaproj.io/mono-vertex-name": name, "app.kubernetes.io/component": "mono-vertex"}
    api.call("POST", f"{GROUP}/namespaces/{NS}/monovertices", {
        "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "MonoVertex",
        "metadata": {"name": name, "labels": labels, "annotations": UNMANAGED_INSTANCE},
        "spec": {"replicas": LATENCY_EVENTS, "source": {"udsource": {"container": {"image": "example/src:v1"}}},
                 "sink": {"udsink": {"container": {"image": "example/sink:v1"}}}},
    })
    n = LATENCY_EVENTS
    api.merge_patch(f"{GROUP}/namespaces/{NS}/monovertices/{name}/status", {"status": {
        "phase": "Running", "observedGeneration": 1, "desiredReplicas": n, "replicas": n,
        "updatedReplicas": n, "updatedReadyReplicas": n, "readyReplicas": n,
        "currentHash": "h1", "updateHash": "h1"}})
    for i in range(n):
        api.call("POST", f"/api/v1/namespaces/{NS}/pods", {
            "metadata": {"name": f"{name}-{i}", "labels": labels,
                         "annotations": {"numaflow.numaproj.io/hash": "h1", "numaflow.numaproj.io/replica": str(i)}},
            "spec": {"schedulerName": UNMANAGED_SCHEDULER,
                     "containers": [{"name": "numa", "image": "example/sink:v1"}]},
        })
    proc = subprocess.Popen([PLUGIN, "--context", "viewer", "rollout", "status", f"mvtx/{name}", "--timeout", "5m"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=kenv, text=True, bufsize=1)
    lines = queue.Queue()

    def read():
        for line in proc.stdout:
            lines.put((time.perf_counter(), line.rstrip("\n")))
        lines.put((time.perf_counter(), None))

    threading.Thread(target=read, daemon=True).start()
    first = lines.get(timeout=30)[1]
    if first is None or f"0 of {n} updated replicas are ready" not in first:
        sys.exit(f"bench: unexpected first status line: {first!r}")
    ready = {"status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}}
    latencies = []
    for i in range(n):
        time.sleep(0.05)
        sent = time.perf_counter()
        api.merge_patch(f"/api/v1/namespaces/{NS}/pods/{name}-{i}/status", ready)
        arrived, line = lines.get(timeout=30)
        want = "successfully rolled out" if i == n - 1 else f"{i + 1} of {n} updated replicas are ready"
        if line is None or want not in line:
            sys.exit(f"bench: after pod {i} turned Ready the plugin printed {line!r}, not {want!r}")
        latencies.append((arrived - sent) * 1000)
    code = proc.wait(timeout=30)
    if code != 0:
        sys.exit(f"bench: status --watch exited {code}: {proc.stderr.read()}")
    latencies.sort()
    p95 = latencies[max(0, int(round(0.95 * len(latencies))) - 1)]
    return statistics.median(latencies), p95, latencies[-1]


def main():
    sizes = [max(2, int(s)) for s in " ".join(sys.argv[1:]).split()] or [2, 10, 100]
    work = tempfile.mkdtemp(prefix="numa-bench-")
    kubeconfig = os.path.join(work, "kubeconfig")
    audit = os.path.join(work, "audit.log")
    env = dict(os.environ, NUMA_TESTENV_AUDIT_LOG=audit)
    log = open(os.path.join(work, "testenv.log"), "w", encoding="utf-8")
    world = subprocess.Popen([TESTENV, "start", "--kubeconfig-out", kubeconfig, "--namespace", NS],
                             stdout=log, stderr=log, env=env)
    try:
        for _ in range(600):
            if os.path.exists(kubeconfig) and os.path.exists(audit):
                break
            if world.poll() is not None:
                sys.exit("bench: numa-testenv failed; see " + log.name)
            time.sleep(0.1)
        kenv = dict(os.environ, KUBECONFIG=kubeconfig)
        server, ca, token = kubeconfig_facts(kubeconfig)
        print(f"bench: machine: {os.cpu_count()} cores, {os.uname().machine}, Linux {os.uname().release}; "
              f"runs per figure: {RUNS}")
        header = (f"{'vertices':>8} {'pods':>5}  {'command':<44} {'median ms':>9} {'x kubectl':>9} {'x curl':>7} "
                  f"{'peak MiB':>8} {'requests':>8}")
        results = []  # (size, pods in the cluster, command, rows)
        cluster_pods = 0
        for n in sizes:
            name = f"bench-{n}"
            started = time.perf_counter()
            subprocess.run(["kubectl", "apply", "-f", "-"], input=json.dumps(pipeline(name, n)).encode(),
                           env=kenv, check=True, stdout=subprocess.DEVNULL)
            # As admin: waits for the rollout and records revision 1 for `history`.
            subprocess.run([PLUGIN, "rollout", "status", f"pipeline/{name}", "--timeout", "15m"], env=kenv,
                           check=True, stdout=subprocess.DEVNULL)
            cluster_pods += n * PODS_PER_VERTEX
            print(f"bench: {name}: {n * PODS_PER_VERTEX} pods ready in {time.perf_counter() - started:.1f}s")
            for command, rows in command_rows(name, server, ca, token, audit, kenv).items():
                results.append((n, cluster_pods if command == "list" else n * PODS_PER_VERTEX, command, rows))
        print("bench: reaction latency...")
        api = Api(server, ca, token["admin"])
        lat_median, lat_p95, lat_max = reaction_latency(api, kenv)

        print()
        print(header)
        print("-" * len(header))
        for command in ("status", "list", "history"):
            for n, pods, c, rows in results:
                if c != command:
                    continue
                plugin, kubectl, raw = rows
                for r in rows:
                    print(f"{n:>8} {pods:>5}  {r['name']:<44} {r['ms']:>9.1f} "
                          f"{r['ms'] / kubectl['ms']:>8.2f}x {r['ms'] / raw['ms']:>6.2f}x {r['rss']:>8.1f} "
                          f"{r['requests']:>8}")
            print()
        print(f"rollout status --watch reaction latency over {LATENCY_EVENTS} pods turning Ready "
              f"(PATCH sent -> line printed): median {lat_median:.1f} ms, p95 {lat_p95:.1f} ms, max {lat_max:.1f} ms")
        print()
        print("targets (issue 8):")
        largest = max(sizes)
        for command in ("status", "list", "history"):
            mine = [(n, rows) for n, _, c, rows in results if c == command]
            worst_k = max(rows[0]["ms"] / rows[1]["ms"] for _, rows in mine)
            worst_c = max(rows[0]["ms"] / rows[2]["ms"] for _, rows in mine)
            requests = sorted({rows[0]["requests"] for _, rows in mine})
            peak, pods = max((rows[0]["rss"], pods) for n, pods, c, rows in results if c == command and n == largest)
            verdict = lambda ok: "met" if ok else "MISSED"
            print(f"  {command:<8} <= 0.25x kubectl: worst {worst_k:.2f}x {verdict(worst_k <= 0.25)}; "
                  f"<= 2x curl: worst {worst_c:.2f}x {verdict(worst_c <= 2)}; "
                  f"requests {requests} {verdict(len(requests) == 1)}; "
                  f"peak at {pods} pods {peak:.1f} MiB = {peak * 1.048576:.1f} MB {verdict(peak * 1.048576 < 40)}")
        print(f"  reaction latency p95 < 100 ms: {lat_p95:.1f} ms {'met' if lat_p95 < 100 else 'MISSED'}")
    finally:
        world.send_signal(signal.SIGTERM)
        world.wait(timeout=20)
        log.close()


if __name__ == "__main__":
    main()
