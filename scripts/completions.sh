#!/usr/bin/env bash
# Regenerates the committed completion scripts under completions/ from the clap
# definition (run it after adding or changing a command or flag; tests/completion.rs
# fails while they are stale):
#   completions/kubectl-numa.bash   bash      completions/kubectl-numa.fish  fish
#   completions/_kubectl-numa       zsh       completions/kubectl-numa.ps1   PowerShell
#   completions/kubectl_complete-numa        the helper kubectl 1.26+ runs for `kubectl numa <TAB>`
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build -q --bin kubectl-numa
bin=target/debug/kubectl-numa
mkdir -p completions
"$bin" completion bash >completions/kubectl-numa.bash
"$bin" completion zsh >completions/_kubectl-numa
"$bin" completion fish >completions/kubectl-numa.fish
"$bin" completion powershell >completions/kubectl-numa.ps1
"$bin" completion kubectl-shim >completions/kubectl_complete-numa
chmod +x completions/kubectl_complete-numa
echo "completions/ regenerated: $(ls completions | tr '\n' ' ')"
