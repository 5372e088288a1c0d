# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubectl_numa_global_optspecs
    string join \n kubeconfig= context= n/namespace= request-timeout= v/v= chunk-size= h/help V/version
end

function __fish_kubectl_numa_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubectl_numa_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubectl_numa_using_subcommand
    set -l cmd (__fish_kubectl_numa_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubectl-numa -n "__fish_kubectl_numa_needs_command" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_needs_command" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_needs_command" -s n -l namespace -d 'Namespace (default: the context\'s namespace, else "default")' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_needs_command" -l request-timeout -d 'How long a single API request may take ("0" means no limit)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_needs_command" -s v -l v -d 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_needs_command" -l chunk-size -d 'Read large lists in pages of this many objects, as kubectl\'s --chunk-size (0: in one response)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-numa -n "__fish_kubectl_numa_needs_command" -s V -l version -d 'Print version'
complete -c kubectl-numa -n "__fish_kubectl_numa_needs_command" -f -a "rollout" -d 'Manage the rollout of vertices, monovertices and pipelines'
complete -c kubectl-numa -n "__fish_kubectl_numa_needs_command" -f -a "version" -d 'Print the plugin version, its git commit, and the API server version'
complete -c kubectl-numa -n "__fish_kubectl_numa_needs_command" -f -a "completion" -d 'Print a shell completion script, or the helper kubectl runs to complete `kubectl numa`'
complete -c kubectl-numa -n "__fish_kubectl_numa_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -s n -l namespace -d 'Namespace (default: the context\'s namespace, else "default")' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -l request-timeout -d 'How long a single API request may take ("0" means no limit)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -s v -l v -d 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -l chunk-size -d 'Read large lists in pages of this many objects, as kubectl\'s --chunk-size (0: in one response)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -s V -l version -d 'Print version'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -f -a "status" -d 'Wait until a rollout completes; fail fast when it is broken'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -f -a "get" -d 'Show a rollout pod by pod, grouped by revision'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -f -a "list" -d 'List the rollout state of every vertex and monovertex'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -f -a "pause" -d 'Hold rollouts where they are (maxUnavailable 0), recording the previous values'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -f -a "resume" -d 'Let paused rollouts continue, restoring exactly what pause recorded'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -f -a "set" -d 'Change the update strategy or the container images'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -f -a "restart" -d 'Replace every pod, maxUnavailable at a time, waiting for each batch to be Ready'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -f -a "history" -d 'Show the revisions kubectl numa recorded, or one revision\'s spec'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -f -a "undo" -d 'Roll back to a recorded revision (default: the previous one)'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -f -a "promote" -d 'Resume a paused rollout and wait until it completes'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -f -a "step" -d 'Let exactly N more pods of a paused rollout move to the new revision, then hold again'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and not __fish_seen_subcommand_from status get list pause resume set restart history undo promote step help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -s l -l selector -d 'Select targets of the given kind by label (`vertex -l team=data`)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -s f -l filename -d 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -s k -l kustomize -d 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)' -r -f -a "(__fish_complete_directories)"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -s w -l watch -d 'Wait for the rollout to finish; --watch=false prints the current state once' -r -f -a "true\t''
false\t''"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -l timeout -d 'Stop waiting after this long with exit code 4 (0 waits forever)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -l progress-deadline -d 'Report degraded (exit 3) when no replica moves for this long' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -l bake -d 'Once the rollout is complete, keep watching its new pods this long: one failing, restarting or not ready past the tolerance fails the bake (exit 3)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -l bake-not-ready-tolerance -d 'How long a new pod may stay not ready during the bake before it fails it' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format: json prints one document per target when done' -r -f -a "json\t'JSON: one document per target'"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -s n -l namespace -d 'Namespace (default: the context\'s namespace, else "default")' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -l request-timeout -d 'How long a single API request may take ("0" means no limit)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -s v -l v -d 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -l chunk-size -d 'Read large lists in pages of this many objects, as kubectl\'s --chunk-size (0: in one response)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -s R -l recursive -d 'With -f, also read the directories inside the directories given'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -l require-applied -d 'With -f or -k: fail (exit 1) before waiting when a manifest sets a field the live spec does not hold, instead of a warning'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -l rollback-on-failure -d 'When a rollout turns degraded, undo it to the previous revision, wait for that, and exit 7'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -l force -d 'Write even when Numaplane manages the object (a PipelineRollout or MonoVertexRollout owns it): Numaplane re-applies its spec and reverts the change within seconds, so without --force such a write is refused'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from get" -s f -l filename -d 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from get" -s k -l kustomize -d 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)' -r -f -a "(__fish_complete_directories)"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from get" -s o -l output -d 'Output format: json (with pods)' -r -f -a "json\t'JSON: one document per target'"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from get" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from get" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from get" -s n -l namespace -d 'Namespace (default: the context\'s namespace, else "default")' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from get" -l request-timeout -d 'How long a single API request may take ("0" means no limit)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from get" -s v -l v -d 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from get" -l chunk-size -d 'Read large lists in pages of this many objects, as kubectl\'s --chunk-size (0: in one response)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from get" -s R -l recursive -d 'With -f, also read the directories inside the directories given'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from get" -s w -l watch -d 'Keep the view open and redraw it when anything changes'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from list" -s l -l selector -d 'Only vertices and monovertices whose labels match' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: wide, json, or name' -r -f -a "json\t'JSON: one document per target'
name\t'`kind/name` lines'
wide\t'The table with more columns (`list` only)'"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from list" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from list" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from list" -s n -l namespace -d 'Namespace (default: the context\'s namespace, else "default")' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from list" -l request-timeout -d 'How long a single API request may take ("0" means no limit)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from list" -s v -l v -d 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from list" -l chunk-size -d 'Read large lists in pages of this many objects, as kubectl\'s --chunk-size (0: in one response)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from list" -s A -l all-namespaces -d 'List in every namespace'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from pause" -s l -l selector -d 'Select targets of the given kind by label (`vertex -l team=data`)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from pause" -s f -l filename -d 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from pause" -s k -l kustomize -d 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)' -r -f -a "(__fish_complete_directories)"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from pause" -l dry-run -d 'client: print the change and send nothing; server: send it with the server\'s dry run (validated and authorized, not stored). `--dry-run` alone means client' -r -f -a "none\t'Write for real'
client\t'Compute and print the change; send nothing'
server\t'Send the change with the server\'s dry run: validated and authorized, not stored'"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from pause" -s o -l output -d 'Output format: json (one document per target) or name (KIND/NAME lines)' -r -f -a "json\t'One JSON document per target (described in the README)'
name\t'`kind/name` lines'"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from pause" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from pause" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from pause" -s n -l namespace -d 'Namespace (default: the context\'s namespace, else "default")' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from pause" -l request-timeout -d 'How long a single API request may take ("0" means no limit)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from pause" -s v -l v -d 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from pause" -l chunk-size -d 'Read large lists in pages of this many objects, as kubectl\'s --chunk-size (0: in one response)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from pause" -s R -l recursive -d 'With -f, also read the directories inside the directories given'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from pause" -l force -d 'Write even when Numaplane manages the object (a PipelineRollout or MonoVertexRollout owns it): Numaplane re-applies its spec and reverts the change within seconds, so without --force such a write is refused'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from pause" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from pause" -s V -l version -d 'Print version'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from resume" -s l -l selector -d 'Select targets of the given kind by label (`vertex -l team=data`)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from resume" -s f -l filename -d 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from resume" -s k -l kustomize -d 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)' -r -f -a "(__fish_complete_directories)"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from resume" -l dry-run -d 'client: print the change and send nothing; server: send it with the server\'s dry run (validated and authorized, not stored). `--dry-run` alone means client' -r -f -a "none\t'Write for real'
client\t'Compute and print the change; send nothing'
server\t'Send the change with the server\'s dry run: validated and authorized, not stored'"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from resume" -s o -l output -d 'Output format: json (one document per target) or name (KIND/NAME lines)' -r -f -a "json\t'One JSON document per target (described in the README)'
name\t'`kind/name` lines'"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from resume" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from resume" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from resume" -s n -l namespace -d 'Namespace (default: the context\'s namespace, else "default")' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from resume" -l request-timeout -d 'How long a single API request may take ("0" means no limit)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from resume" -s v -l v -d 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from resume" -l chunk-size -d 'Read large lists in pages of this many objects, as kubectl\'s --chunk-size (0: in one response)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from resume" -s R -l recursive -d 'With -f, also read the directories inside the directories given'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from resume" -l force -d 'Write even when Numaplane manages the object (a PipelineRollout or MonoVertexRollout owns it): Numaplane re-applies its spec and reverts the change within seconds, so without --force such a write is refused'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from resume" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from resume" -s V -l version -d 'Print version'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from set" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from set" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from set" -s n -l namespace -d 'Namespace (default: the context\'s namespace, else "default")' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from set" -l request-timeout -d 'How long a single API request may take ("0" means no limit)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from set" -s v -l v -d 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from set" -l chunk-size -d 'Read large lists in pages of this many objects, as kubectl\'s --chunk-size (0: in one response)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from set" -f -a "strategy" -d 'Change maxUnavailable / maxSurge (or show them, with no value flags)'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from set" -f -a "image" -d 'Change container images; this starts a rollout'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from set" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from restart" -s l -l selector -d 'Select targets of the given kind by label (`vertex -l team=data`)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from restart" -s f -l filename -d 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from restart" -s k -l kustomize -d 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)' -r -f -a "(__fish_complete_directories)"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from restart" -l timeout -d 'Stop (exit 4) when a batch\'s replacements are not Ready within this long' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from restart" -l dry-run -d 'client: print the change and send nothing; server: send it with the server\'s dry run (validated and authorized, not stored). `--dry-run` alone means client' -r -f -a "none\t'Write for real'
client\t'Compute and print the change; send nothing'
server\t'Send the change with the server\'s dry run: validated and authorized, not stored'"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from restart" -s o -l output -d 'Output format: json (one document per target at the end) or name' -r -f -a "json\t'One JSON document per target (described in the README)'
name\t'`kind/name` lines'"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from restart" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from restart" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from restart" -s n -l namespace -d 'Namespace (default: the context\'s namespace, else "default")' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from restart" -l request-timeout -d 'How long a single API request may take ("0" means no limit)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from restart" -s v -l v -d 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from restart" -l chunk-size -d 'Read large lists in pages of this many objects, as kubectl\'s --chunk-size (0: in one response)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from restart" -s R -l recursive -d 'With -f, also read the directories inside the directories given'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from restart" -l force -d 'Restart even while a rollout is in progress, failing or paused'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from restart" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from restart" -s V -l version -d 'Print version'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from history" -s f -l filename -d 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from history" -s k -l kustomize -d 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)' -r -f -a "(__fish_complete_directories)"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from history" -l revision -d 'Print the stored spec of this revision' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from history" -l change-cause -d 'The change cause to record with --record (default: the object\'s kubernetes.io/change-cause annotation, else this command line)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from history" -s o -l output -d 'Output format: json' -r -f -a "json\t'JSON: one document per target'"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from history" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from history" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from history" -s n -l namespace -d 'Namespace (default: the context\'s namespace, else "default")' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from history" -l request-timeout -d 'How long a single API request may take ("0" means no limit)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from history" -s v -l v -d 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from history" -l chunk-size -d 'Read large lists in pages of this many objects, as kubectl\'s --chunk-size (0: in one response)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from history" -s R -l recursive -d 'With -f, also read the directories inside the directories given'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from history" -l record -d 'Record the current spec as a revision now'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from history" -s V -l version -d 'Print version'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from undo" -s f -l filename -d 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from undo" -s k -l kustomize -d 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)' -r -f -a "(__fish_complete_directories)"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from undo" -l to-revision -d 'The revision to restore (default: the previous one)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from undo" -l change-cause -d 'Recorded with the restored revision (default: this command line)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from undo" -l dry-run -d 'client: print the change and send nothing; server: send it with the server\'s dry run (validated and authorized, not stored). `--dry-run` alone means client' -r -f -a "none\t'Write for real'
client\t'Compute and print the change; send nothing'
server\t'Send the change with the server\'s dry run: validated and authorized, not stored'"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from undo" -s o -l output -d 'Output format: json (one document per target) or name (KIND/NAME lines)' -r -f -a "json\t'One JSON document per target (described in the README)'
name\t'`kind/name` lines'"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from undo" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from undo" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from undo" -s n -l namespace -d 'Namespace (default: the context\'s namespace, else "default")' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from undo" -l request-timeout -d 'How long a single API request may take ("0" means no limit)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from undo" -s v -l v -d 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from undo" -l chunk-size -d 'Read large lists in pages of this many objects, as kubectl\'s --chunk-size (0: in one response)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from undo" -s R -l recursive -d 'With -f, also read the directories inside the directories given'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from undo" -l force -d 'Write even when Numaplane manages the object (a PipelineRollout or MonoVertexRollout owns it): Numaplane re-applies its spec and reverts the change within seconds, so without --force such a write is refused'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from undo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from undo" -s V -l version -d 'Print version'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from promote" -s l -l selector -d 'Select targets of the given kind by label (`vertex -l team=data`)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from promote" -s f -l filename -d 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from promote" -s k -l kustomize -d 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)' -r -f -a "(__fish_complete_directories)"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from promote" -l timeout -d 'Stop waiting after this long with exit code 4 (0 waits forever)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from promote" -l progress-deadline -d 'Report degraded (exit 3) when no replica moves for this long' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from promote" -l bake -d 'Once the rollout is complete, keep watching its new pods this long: one failing, restarting or not ready past the tolerance fails the bake (exit 3)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from promote" -l bake-not-ready-tolerance -d 'How long a new pod may stay not ready during the bake before it fails it' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from promote" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from promote" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from promote" -s n -l namespace -d 'Namespace (default: the context\'s namespace, else "default")' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from promote" -l request-timeout -d 'How long a single API request may take ("0" means no limit)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from promote" -s v -l v -d 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from promote" -l chunk-size -d 'Read large lists in pages of this many objects, as kubectl\'s --chunk-size (0: in one response)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from promote" -s R -l recursive -d 'With -f, also read the directories inside the directories given'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from promote" -l rollback-on-failure -d 'When a rollout turns degraded, undo it to the previous revision, wait for that, and exit 7'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from promote" -l force -d 'Write even when Numaplane manages the object (a PipelineRollout or MonoVertexRollout owns it): Numaplane re-applies its spec and reverts the change within seconds, so without --force such a write is refused'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from promote" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from promote" -s V -l version -d 'Print version'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from step" -s f -l filename -d 'Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in the namespace its metadata names (else -n); other kinds are skipped' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from step" -s k -l kustomize -d 'Targets from a kustomization directory, rendered by `kubectl kustomize DIR` (kubectl must be on PATH)' -r -f -a "(__fish_complete_directories)"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from step" -l pods -d 'How many more pods move to the new revision' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from step" -l percent -d 'How many more pods, as a percentage of the desired replicas (rounded up)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from step" -l timeout -d 'Give up after this long (exit 4), holding the target again first' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from step" -l bake -d 'Once the rollout is complete, keep watching its new pods this long: one failing, restarting or not ready past the tolerance fails the bake (exit 3)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from step" -l bake-not-ready-tolerance -d 'How long a new pod may stay not ready during the bake before it fails it' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from step" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from step" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from step" -s n -l namespace -d 'Namespace (default: the context\'s namespace, else "default")' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from step" -l request-timeout -d 'How long a single API request may take ("0" means no limit)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from step" -s v -l v -d 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from step" -l chunk-size -d 'Read large lists in pages of this many objects, as kubectl\'s --chunk-size (0: in one response)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from step" -s R -l recursive -d 'With -f, also read the directories inside the directories given'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from step" -l wait -d 'Wait until the stepped pods are Ready (fails like `rollout status` on failing pods)'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from step" -l force -d 'Write even when Numaplane manages the object (a PipelineRollout or MonoVertexRollout owns it): Numaplane re-applies its spec and reverts the change within seconds, so without --force such a write is refused'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from step" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from step" -s V -l version -d 'Print version'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "status" -d 'Wait until a rollout completes; fail fast when it is broken'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "get" -d 'Show a rollout pod by pod, grouped by revision'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the rollout state of every vertex and monovertex'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "pause" -d 'Hold rollouts where they are (maxUnavailable 0), recording the previous values'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "resume" -d 'Let paused rollouts continue, restoring exactly what pause recorded'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change the update strategy or the container images'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "restart" -d 'Replace every pod, maxUnavailable at a time, waiting for each batch to be Ready'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "history" -d 'Show the revisions kubectl numa recorded, or one revision\'s spec'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "undo" -d 'Roll back to a recorded revision (default: the previous one)'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "promote" -d 'Resume a paused rollout and wait until it completes'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "step" -d 'Let exactly N more pods of a paused rollout move to the new revision, then hold again'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand version" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand version" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand version" -s n -l namespace -d 'Namespace (default: the context\'s namespace, else "default")' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand version" -l request-timeout -d 'How long a single API request may take ("0" means no limit)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand version" -s v -l v -d 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand version" -l chunk-size -d 'Read large lists in pages of this many objects, as kubectl\'s --chunk-size (0: in one response)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand version" -l client -d 'Print only the plugin\'s version; do not contact the API server'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand version" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand version" -s V -l version -d 'Print version'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand completion" -l install -d 'With kubectl-shim: write kubectl_complete-numa into DIR (a folder on PATH) instead of printing it' -r -f -a "(__fish_complete_directories)"
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand completion" -l kubeconfig -d 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)' -r -F
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand completion" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand completion" -s n -l namespace -d 'Namespace (default: the context\'s namespace, else "default")' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand completion" -l request-timeout -d 'How long a single API request may take ("0" means no limit)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand completion" -s v -l v -d 'Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every API request with status and latency (credentials are never logged)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand completion" -l chunk-size -d 'Read large lists in pages of this many objects, as kubectl\'s --chunk-size (0: in one response)' -r
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand completion" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand completion" -s V -l version -d 'Print version'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand help; and not __fish_seen_subcommand_from rollout version completion help" -f -a "rollout" -d 'Manage the rollout of vertices, monovertices and pipelines'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand help; and not __fish_seen_subcommand_from rollout version completion help" -f -a "version" -d 'Print the plugin version, its git commit, and the API server version'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand help; and not __fish_seen_subcommand_from rollout version completion help" -f -a "completion" -d 'Print a shell completion script, or the helper kubectl runs to complete `kubectl numa`'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand help; and not __fish_seen_subcommand_from rollout version completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "status" -d 'Wait until a rollout completes; fail fast when it is broken'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "get" -d 'Show a rollout pod by pod, grouped by revision'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "list" -d 'List the rollout state of every vertex and monovertex'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "pause" -d 'Hold rollouts where they are (maxUnavailable 0), recording the previous values'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "resume" -d 'Let paused rollouts continue, restoring exactly what pause recorded'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "set" -d 'Change the update strategy or the container images'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "restart" -d 'Replace every pod, maxUnavailable at a time, waiting for each batch to be Ready'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "history" -d 'Show the revisions kubectl numa recorded, or one revision\'s spec'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "undo" -d 'Roll back to a recorded revision (default: the previous one)'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "promote" -d 'Resume a paused rollout and wait until it completes'
complete -c kubectl-numa -n "__fish_kubectl_numa_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "step" -d 'Let exactly N more pods of a paused rollout move to the new revision, then hold again'
