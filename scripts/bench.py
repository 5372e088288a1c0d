"""Measures kubectl-numa against kubectl and curl on one control plane (see bench.sh).

Wall time is the median of RUNS runs; peak memory is the largest max-RSS of those runs
(from wait4); requests are counted from the API server's audit log. Every client runs
as the `viewer` user, so the simulator's own requests (as `admin`) are not counted.
"""

import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = 7
PODS_PER_VERTEX = 20
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGIN = os.path.join(ROOT, "target/release/kubectl-numa")
TESTENV = os.path.join(ROOT, "target/release/numa-testenv")
NS = "default"


def timed(argv, env=None):
    """Runs argv; returns (seconds, max RSS in MiB, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return took, usage.ru_maxrss / 1024, proc.returncode


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


def kubeconfig_token_and_ca(path):
    text = open(path, encoding="utf-8").read()
    ca = re.search(r"certificate-authority: (\S+)", text).group(1)
    server = re.search(r"server: (\S+)", text).group(1)
    token = re.search(r"- name: viewer\n  user:\n    token: (\S+)", text).group(1)
    return server, ca, token


def pipeline(name, vertices):
    return {
        "apiVersion": "numaflow.numaproj.io/v1alpha1",
        "kind": "Pipeline",
        "metadata": {"name": name, "namespace": NS},
        "spec": {"vertices": [
            {"name": f"v{i}", "replicas": PODS_PER_VERTEX, "udf": {"container": {"image": "example/bench:v1"}}}
            for i in range(vertices)
        ]},
    }


def main():
    sizes = [int(s) for s in " ".join(sys.argv[1:]).split()] or [1, 10, 100]
    work = tempfile.mkdtemp(prefix="numa-bench-")
    kubeconfig = os.path.join(work, "kubeconfig")
    audit = os.path.join(work, "audit.log")
    env = dict(os.environ, NUMA_TESTENV_AUDIT_LOG=audit)
    log = open(os.path.join(work, "testenv.log"), "w", encoding="utf-8")
    world = subprocess.Popen([TESTENV, "start", "--kubeconfig-out", kubeconfig, "--ready-delay-ms", "100"],
                             stdout=log, stderr=log, env=env)
    try:
        for _ in range(600):
            if os.path.exists(kubeconfig) and os.path.exists(audit):
                break
            if world.poll() is not None:
                sys.exit("bench: numa-testenv failed; see " + log.name)
            time.sleep(0.1)
        kenv = dict(os.environ, KUBECONFIG=kubeconfig)
        server, ca, token = kubeconfig_token_and_ca(kubeconfig)
        for n in sizes:
            subprocess.run(["kubectl", "apply", "-f", "-"], input=json.dumps(pipeline(f"bench-{n}", n)).encode(),
                           env=kenv, check=True, stdout=subprocess.DEVNULL)
        started = time.perf_counter()
        for n in sizes:
            subprocess.run([PLUGIN, "rollout", "status", f"pipeline/bench-{n}", "--timeout", "15m"], env=kenv,
                           check=True, stdout=subprocess.DEVNULL)
        pods = sum(sizes) * PODS_PER_VERTEX
        print(f"bench: {len(sizes)} pipelines, {pods} pods ready in {time.perf_counter() - started:.1f}s")
        print(f"bench: machine: {os.cpu_count()} cores, {os.uname().machine}, {os.uname().release}; runs per figure: {RUNS}")
        print()
        header = f"{'vertices':>8} {'pods':>5}  {'command':<44} {'median ms':>9} {'x kubectl':>9} {'x curl':>7} {'peak MiB':>8} {'requests':>8}"
        print(header)
        print("-" * len(header))
        for n in sizes:
            name = f"bench-{n}"
            sel = f"numaflow.numaproj.io/pipeline-name={name}"
            curl = ["curl", "-sS", "-o", "/dev/null", "--cacert", ca, "-H", f"Authorization: Bearer {token}"]
            base = f"{server}/apis/numaflow.numaproj.io/v1alpha1/namespaces/{NS}"
            rows = [
                measure("kubectl numa rollout status --watch=false",
                        [[PLUGIN, "--context", "viewer", "rollout", "status", f"pipeline/{name}", "--watch=false"]],
                        audit, kenv),
                measure("kubectl get vertices,pods -l ... -o json",
                        [["kubectl", "--context", "viewer", "get", "vertices,pods", "-l", sel, "-o", "json"]], audit, kenv),
                measure("curl: GET pipeline, LIST vertices, LIST pods",
                        [curl + [f"{base}/pipelines/{name}"],
                         curl + [f"{base}/vertices?labelSelector={sel}"],
                         curl + [f"{server}/api/v1/namespaces/{NS}/pods?labelSelector={sel}"]], audit, kenv),
            ]
            plugin, kubectl, raw = rows
            for r in rows:
                print(f"{n:>8} {n * PODS_PER_VERTEX:>5}  {r['name']:<44} {r['ms']:>9.1f} "
                      f"{r['ms'] / kubectl['ms']:>8.2f}x {r['ms'] / raw['ms']:>6.2f}x {r['rss']:>8.1f} {r['requests']:>8}")
            print()
        print("targets (issue 3): plugin <= 0.25x kubectl, <= 2x curl, <= 3 requests, < 40 MiB peak")
    finally:
        world.send_signal(signal.SIGTERM)
        world.wait(timeout=20)
        log.close()


if __name__ == "__main__":
    main()
