
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'kubectl-numa' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'kubectl-numa'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'kubectl-numa' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long a single API request may take ("0" means no limit)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Read large lists in pages of this many objects, as kubectl''s --chunk-size (0: in one response)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('rollout', 'rollout', [CompletionResultType]::ParameterValue, 'Manage the rollout of vertices, monovertices and pipelines')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the plugin version, its git commit, and the API server version')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script, or the helper kubectl runs to complete `kubectl numa`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-numa;rollout' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long a single API request may take ("0" means no limit)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Read large lists in pages of this many objects, as kubectl''s --chunk-size (0: in one response)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Wait until a rollout completes; fail fast when it is broken')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show a rollout pod by pod, grouped by revision')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the rollout state of every vertex and monovertex')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Hold rollouts where they are (maxUnavailable 0), recording the previous values')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Let paused rollouts continue, restoring exactly what pause recorded')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change the update strategy or the container images')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Replace every pod, maxUnavailable at a time, waiting for each batch to be Ready')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Show the revisions kubectl numa recorded, or one revision''s spec')
            [CompletionResult]::new('undo', 'undo', [CompletionResultType]::ParameterValue, 'Roll back to a recorded revision (default: the previous one)')
            [CompletionResult]::new('promote', 'promote', [CompletionResultType]::ParameterValue, 'Resume a paused rollout and wait until it completes')
            [CompletionResult]::new('step', 'step', [CompletionResultType]::ParameterValue, 'Let exactly N more pods of a paused rollout move to the new revision, then hold again')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-numa;rollout;status' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Select targets of the given kind by label (`vertex -l team=data`)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Select targets of the given kind by label (`vertex -l team=data`)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--kustomize', '--kustomize', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Wait for the rollout to finish; --watch=false prints the current state once')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Wait for the rollout to finish; --watch=false prints the current state once')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Stop waiting after this long with exit code 4 (0 waits forever)')
            [CompletionResult]::new('--progress-deadline', '--progress-deadline', [CompletionResultType]::ParameterName, 'Report degraded (exit 3) when no replica moves for this long')
            [CompletionResult]::new('--bake', '--bake', [CompletionResultType]::ParameterName, 'Once the rollout is complete, keep watching its new pods this long: one failing, restarting or not ready past the tolerance fails the bake (exit 3)')
            [CompletionResult]::new('--bake-not-ready-tolerance', '--bake-not-ready-tolerance', [CompletionResultType]::ParameterName, 'How long a new pod may stay not ready during the bake before it fails it')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: json prints one document per target when done')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: json prints one document per target when done')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long a single API request may take ("0" means no limit)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Read large lists in pages of this many objects, as kubectl''s --chunk-size (0: in one response)')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--require-applied', '--require-applied', [CompletionResultType]::ParameterName, 'With -f or -k: fail (exit 1) before waiting when a manifest sets a field the live spec does not hold, instead of a warning')
            [CompletionResult]::new('--rollback-on-failure', '--rollback-on-failure', [CompletionResultType]::ParameterName, 'When a rollout turns degraded, undo it to the previous revision, wait for that, and exit 7')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write even when Numaplane manages the object (a PipelineRollout or MonoVertexRollout owns it): Numaplane re-applies its spec and reverts the change within seconds, so without --force such a write is refused')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-numa;rollout;get' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--kustomize', '--kustomize', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: json (with pods)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: json (with pods)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long a single API request may take ("0" means no limit)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Read large lists in pages of this many objects, as kubectl''s --chunk-size (0: in one response)')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Keep the view open and redraw it when anything changes')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Keep the view open and redraw it when anything changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-numa;rollout;list' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Only vertices and monovertices whose labels match')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Only vertices and monovertices whose labels match')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: wide, json, or name')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: wide, json, or name')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long a single API request may take ("0" means no limit)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Read large lists in pages of this many objects, as kubectl''s --chunk-size (0: in one response)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'List in every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'List in every namespace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-numa;rollout;pause' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Select targets of the given kind by label (`vertex -l team=data`)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Select targets of the given kind by label (`vertex -l team=data`)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--kustomize', '--kustomize', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'client: print the change and send nothing; server: send it with the server''s dry run (validated and authorized, not stored). `--dry-run` alone means client')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: json (one document per target) or name (KIND/NAME lines)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: json (one document per target) or name (KIND/NAME lines)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long a single API request may take ("0" means no limit)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Read large lists in pages of this many objects, as kubectl''s --chunk-size (0: in one response)')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write even when Numaplane manages the object (a PipelineRollout or MonoVertexRollout owns it): Numaplane re-applies its spec and reverts the change within seconds, so without --force such a write is refused')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-numa;rollout;resume' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Select targets of the given kind by label (`vertex -l team=data`)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Select targets of the given kind by label (`vertex -l team=data`)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--kustomize', '--kustomize', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'client: print the change and send nothing; server: send it with the server''s dry run (validated and authorized, not stored). `--dry-run` alone means client')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: json (one document per target) or name (KIND/NAME lines)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: json (one document per target) or name (KIND/NAME lines)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long a single API request may take ("0" means no limit)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Read large lists in pages of this many objects, as kubectl''s --chunk-size (0: in one response)')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write even when Numaplane manages the object (a PipelineRollout or MonoVertexRollout owns it): Numaplane re-applies its spec and reverts the change within seconds, so without --force such a write is refused')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-numa;rollout;set' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long a single API request may take ("0" means no limit)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Read large lists in pages of this many objects, as kubectl''s --chunk-size (0: in one response)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('strategy', 'strategy', [CompletionResultType]::ParameterValue, 'Change maxUnavailable / maxSurge (or show them, with no value flags)')
            [CompletionResult]::new('image', 'image', [CompletionResultType]::ParameterValue, 'Change container images; this starts a rollout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-numa;rollout;set;strategy' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Select targets of the given kind by label (`vertex -l team=data`)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Select targets of the given kind by label (`vertex -l team=data`)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--kustomize', '--kustomize', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--max-unavailable', '--max-unavailable', [CompletionResultType]::ParameterName, 'Pods that may be unavailable during a rollout: N or N% (default 25%)')
            [CompletionResult]::new('--max-surge', '--max-surge', [CompletionResultType]::ParameterName, 'maxSurge, N or N%: stored only under Numaflow''s minimal CRDs, and ignored by its controller (refused under the full CRDs, which drop it)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'client: print the change and send nothing; server: send it with the server''s dry run (validated and authorized, not stored). `--dry-run` alone means client')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: json (one document per target) or name (KIND/NAME lines)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: json (one document per target) or name (KIND/NAME lines)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long a single API request may take ("0" means no limit)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Read large lists in pages of this many objects, as kubectl''s --chunk-size (0: in one response)')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write even when Numaplane manages the object (a PipelineRollout or MonoVertexRollout owns it): Numaplane re-applies its spec and reverts the change within seconds, so without --force such a write is refused')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-numa;rollout;set;image' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Select targets of the given kind by label (`vertex -l team=data`)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Select targets of the given kind by label (`vertex -l team=data`)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--kustomize', '--kustomize', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'client: print the change and send nothing; server: send it with the server''s dry run (validated and authorized, not stored). `--dry-run` alone means client')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: json (one document per target) or name (KIND/NAME lines)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: json (one document per target) or name (KIND/NAME lines)')
            [CompletionResult]::new('--change-cause', '--change-cause', [CompletionResultType]::ParameterName, 'Recorded with the new revision (default: this command line)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long a single API request may take ("0" means no limit)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Read large lists in pages of this many objects, as kubectl''s --chunk-size (0: in one response)')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write even when Numaplane manages the object (a PipelineRollout or MonoVertexRollout owns it): Numaplane re-applies its spec and reverts the change within seconds, so without --force such a write is refused')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-numa;rollout;set;help' {
            [CompletionResult]::new('strategy', 'strategy', [CompletionResultType]::ParameterValue, 'Change maxUnavailable / maxSurge (or show them, with no value flags)')
            [CompletionResult]::new('image', 'image', [CompletionResultType]::ParameterValue, 'Change container images; this starts a rollout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-numa;rollout;set;help;strategy' {
            break
        }
        'kubectl-numa;rollout;set;help;image' {
            break
        }
        'kubectl-numa;rollout;set;help;help' {
            break
        }
        'kubectl-numa;rollout;restart' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Select targets of the given kind by label (`vertex -l team=data`)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Select targets of the given kind by label (`vertex -l team=data`)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--kustomize', '--kustomize', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Stop (exit 4) when a batch''s replacements are not Ready within this long')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'client: print the change and send nothing; server: send it with the server''s dry run (validated and authorized, not stored). `--dry-run` alone means client')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: json (one document per target at the end) or name')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: json (one document per target at the end) or name')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long a single API request may take ("0" means no limit)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Read large lists in pages of this many objects, as kubectl''s --chunk-size (0: in one response)')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Restart even while a rollout is in progress, failing or paused')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-numa;rollout;history' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--kustomize', '--kustomize', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'Print the stored spec of this revision')
            [CompletionResult]::new('--change-cause', '--change-cause', [CompletionResultType]::ParameterName, 'The change cause to record with --record (default: the object''s kubernetes.io/change-cause annotation, else this command line)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: json')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: json')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long a single API request may take ("0" means no limit)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Read large lists in pages of this many objects, as kubectl''s --chunk-size (0: in one response)')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Record the current spec as a revision now')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-numa;rollout;undo' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--kustomize', '--kustomize', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--to-revision', '--to-revision', [CompletionResultType]::ParameterName, 'The revision to restore (default: the previous one)')
            [CompletionResult]::new('--change-cause', '--change-cause', [CompletionResultType]::ParameterName, 'Recorded with the restored revision (default: this command line)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'client: print the change and send nothing; server: send it with the server''s dry run (validated and authorized, not stored). `--dry-run` alone means client')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: json (one document per target) or name (KIND/NAME lines)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: json (one document per target) or name (KIND/NAME lines)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long a single API request may take ("0" means no limit)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Read large lists in pages of this many objects, as kubectl''s --chunk-size (0: in one response)')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write even when Numaplane manages the object (a PipelineRollout or MonoVertexRollout owns it): Numaplane re-applies its spec and reverts the change within seconds, so without --force such a write is refused')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-numa;rollout;promote' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Select targets of the given kind by label (`vertex -l team=data`)')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Select targets of the given kind by label (`vertex -l team=data`)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--kustomize', '--kustomize', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Stop waiting after this long with exit code 4 (0 waits forever)')
            [CompletionResult]::new('--progress-deadline', '--progress-deadline', [CompletionResultType]::ParameterName, 'Report degraded (exit 3) when no replica moves for this long')
            [CompletionResult]::new('--bake', '--bake', [CompletionResultType]::ParameterName, 'Once the rollout is complete, keep watching its new pods this long: one failing, restarting or not ready past the tolerance fails the bake (exit 3)')
            [CompletionResult]::new('--bake-not-ready-tolerance', '--bake-not-ready-tolerance', [CompletionResultType]::ParameterName, 'How long a new pod may stay not ready during the bake before it fails it')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long a single API request may take ("0" means no limit)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Read large lists in pages of this many objects, as kubectl''s --chunk-size (0: in one response)')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--rollback-on-failure', '--rollback-on-failure', [CompletionResultType]::ParameterName, 'When a rollout turns degraded, undo it to the previous revision, wait for that, and exit 7')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write even when Numaplane manages the object (a PipelineRollout or MonoVertexRollout owns it): Numaplane re-applies its spec and reverts the change within seconds, so without --force such a write is refused')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-numa;rollout;step' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--kustomize', '--kustomize', [CompletionResultType]::ParameterName, 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)')
            [CompletionResult]::new('--pods', '--pods', [CompletionResultType]::ParameterName, 'How many more pods move to the new revision')
            [CompletionResult]::new('--percent', '--percent', [CompletionResultType]::ParameterName, 'How many more pods, as a percentage of the desired replicas (rounded up)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (exit 4), holding the target again first')
            [CompletionResult]::new('--bake', '--bake', [CompletionResultType]::ParameterName, 'Once the rollout is complete, keep watching its new pods this long: one failing, restarting or not ready past the tolerance fails the bake (exit 3)')
            [CompletionResult]::new('--bake-not-ready-tolerance', '--bake-not-ready-tolerance', [CompletionResultType]::ParameterName, 'How long a new pod may stay not ready during the bake before it fails it')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long a single API request may take ("0" means no limit)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Read large lists in pages of this many objects, as kubectl''s --chunk-size (0: in one response)')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'With -f, also read the directories inside the directories given')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the stepped pods are Ready (fails like `rollout status` on failing pods)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write even when Numaplane manages the object (a PipelineRollout or MonoVertexRollout owns it): Numaplane re-applies its spec and reverts the change within seconds, so without --force such a write is refused')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-numa;rollout;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Wait until a rollout completes; fail fast when it is broken')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show a rollout pod by pod, grouped by revision')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the rollout state of every vertex and monovertex')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Hold rollouts where they are (maxUnavailable 0), recording the previous values')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Let paused rollouts continue, restoring exactly what pause recorded')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change the update strategy or the container images')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Replace every pod, maxUnavailable at a time, waiting for each batch to be Ready')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Show the revisions kubectl numa recorded, or one revision''s spec')
            [CompletionResult]::new('undo', 'undo', [CompletionResultType]::ParameterValue, 'Roll back to a recorded revision (default: the previous one)')
            [CompletionResult]::new('promote', 'promote', [CompletionResultType]::ParameterValue, 'Resume a paused rollout and wait until it completes')
            [CompletionResult]::new('step', 'step', [CompletionResultType]::ParameterValue, 'Let exactly N more pods of a paused rollout move to the new revision, then hold again')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-numa;rollout;help;status' {
            break
        }
        'kubectl-numa;rollout;help;get' {
            break
        }
        'kubectl-numa;rollout;help;list' {
            break
        }
        'kubectl-numa;rollout;help;pause' {
            break
        }
        'kubectl-numa;rollout;help;resume' {
            break
        }
        'kubectl-numa;rollout;help;set' {
            [CompletionResult]::new('strategy', 'strategy', [CompletionResultType]::ParameterValue, 'Change maxUnavailable / maxSurge (or show them, with no value flags)')
            [CompletionResult]::new('image', 'image', [CompletionResultType]::ParameterValue, 'Change container images; this starts a rollout')
            break
        }
        'kubectl-numa;rollout;help;set;strategy' {
            break
        }
        'kubectl-numa;rollout;help;set;image' {
            break
        }
        'kubectl-numa;rollout;help;restart' {
            break
        }
        'kubectl-numa;rollout;help;history' {
            break
        }
        'kubectl-numa;rollout;help;undo' {
            break
        }
        'kubectl-numa;rollout;help;promote' {
            break
        }
        'kubectl-numa;rollout;help;step' {
            break
        }
        'kubectl-numa;rollout;help;help' {
            break
        }
        'kubectl-numa;version' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long a single API request may take ("0" means no limit)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Read large lists in pages of this many objects, as kubectl''s --chunk-size (0: in one response)')
            [CompletionResult]::new('--client', '--client', [CompletionResultType]::ParameterName, 'Print only the plugin''s version; do not contact the API server')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-numa;completion' {
            [CompletionResult]::new('--install', '--install', [CompletionResultType]::ParameterName, 'With kubectl-shim: write kubectl_complete-numa into DIR (a folder on PATH) instead of printing it')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long a single API request may take ("0" means no limit)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Read large lists in pages of this many objects, as kubectl''s --chunk-size (0: in one response)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-numa;help' {
            [CompletionResult]::new('rollout', 'rollout', [CompletionResultType]::ParameterValue, 'Manage the rollout of vertices, monovertices and pipelines')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the plugin version, its git commit, and the API server version')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script, or the helper kubectl runs to complete `kubectl numa`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-numa;help;rollout' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Wait until a rollout completes; fail fast when it is broken')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show a rollout pod by pod, grouped by revision')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the rollout state of every vertex and monovertex')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Hold rollouts where they are (maxUnavailable 0), recording the previous values')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Let paused rollouts continue, restoring exactly what pause recorded')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change the update strategy or the container images')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Replace every pod, maxUnavailable at a time, waiting for each batch to be Ready')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Show the revisions kubectl numa recorded, or one revision''s spec')
            [CompletionResult]::new('undo', 'undo', [CompletionResultType]::ParameterValue, 'Roll back to a recorded revision (default: the previous one)')
            [CompletionResult]::new('promote', 'promote', [CompletionResultType]::ParameterValue, 'Resume a paused rollout and wait until it completes')
            [CompletionResult]::new('step', 'step', [CompletionResultType]::ParameterValue, 'Let exactly N more pods of a paused rollout move to the new revision, then hold again')
            break
        }
        'kubectl-numa;help;rollout;status' {
            break
        }
        'kubectl-numa;help;rollout;get' {
            break
        }
        'kubectl-numa;help;rollout;list' {
            break
        }
        'kubectl-numa;help;rollout;pause' {
            break
        }
        'kubectl-numa;help;rollout;resume' {
            break
        }
        'kubectl-numa;help;rollout;set' {
            [CompletionResult]::new('strategy', 'strategy', [CompletionResultType]::ParameterValue, 'Change maxUnavailable / maxSurge (or show them, with no value flags)')
            [CompletionResult]::new('image', 'image', [CompletionResultType]::ParameterValue, 'Change container images; this starts a rollout')
            break
        }
        'kubectl-numa;help;rollout;set;strategy' {
            break
        }
        'kubectl-numa;help;rollout;set;image' {
            break
        }
        'kubectl-numa;help;rollout;restart' {
            break
        }
        'kubectl-numa;help;rollout;history' {
            break
        }
        'kubectl-numa;help;rollout;undo' {
            break
        }
        'kubectl-numa;help;rollout;promote' {
            break
        }
        'kubectl-numa;help;rollout;step' {
            break
        }
        'kubectl-numa;help;version' {
            break
        }
        'kubectl-numa;help;completion' {
            break
        }
        'kubectl-numa;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
