#!/usr/bin/env python3
"""Writes pods.yaml, kwok's stages for the test world (run it after editing this file).

Faults are chosen by a word in the image of a container or of a sidecar (an init
container with restartPolicy Always: Numaflow 1.8 runs udf, udsource and udsink so):
  crashloop    Running, not ready; that container waits in CrashLoopBackOff after an OOM
               kill (last termination OOMKilled, exit code 137, 3 restarts)
  pull-error   Pending; that container waits in ErrImagePull, then ImagePullBackOff 2 s later
  never-ready  Running, every container running, that one never ready
  delay-<ms>   ready <ms> milliseconds after it was scheduled (say example/cat:v2-delay-800)
  evicted      ready, then 1 s later Failed with reason Evicted (so is every replacement)
  oom-after-<ms>      ready, then <ms> milliseconds later that container is OOM-killed and
               waits in CrashLoopBackOff (1 restart, last termination OOMKilled, 137)
  restart-after-<ms>  ready, then <ms> milliseconds later that container restarts once
               after an OOM kill and is ready again (1 restart, running)
A pod labelled testenv.kubectl-numa.io/fault=evicted is evicted at once: one pod, once.
Pods without a fault are ready as soon as they are scheduled. Adapted from kwok v0.7.0's
kustomize/stage/pod/fast and chaos stages. The node stages are kwok v0.8.0's
kustomize/stage/node/fast and heartbeat, as they are: kwok up to v0.7 added them itself
when its config had none, v0.8 no longer does (its nodes stay NotReady without them).
"""
import os

IMAGES = '(.spec.containers + (.spec.initContainers // []))[].image'
FAULTS = "crashloop|pull-error|never-ready|delay-[0-9]+"

RUNNING = """    ready: true
    restartCount: 0
    started: true
    state:
      running:
        startedAt: {{ $now | Quote }}"""

def oom_backoff(restarts, backoff):
    """A container OOM-killed `restarts` times, waiting `backoff` to start again."""
    return f"""    ready: false
    restartCount: {restarts}
    started: false
    lastState:
      terminated:
        exitCode: 137
        reason: OOMKilled
        startedAt: {{{{ $now | Quote }}}}
        finishedAt: {{{{ $now | Quote }}}}
    state:
      waiting:
        reason: CrashLoopBackOff
        message: {{{{ printf "back-off {backoff} restarting failed container=%s" .name | Quote }}}}"""


FAULT_STATE = {
    "crashloop": oom_backoff(3, "40s"),
    "pull-error": """    ready: false
    restartCount: 0
    started: false
    state:
      waiting:
        reason: ErrImagePull
        message: {{ printf "failed to pull and unpack image %q: not found" .image | Quote }}""",
    "pull-backoff": """    ready: false
    restartCount: 0
    started: false
    state:
      waiting:
        reason: ImagePullBackOff
        message: {{ printf "Back-off pulling image %q" .image | Quote }}""",
    "oom": oom_backoff(1, "10s"),
    "restart": """    ready: true
    restartCount: 1
    started: true
    lastState:
      terminated:
        exitCode: 137
        reason: OOMKilled
        startedAt: {{ $now | Quote }}
        finishedAt: {{ $now | Quote }}
    state:
      running:
        startedAt: {{ $now | Quote }}""",
    "never-ready": """    ready: false
    restartCount: 0
    started: true
    state:
      running:
        startedAt: {{ $now | Quote }}""",
}


# The image word of a fault whose state is named otherwise.
WORDS = {"pull-backoff": "pull-error", "oom": "oom-after-[0-9]+", "restart": "restart-after-[0-9]+"}


def statuses(fault):
    """containerStatuses and initContainerStatuses, the containers whose image matches
    `fault` (a regex word, or None) in that fault's state."""
    def one(extra_cond=""):
        if fault is None:
            return f"""  - image: {{{{ .image | Quote }}}}
    name: {{{{ .name | Quote }}}}
{RUNNING}"""
        word = WORDS.get(fault, fault)
        return f"""  {{{{ if regexMatch "{word}" .image }}}}
  - image: {{{{ .image | Quote }}}}
    name: {{{{ .name | Quote }}}}
{FAULT_STATE[fault]}
  {{{{ else }}}}
  - image: {{{{ .image | Quote }}}}
    name: {{{{ .name | Quote }}}}
{RUNNING}
  {{{{ end }}}}"""
    return f"""containerStatuses:
  {{{{ range .spec.containers }}}}
{one()}
  {{{{ end }}}}
initContainerStatuses:
  {{{{ range .spec.initContainers }}}}
  {{{{ if eq (or .restartPolicy "") "Always" }}}}
{one()}
  {{{{ else }}}}
  - image: {{{{ .image | Quote }}}}
    name: {{{{ .name | Quote }}}}
    ready: true
    restartCount: 0
    state:
      terminated:
        exitCode: 0
        reason: Completed
        startedAt: {{{{ $now | Quote }}}}
        finishedAt: {{{{ $now | Quote }}}}
  {{{{ end }}}}
  {{{{ end }}}}"""


def conditions(ready):
    r = '"True"' if ready else '"False"\n  reason: ContainersNotReady'
    return f"""conditions:
- lastTransitionTime: {{{{ $now | Quote }}}}
  status: "True"
  type: Initialized
- lastTransitionTime: {{{{ $now | Quote }}}}
  status: {r}
  type: Ready
- lastTransitionTime: {{{{ $now | Quote }}}}
  status: {r}
  type: ContainersReady"""


IPS = """hostIP: {{ NodeIPWith .spec.nodeName | Quote }}
podIP: {{ PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) | Quote }}"""


def template(fault, phase="Running", ready=False, ips=True):
    body = "\n".join(["{{ $now := Now }}", conditions(ready), statuses(fault),
                      IPS if ips else "hostIP: {{ NodeIPWith .spec.nodeName | Quote }}",
                      f"phase: {phase}", "startTime: {{ $now | Quote }}"])
    return "\n".join("      " + l if l else "" for l in body.splitlines())


def expr(key, values):
    vals = ", ".join(f"'{v}'" for v in values)
    return f"    - key: '{key}'\n      operator: 'In'\n      values: [{vals}]"


def has(word):
    return f'[{IMAGES} | test("{word}")] | any'


NEW = """    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.status.podIP'
      operator: 'DoesNotExist'"""


def stage(name, selector, tmpl, delay=""):
    return f"""apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: {name}
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
{selector}
{delay}  next:
    statusTemplate: |
{tmpl}"""


stages = [
    stage("pod-ready", NEW + "\n" + expr(has(FAULTS), ["false"]), template(None, ready=True)),
    stage("pod-ready-delayed",
          NEW + "\n" + expr(has("delay-[0-9]+"), ["true"]) + "\n" + expr(has("crashloop|pull-error|never-ready"), ["false"]),
          template(None, ready=True),
          delay=f"""  delay:
    durationMilliseconds: 1000
    durationFrom:
      jq:
        expression: '[{IMAGES} | capture("delay-(?<ms>[0-9]+)") | .ms + "ms"] | first'
"""),
    stage("pod-crashloop", NEW + "\n" + expr(has("crashloop"), ["true"]), template("crashloop")),
    stage("pod-never-ready",
          NEW + "\n" + expr(has("never-ready"), ["true"]) + "\n" + expr(has("crashloop"), ["false"]),
          template("never-ready")),
    stage("pod-pull-error",
          NEW + "\n    - key: '.status.containerStatuses'\n      operator: 'DoesNotExist'\n"
          + expr(has("pull-error"), ["true"]) + "\n" + expr(has("crashloop|never-ready"), ["false"]),
          template("pull-error", phase="Pending", ips=False)),
    stage("pod-pull-backoff",
          "    - key: '.metadata.deletionTimestamp'\n      operator: 'DoesNotExist'\n"
          + expr('[(.status.containerStatuses // []) + (.status.initContainerStatuses // []) | .[].state.waiting.reason] | any(. == "ErrImagePull")', ["true"]),
          template("pull-backoff", phase="Pending", ips=False),
          delay="  delay:\n    durationMilliseconds: 2000\n"),
]

def late(fault, ready):
    """A ready pod whose container with the fault's word turns to that fault's state the
    delay in its image after the pod was ready, once (no container restarted yet)."""
    word = WORDS[fault]
    restarts = '[(.status.containerStatuses // []) + (.status.initContainerStatuses // []) | .[].restartCount] | add'
    selector = "\n".join([
        "    - key: '.metadata.deletionTimestamp'\n      operator: 'DoesNotExist'",
        "    - key: '.status.phase'\n      operator: 'In'\n      values: ['Running']",
        "    - key: '.status.podIP'\n      operator: 'Exists'",
        expr(has(word), ["true"]),
        expr(f"({restarts}) == 0", ["true"]),
    ])
    delay = f"""  delay:
    durationMilliseconds: 1000
    durationFrom:
      jq:
        expression: '[{IMAGES} | capture("{word.split("-[")[0]}-(?<ms>[0-9]+)") | .ms + "ms"] | first'
"""
    return stage(f"pod-{fault}-late", selector, template(fault, ready=ready), delay=delay)


stages += [late("oom", ready=False), late("restart", ready=True)]

EVICT = """apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-evict
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.status.phase'
      operator: 'In'
      values: ['Running']
    - key: '(.metadata.labels["testenv.kubectl-numa.io/fault"] == "evicted") or ([IMAGES | test("evicted")] | any)'
      operator: 'In'
      values: ['true']
  delay:
    durationMilliseconds: 1000
  next:
    statusTemplate: |
      {{ $now := Now }}
      conditions:
      - lastTransitionTime: {{ $now | Quote }}
        status: "False"
        type: Ready
      - lastTransitionTime: {{ $now | Quote }}
        status: "False"
        type: ContainersReady
      containerStatuses:
      {{ range .spec.containers }}
      - image: {{ .image | Quote }}
        name: {{ .name | Quote }}
        ready: false
        restartCount: 0
        started: false
        state:
          terminated:
            exitCode: 137
            reason: ContainerStatusUnknown
            message: The container could not be located when the pod was terminated
            startedAt: {{ $now | Quote }}
            finishedAt: {{ $now | Quote }}
      {{ end }}
      phase: Failed
      reason: Evicted
      message: "The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki."
""".replace("IMAGES", IMAGES)

TAIL = """apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-complete
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.status.phase'
      operator: 'In'
      values: ['Running']
    - key: '.metadata.ownerReferences.[].kind'
      operator: 'In'
      values: ['Job']
  next:
    statusTemplate: |
      {{ $now := Now }}
      containerStatuses:
      {{ range .spec.containers }}
      - image: {{ .image | Quote }}
        name: {{ .name | Quote }}
        ready: false
        restartCount: 0
        started: false
        state:
          terminated:
            exitCode: 0
            finishedAt: {{ $now | Quote }}
            reason: Completed
            startedAt: {{ $now | Quote }}
      {{ end }}
      phase: Succeeded
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-delete
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'Exists'
  next:
    finalizers:
      empty: true
    delete: true
"""

NODES = [r"""apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: node-initialize
spec:
  resourceRef:
    apiGroup: v1
    kind: Node
  selector:
    matchExpressions:
    - key: '.status.conditions.[] | select( .type == "Ready" ) | .status'
      operator: 'NotIn'
      values:
      - 'True'
  next:
    statusTemplate: |
      {{ $now := Now }}
      {{ $lastTransitionTime := or .metadata.creationTimestamp $now }}
      conditions:
      {{ range NodeConditions }}
      - lastHeartbeatTime: {{ $now | Quote }}
        lastTransitionTime: {{ $lastTransitionTime | Quote }}
        message: {{ .message | Quote }}
        reason: {{ .reason | Quote }}
        status: {{ .status | Quote }}
        type: {{ .type  | Quote}}
      {{ end }}

      {{ $hasInternalIP := false }}
      {{ $hasHostname := false }}
      {{ range .status.addresses }}
        {{ if eq .type "InternalIP" }}
          {{ $hasInternalIP = true }}
        {{ end }}
        {{ if eq .type "Hostname" }}
          {{ $hasHostname = true }}
        {{ end }}
      {{ end }}
      {{ if or (not $hasInternalIP) (not $hasHostname) }}
      addresses:
      {{ end }}
      {{ if not $hasInternalIP }}
      {{ with NodeIP }}
      - address: {{ . | Quote }}
        type: InternalIP
      {{ end }}
      {{ end }}
      {{ if not $hasHostname }}
      {{ with NodeName }}
      - address: {{ . | Quote }}
        type: Hostname
      {{ end }}
      {{ end }}

      {{ with NodePort }}
      daemonEndpoints:
        kubeletEndpoint:
          Port: {{ . }}
      {{ end }}

      allocatable:
      {{ with .status.allocatable }}
      {{ YAML . 1 }}
      {{ else }}
        cpu: 1k
        memory: 1Ti
        pods: 1M
      {{ end }}
      capacity:
      {{ with .status.capacity }}
      {{ YAML . 1 }}
      {{ else }}
        cpu: 1k
        memory: 1Ti
        pods: 1M
      {{ end }}

      {{ $nodeInfo := .status.nodeInfo }}
      {{ $kwokVersion := printf "kwok-%s" Version }}
      nodeInfo:
        architecture: {{ or $nodeInfo.architecture "amd64" }}
        bootID: {{ or $nodeInfo.bootID `""` }}
        containerRuntimeVersion: {{ or $nodeInfo.containerRuntimeVersion $kwokVersion }}
        kernelVersion: {{ or $nodeInfo.kernelVersion $kwokVersion }}
        kubeProxyVersion: {{ or $nodeInfo.kubeProxyVersion $kwokVersion }}
        kubeletVersion: {{ or $nodeInfo.kubeletVersion $kwokVersion }}
        machineID: {{ or $nodeInfo.machineID `""` }}
        operatingSystem: {{ or $nodeInfo.operatingSystem "linux" }}
        osImage: {{ or $nodeInfo.osImage `""` }}
        systemUUID: {{ or $nodeInfo.systemUUID `""` }}
      phase: Running""", r"""apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: node-heartbeat
spec:
  resourceRef:
    apiGroup: v1
    kind: Node
  selector:
    matchExpressions:
    - key: '.status.phase'
      operator: 'In'
      values:
      - 'Running'
    - key: '.status.conditions.[] | select( .type == "Ready" ) | .status'
      operator: 'In'
      values:
      - 'True'
  delay:
    durationMilliseconds: 20000
    jitterDurationMilliseconds: 25000
  next:
    statusTemplate: |
      {{ $now := Now }}
      {{ $lastTransitionTime := or .metadata.creationTimestamp $now }}
      conditions:
      {{ range NodeConditions }}
      - lastHeartbeatTime: {{ $now | Quote }}
        lastTransitionTime: {{ $lastTransitionTime | Quote }}
        message: {{ .message | Quote }}
        reason: {{ .reason | Quote }}
        status: {{ .status | Quote }}
        type: {{ .type | Quote }}
      {{ end }}
  immediateNextStage: true"""]

header = "# Generated by generate.py beside this file (edit that, then run it).\n" + "".join(
    "# " + l + "\n" if l else "#\n" for l in __doc__.strip().splitlines()[1:])
out = header + "\n---\n".join(NODES + stages + [EVICT.rstrip("\n"), TAIL.rstrip("\n")]) + "\n"
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pods.yaml"), "w") as f:
    f.write(out)
