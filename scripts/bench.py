"""Measures kubectl-numa against kubectl and curl on one control plane (see bench.sh).

For each size it creates one more pipeline of N vertices x 20 pods (through Numaflow's
controller), waits for it to roll out, then measures `rollout status --watch=false`,
`rollout list -A`, `rollout get` and `rollout history` next to `kubectl get ... -o json`
and curl making the plugin's own requests. Wall time is the median of the runs (7, or 3
from 1000 vertices on, where one kubectl run takes over a minute); peak memory is the
largest max-RSS of those runs (from GNU time); requests are counted from the API
server's audit log. Every measured client runs as the `viewer` user, so the
controllers' requests and the benchmark's own set-up (as `admin`) are not counted.
With NUMA_BENCH_BASELINE=PATH (an older kubectl-numa binary) each plugin row gets a
baseline row measured in the same run.

Then `rollout status --watch` over as many pods as the largest pipeline has: a
MonoVertex that Numaflow's controller ignores (another controller instance in its
numaflow.numaproj.io/instance annotation) whose pods no scheduler or kubelet touches
(schedulerName of a scheduler that does not run), created by the benchmark. It turns
50 of them Ready one at a time; each latency runs from just before the status PATCH is
sent to the moment the plugin's line about it arrives on its stdout pipe. Then nothing
changes for IDLE_SECONDS and the plugin's CPU time over that window is read from
/proc; then its peak RSS (VmHWM), and how long it takes to exit on SIGTERM.

NUMA_BENCH_WORLD=DIR reuses the world whose kubeconfig and audit log are DIR/kubeconfig
and DIR/audit.log, or starts one there and leaves it running: building 20,000 pods
through Numaflow's controller takes about 25 minutes on 2 cores.
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
RUNS_LARGE = 3          # from LARGE vertices on
LARGE = 1000
PODS_PER_VERTEX = 20
LATENCY_EVENTS = 50
IDLE_SECONDS = 10
TARGET_RATIO = 0.10     # issue 18, at LARGE vertices
TARGET_MIB = 64
TARGET_P95_MS = 50
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


def measure(name, argv_list, audit, env=None, runs=RUNS):
    """Runs the commands of argv_list in sequence, `runs` times."""
    times, rss, requests = [], 0.0, []
    for _ in range(runs):
        before = audit.position()
        total = 0.0
        for argv in argv_list:
            took, mem, code = timed(argv, env)
            if code not in (0, 6):
                sys.exit(f"bench: {name} exited {code}: {argv}")
            total += took
            rss = max(rss, mem)
        times.append(total)
        requests.append(audit.viewer_requests_since(before))
    return {"name": name, "ms": statistics.median(times) * 1000, "rss": rss,
            "requests": max(r[0] for r in requests), "lists": max(r[1] for r in requests)}


class Audit:
    """The API server's audit log, read from where a measurement started; the log
    rotates at 100 MB into audit-TIMESTAMP.log files beside it."""

    def __init__(self, path):
        self.path = path

    def position(self):
        st = os.stat(self.path)
        return st.st_ino, st.st_size

    def viewer_requests_since(self, start):
        """Completed requests of the viewer user since `start`, and how many of them
        are not a LIST's later page (no `continue=`). The server writes a request's
        audit line just after its response, so this reads until the counts stop
        changing, for at most two seconds."""
        count, deadline = None, time.monotonic() + 2
        while True:
            n = self._count(start)
            if n == count or time.monotonic() > deadline:
                return n
            count = n
            time.sleep(0.2)

    def _count(self, start):
        inode, offset = start
        texts = []
        if os.stat(self.path).st_ino != inode:  # rotated since: the rest of the old file first
            folder = os.path.dirname(self.path)
            for name in sorted(os.listdir(folder)):
                full = os.path.join(folder, name)
                if name.startswith("audit-") and os.stat(full).st_ino == inode:
                    texts.append((full, offset))
            offset = 0
        texts.append((self.path, offset))
        n = first = 0
        for path, at in texts:
            with open(path, "rb") as f:
                f.seek(at)
                for line in f:
                    if b'"stage":"ResponseComplete"' in line and b'"username":"viewer"' in line:
                        n += 1
                        first += b"continue=" not in line
        return n, first


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
        self.args = (server, ca, token)
        url = urllib.parse.urlparse(server)
        self.conn = http.client.HTTPSConnection(url.hostname, url.port,
                                                context=ssl.create_default_context(cafile=ca))
        self.auth = f"Bearer {token}"

    def call(self, method, path, body=None, content_type="application/json", allow=()):
        headers = {"Authorization": self.auth, "Content-Type": content_type, "Accept": "application/json"}
        self.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        res = self.conn.getresponse()
        data = res.read()
        if res.status in allow:
            return None
        if res.status >= 300:
            sys.exit(f"bench: {method} {path}: {res.status} {data[:300]!r}")
        return json.loads(data)

    def clone(self):
        """Another connection, for another thread."""
        return Api(*self.args)

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


def command_rows(name, vertices, server, ca, token, audit, kenv, baseline):
    """Each command with its kubectl and curl counterparts: a list of rows, the
    plugin's first, then the baseline plugin's (when given), kubectl's and curl's."""
    runs = RUNS_LARGE if vertices >= LARGE else RUNS
    sel = f"numaflow.numaproj.io/pipeline-name={name}"
    curl = ["curl", "-sS", "-o", "/dev/null", "--cacert", ca, "-H", f"Authorization: Bearer {token['viewer']}"]
    base = f"{server}{GROUP}/namespaces/{NS}"
    kubectl = ["kubectl", "--context", "viewer"]
    pods_sel = urllib.parse.quote(POD_SELECTOR)

    def plugins(label, args):
        rows = [measure(f"kubectl numa {label}", [[PLUGIN, "--context", "viewer", *args]], audit, kenv, runs)]
        if baseline:
            rows.append(measure(f"  baseline {os.path.basename(baseline)}",
                                [[baseline, "--context", "viewer", *args]], audit, kenv, runs))
        return rows

    status_kubectl = measure("kubectl get vertices,pods -l ... -o json",
                             [kubectl + ["get", "vertices,pods", "-l", sel, "-o", "json"]], audit, kenv, runs)
    status_curl = measure("curl: GET pipeline, LIST vertices, LIST pods",
                          [curl + [f"{base}/pipelines/{name}"],
                           curl + [f"{base}/vertices?labelSelector={sel}"],
                           curl + [f"{server}/api/v1/namespaces/{NS}/pods?labelSelector={sel}"]], audit, kenv, runs)
    return {
        "status": plugins("rollout status --watch=false", ["rollout", "status", f"pipeline/{name}", "--watch=false"])
        + [status_kubectl, status_curl],
        # A user reads the same objects for `get` as for `status`.
        "get": plugins("rollout get", ["rollout", "get", f"pipeline/{name}"]) + [status_kubectl, status_curl],
        "list": plugins("rollout list -A", ["rollout", "list", "-A"]) + [
            measure("kubectl get pl,vtx,mvtx + pods -A -o json",
                    [kubectl + ["get", "pipelines,vertices,monovertices", "-A", "-o", "json"],
                     kubectl + ["get", "pods", "-A", "-l", POD_SELECTOR, "-o", "json"]], audit, kenv, runs),
            measure("curl: LIST pl, vtx, mvtx, pods (all ns)",
                    [curl + [f"{server}{GROUP}/pipelines"], curl + [f"{server}{GROUP}/vertices"],
                     curl + [f"{server}{GROUP}/monovertices"],
                     curl + [f"{server}/api/v1/pods?labelSelector={pods_sel}"]], audit, kenv, runs),
        ],
        "history": plugins("rollout history", ["rollout", "history", f"pipeline/{name}"]) + [
            measure("kubectl get pipeline NAME -o json",
                    [kubectl + ["get", "pipeline", name, "-o", "json"]], audit, kenv, runs),
            measure("curl: GET pipeline", [curl + [f"{base}/pipelines/{name}"]], audit, kenv, runs),
        ],
    }


def watch_labels(name):
    return {"numaflow.numaproj.io/mono-vertex-name": name, "app.kubernetes.io/component": "mono-vertex"}


def remove_watch_world(api, name, n):
    """Deletes what create_watch_world made, pod by pod from 8 connections (pods
    never bound to a node go at once). Not one DELETE of the collection: at 20,000
    pods that took kube-apiserver past 12 GiB, into the OOM killer."""
    api = api.clone()  # the set-up connection may have idled out

    def delete(indexes):
        conn = api.clone()
        for i in indexes:
            conn.call("DELETE", f"/api/v1/namespaces/{NS}/pods/{name}-{i}", allow=(404,))

    threads = [threading.Thread(target=delete, args=(range(k, n, 8),)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    api.call("DELETE", f"{GROUP}/namespaces/{NS}/monovertices/{name}", allow=(404,))


def create_watch_world(api, name, n):
    """The MonoVertex `name` that Numaflow's controller ignores, with `n` pods that
    only this benchmark changes, none Ready, all of the update revision (what an
    earlier run left is deleted first). The pods are small (a bare spec, no status
    but Ready): the plugin holds any pod as the same compact view, but the transient
    cost of parsing real pods' JSON is not in this figure."""
    remove_watch_world(api, name, n)
    labels = watch_labels(name)
    api.call("POST", f"{GROUP}/namespaces/{NS}/monovertices", {
        "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "MonoVertex",
        "metadata": {"name": name, "labels": labels, "annotations": UNMANAGED_INSTANCE},
        "spec": {"replicas": n, "source": {"udsource": {"container": {"image": "example/src:v1"}}},
                 "sink": {"udsink": {"container": {"image": "example/sink:v1"}}}},
    })
    api.merge_patch(f"{GROUP}/namespaces/{NS}/monovertices/{name}/status", {"status": {
        "phase": "Running", "observedGeneration": 1, "desiredReplicas": n, "replicas": n,
        "updatedReplicas": n, "updatedReadyReplicas": n, "readyReplicas": n,
        "currentHash": "h1", "updateHash": "h1"}})

    def create(indexes):
        conn = api.clone()
        for i in indexes:
            conn.call("POST", f"/api/v1/namespaces/{NS}/pods", {
                "metadata": {"name": f"{name}-{i}", "labels": labels,
                             "annotations": {"numaflow.numaproj.io/hash": "h1",
                                             "numaflow.numaproj.io/replica": str(i)}},
                "spec": {"schedulerName": UNMANAGED_SCHEDULER,
                         "containers": [{"name": "numa", "image": "example/sink:v1"}]},
            })

    threads = [threading.Thread(target=create, args=(range(k, n, 8),)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def cpu_seconds(pid):
    """User plus system CPU time of process `pid` so far."""
    fields = open(f"/proc/{pid}/stat", encoding="utf-8").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def watch_figures(api, kenv, n):
    """`rollout status --watch` over a MonoVertex of `n` pods: reaction latencies (ms)
    to LATENCY_EVENTS pods turning Ready, then CPU share while nothing changes, peak
    RSS (MiB) and seconds to exit on SIGTERM."""
    name = f"watch-{n}"
    started = time.perf_counter()
    create_watch_world(api, name, n)
    print(f"bench: {name}: {n} unmanaged pods created in {time.perf_counter() - started:.1f}s")
    proc = subprocess.Popen([PLUGIN, "--context", "viewer", "rollout", "status", f"mvtx/{name}", "--timeout", "30m"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=kenv, text=True, bufsize=1)
    try:
        lines = queue.Queue()

        def read():
            for line in proc.stdout:
                lines.put((time.perf_counter(), line.rstrip("\n")))
            lines.put((time.perf_counter(), None))

        threading.Thread(target=read, daemon=True).start()
        first = lines.get(timeout=120)[1]
        if first is None or f"0 of {n} updated replicas are ready" not in first:
            sys.exit(f"bench: unexpected first status line: {first!r}")
        ready = {"status": {"conditions": [{"type": "Ready", "status": "True"}]}}
        latencies = []
        for i in range(LATENCY_EVENTS):
            time.sleep(0.05)
            sent = time.perf_counter()
            api.merge_patch(f"/api/v1/namespaces/{NS}/pods/{name}-{i}/status", ready)
            arrived, line = lines.get(timeout=30)
            want = "successfully rolled out" if i == n - 1 else f"{i + 1} of {n} updated replicas are ready"
            if line is None or want not in line:
                sys.exit(f"bench: after pod {i} turned Ready the plugin printed {line!r}, not {want!r}")
            latencies.append((arrived - sent) * 1000)
        # The idle window is the measurement: nothing in the cluster changes during it.
        cpu_before, wall_before = cpu_seconds(proc.pid), time.perf_counter()
        time.sleep(IDLE_SECONDS)
        idle = (cpu_seconds(proc.pid) - cpu_before) / (time.perf_counter() - wall_before) * 100
        hwm = next(int(line.split()[1]) for line in open(f"/proc/{proc.pid}/status", encoding="utf-8")
                   if line.startswith("VmHWM:")) / 1024
        stop = time.perf_counter()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        exit_s = time.perf_counter() - stop
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        remove_watch_world(api, name, n)
    latencies.sort()
    p95 = latencies[max(0, int(round(0.95 * len(latencies))) - 1)]
    return {"pods": n, "median": statistics.median(latencies), "p95": p95, "max": latencies[-1],
            "idle_cpu": idle, "rss": hwm, "exit_s": exit_s, "exit_code": proc.returncode}


def start_world(folder):
    """A world writing its kubeconfig and audit log into `folder`; returns the process,
    or None when one already runs there (NUMA_BENCH_WORLD)."""
    kubeconfig = os.path.join(folder, "kubeconfig")
    if os.path.exists(kubeconfig):
        probe = subprocess.run(["kubectl", "--kubeconfig", kubeconfig, "get", "--raw", "/readyz"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if probe.returncode == 0:
            print(f"bench: reusing the world of {folder}")
            return None
        sys.exit(f"bench: {kubeconfig} exists but its server does not answer; remove {folder} to start afresh")
    audit = os.path.join(folder, "audit.log")
    log = open(os.path.join(folder, "testenv.log"), "w", encoding="utf-8")
    world = subprocess.Popen([TESTENV, "start", "--kubeconfig-out", kubeconfig, "--namespace", NS],
                             stdout=log, stderr=log, env=dict(os.environ, NUMA_TESTENV_AUDIT_LOG=audit),
                             start_new_session=True)
    for _ in range(600):
        if os.path.exists(kubeconfig) and os.path.exists(audit):
            return world
        if world.poll() is not None:
            sys.exit("bench: numa-testenv failed; see " + log.name)
        time.sleep(0.1)
    sys.exit("bench: the world did not start in 60 s; see " + log.name)


def row(n, pods, r, kubectl, raw):
    extra = f"+{r['requests'] - r['lists']}" if r["requests"] > r["lists"] else ""
    return (f"{n:>8} {pods:>5}  {r['name']:<44} {r['ms']:>9.1f} {r['ms'] / kubectl['ms']:>8.2f}x "
            f"{r['ms'] / raw['ms']:>6.2f}x {r['rss']:>8.1f} {str(r['lists']) + extra:>9}")


def main():
    sizes = [max(2, int(s)) for s in " ".join(sys.argv[1:]).split()] or [2, 10, 100]
    baseline = os.environ.get("NUMA_BENCH_BASELINE")
    folder = os.environ.get("NUMA_BENCH_WORLD") or tempfile.mkdtemp(prefix="numa-bench-")
    os.makedirs(folder, exist_ok=True)
    kubeconfig = os.path.join(folder, "kubeconfig")
    world = start_world(folder)
    try:
        audit = Audit(os.path.join(folder, "audit.log"))
        kenv = dict(os.environ, KUBECONFIG=kubeconfig)
        server, ca, token = kubeconfig_facts(kubeconfig)
        version = subprocess.run([PLUGIN, "--version"], capture_output=True, text=True).stdout.strip()
        print(f"bench: machine: {os.cpu_count()} cores, {os.uname().machine}, Linux {os.uname().release}, "
              f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; {version}; "
              f"runs per figure: {RUNS} ({RUNS_LARGE} from {LARGE} vertices on)")
        results = []  # (size, pods in the cluster, command, rows)
        cluster_pods = 0
        for n in sizes:
            name = f"bench-{n}"
            started = time.perf_counter()
            subprocess.run(["kubectl", "apply", "-f", "-"], input=json.dumps(pipeline(name, n)).encode(),
                           env=kenv, check=True, stdout=subprocess.DEVNULL)
            # As admin: waits for the rollout and records revision 1 for `history`.
            subprocess.run([PLUGIN, "rollout", "status", f"pipeline/{name}", "--timeout", "60m"], env=kenv,
                           check=True, stdout=subprocess.DEVNULL)
            cluster_pods = count_pods(kenv)
            print(f"bench: {name}: {n * PODS_PER_VERTEX} pods rolled out (waited {time.perf_counter() - started:.1f}s)")
            for command, rows in command_rows(name, n, server, ca, token, audit, kenv, baseline).items():
                results.append((n, cluster_pods if command == "list" else n * PODS_PER_VERTEX, command, rows))
        header = (f"{'vertices':>8} {'pods':>5}  {'command':<44} {'median ms':>9} {'x kubectl':>9} {'x curl':>7} "
                  f"{'peak MiB':>8} {'requests':>9}")
        print()
        print(header)
        print("-" * len(header))
        for command in ("status", "get", "list", "history"):
            for n, pods, c, rows in results:
                if c == command:
                    for r in rows:
                        print(row(n, pods, r, rows[-2], rows[-1]))
            print()
        print("requests: LISTs and GETs, +N: further pages of those LISTs (--chunk-size 500)")
        print()
        verdict = lambda ok: "met" if ok else "MISSED"
        print("targets (issue 8: every size; issue 18: at 1000 vertices and more):")
        largest = max(sizes)
        for command in ("status", "get", "list", "history"):
            mine = [(n, pods, rows) for n, pods, c, rows in results if c == command]
            worst_k = max(rows[0]["ms"] / rows[-2]["ms"] for _, _, rows in mine)
            worst_c = max(rows[0]["ms"] / rows[-1]["ms"] for _, _, rows in mine)
            lists = sorted({rows[0]["lists"] for _, _, rows in mine})
            line = (f"  {command:<8} <= 0.25x kubectl: worst {worst_k:.2f}x {verdict(worst_k <= 0.25)}; "
                    f"<= 2x curl: worst {worst_c:.2f}x {verdict(worst_c <= 2)}; "
                    f"requests without pages {lists} {verdict(len(lists) == 1)}")
            for n, pods, rows in mine:
                if n >= LARGE and command != "history":
                    ratio = rows[0]["ms"] / rows[-2]["ms"]
                    line += (f"; at {pods} pods <= {TARGET_RATIO:.2f}x kubectl: {ratio:.3f}x {verdict(ratio <= TARGET_RATIO)}, "
                             f"peak <= {TARGET_MIB} MiB: {rows[0]['rss']:.1f} {verdict(rows[0]['rss'] <= TARGET_MIB)}")
                elif n == largest and n < LARGE:
                    line += f"; peak at {pods} pods {rows[0]['rss']:.1f} MiB"
            print(line, flush=True)
        print()
        watch_pods = max(sizes) * PODS_PER_VERTEX
        print(f"bench: status --watch over {watch_pods} pods...")
        watch = watch_figures(Api(server, ca, token["admin"]), kenv, watch_pods)

        print(f"rollout status --watch over {watch['pods']} pods, {LATENCY_EVENTS} turning Ready "
              f"(PATCH sent -> line printed): median {watch['median']:.1f} ms, p95 {watch['p95']:.1f} ms, "
              f"max {watch['max']:.1f} ms; CPU while nothing changes for {IDLE_SECONDS} s: "
              f"{watch['idle_cpu']:.2f}%; peak RSS {watch['rss']:.1f} MiB; exit on SIGTERM in "
              f"{watch['exit_s'] * 1000:.0f} ms (code {watch['exit_code']})")
        print(f"targets (issue 18), watch:  p95 <= {TARGET_P95_MS} ms at {watch['pods']} pods: {watch['p95']:.1f} ms "
              f"{verdict(watch['p95'] <= TARGET_P95_MS)}; idle CPU {watch['idle_cpu']:.2f}% "
              f"{verdict(watch['idle_cpu'] < 1)} (< 1%); peak {watch['rss']:.1f} MiB "
              f"{verdict(watch['rss'] <= TARGET_MIB)}")
    finally:
        if world is not None and not os.environ.get("NUMA_BENCH_WORLD"):
            world.send_signal(signal.SIGTERM)
            world.wait(timeout=20)
        elif world is not None:
            print(f"bench: the world keeps running (pid {world.pid}) for NUMA_BENCH_WORLD={folder}; "
                  f"stop it with: kill {world.pid}")


def count_pods(kenv):
    """Pods of Numaflow workloads in the cluster."""
    out = subprocess.run(["kubectl", "get", "pods", "-A", "-l", POD_SELECTOR, "-o", "name"],
                         env=kenv, check=True, capture_output=True, text=True).stdout
    return len(out.split())


if __name__ == "__main__":
    main()
