//! `kubectl numa completion SHELL`: shell completion scripts, and the helper kubectl
//! runs to complete `kubectl numa ...` (`kubectl_complete-numa`).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, ValueEnum, ValueHint};

use crate::exit::{Exit, UsageError};
use crate::generate::{self, Shell, KUBECTL_SHIM, SHIM_NAME};

/// The long description (set on the command's variant in [`crate::cli`]).
pub const LONG_ABOUT: &str = "\
Print a shell completion script, or the helper that lets kubectl complete
`kubectl numa ...`.

bash, zsh, fish and powershell print a script completing the plugin when it is run
as `kubectl-numa` (subcommands, flags and their values).

kubectl-shim prints `kubectl_complete-numa`: kubectl 1.26 and later run that
executable from PATH when you press TAB after `kubectl numa`, and this one hands the
words to the plugin, which completes subcommands, flags (including -n and --context,
which kubectl does not pass on), kinds (vertex/, mvtx/, pipeline/) and the names of
the objects in the cluster. krew installs only the plugin's binary, so install the
helper next to it with --install.";

const HELP: &str = "\
Examples:
  # Complete `kubectl numa <TAB>` (kubectl 1.26+ with its own completion loaded);
  # with krew, its bin folder is already on PATH
  kubectl numa completion kubectl-shim --install \"${KREW_ROOT:-$HOME/.krew}/bin\"

  # Complete `kubectl-numa <TAB>` in bash, now and in new shells
  source <(kubectl numa completion bash)
  kubectl numa completion bash > ~/.local/share/bash-completion/completions/kubectl-numa

  # zsh (a folder on $fpath), fish, PowerShell
  kubectl numa completion zsh > \"${fpath[1]}/_kubectl-numa\"
  kubectl numa completion fish > ~/.config/fish/completions/kubectl-numa.fish
  kubectl numa completion powershell | Out-String | Invoke-Expression

Exit codes: 0 printed or installed, 1 the helper could not be written, 2 usage.";

/// What `completion` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    /// Bash script for `kubectl-numa`.
    Bash,
    /// Zsh script for `kubectl-numa`.
    Zsh,
    /// Fish script for `kubectl-numa`.
    Fish,
    /// PowerShell script for `kubectl-numa`.
    Powershell,
    /// The `kubectl_complete-numa` helper that kubectl runs for `kubectl numa <TAB>`.
    KubectlShim,
}

/// Flags of `completion`.
#[derive(Debug, Args)]
#[command(after_help = HELP)]
pub struct CompletionArgs {
    /// The shell, or kubectl-shim for the helper kubectl runs.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: CompletionShell,
    /// With kubectl-shim: write kubectl_complete-numa into DIR (a folder on PATH)
    /// instead of printing it.
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub install: Option<PathBuf>,
}

/// Runs `completion`.
pub fn run(args: &CompletionArgs) -> Result<Exit> {
    let shell = match args.shell {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
        CompletionShell::Powershell => Shell::Powershell,
        CompletionShell::KubectlShim => {
            match &args.install {
                Some(dir) => install_shim(dir)?,
                None => std::io::stdout().write_all(KUBECTL_SHIM.as_bytes())?,
            }
            return Ok(Exit::Ok);
        }
    };
    if args.install.is_some() {
        return Err(UsageError(
            "--install works with kubectl-shim only; redirect the script of a shell to a file instead".into(),
        )
        .into());
    }
    std::io::stdout().write_all(&generate::completion_script(shell))?;
    Ok(Exit::Ok)
}

/// Writes the helper into `dir` as an executable, replacing an older one atomically.
fn install_shim(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        anyhow::bail!(
            "{} is not a folder: create it, or pass a folder on PATH (with krew: \"${{KREW_ROOT:-$HOME/.krew}}/bin\")",
            dir.display()
        );
    }
    let path = dir.join(SHIM_NAME);
    let tmp = dir.join(format!(".{SHIM_NAME}.tmp"));
    let write = || -> std::io::Result<()> {
        std::fs::write(&tmp, KUBECTL_SHIM)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755))?;
        }
        std::fs::rename(&tmp, &path)
    };
    write()
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
        .with_context(|| format!("writing {}", path.display()))?;
    println!("installed {}", path.display());
    if !on_path(dir) {
        eprintln!(
            "kubectl-numa: note: {} is not on PATH; kubectl looks for {SHIM_NAME} on PATH only",
            dir.display()
        );
    }
    Ok(())
}

fn on_path(dir: &Path) -> bool {
    let Ok(dir) = dir.canonicalize() else {
        return false;
    };
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|p| p.canonicalize().is_ok_and(|p| p == dir))
    })
}
