//! The flag groups several commands share, each defined once here and flattened into
//! the commands' arguments: the targets with `-l` ([`TargetFlags`], [`SelectorFlag`])
//! or from manifests ([`ManifestFlags`]: `-f`, `-R`, `-k`),
//! `--dry-run` ([`DryRunFlag`]), `--force` ([`ForceFlag`]), the write flags
//! ([`WriteFlags`]), and the wait for a rollout ([`WaitFlags`], [`BakeFlags`]).
//! Completion reads them from the clap definition like every other flag.

use std::time::Duration;

use anyhow::Result;
use clap::{Args, ValueHint};

use crate::api::write::Spec;
use crate::cli::parse_duration;
use crate::manifest::{self, Manifests};
use crate::rollout::bake::Bakes;
use crate::rollout::dry_run::DryRun;
use crate::target::{self, Selection};
use crate::usage::UsageError;
use crate::view::outcome::WriteOutput;

/// `-l SELECTOR`: the targets of a kind chosen by label.
#[derive(Debug, Clone, Default, Args)]
pub struct SelectorFlag {
    /// Select targets of the given kind by label (`vertex -l team=data`).
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,
}

/// `-f`, `-R`, `-k`: the targets are the Pipelines, MonoVertices and Vertices of
/// manifests, as `kubectl rollout -f` takes them.
#[derive(Debug, Clone, Default, Args)]
pub struct ManifestFlags {
    /// Targets from manifests: a file, a directory of .yaml/.yml/.json files, or - for
    /// stdin (repeatable). Every Pipeline, MonoVertex and Vertex in them is a target, in
    /// the namespace its metadata names (else -n); other kinds are skipped.
    #[arg(short = 'f', long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub filename: Vec<String>,
    /// With -f, also read the directories inside the directories given.
    #[arg(short = 'R', long, requires = "filename")]
    pub recursive: bool,
    /// Targets from a kustomization directory, rendered by `kubectl kustomize DIR`
    /// (kubectl must be on PATH).
    #[arg(short = 'k', long, value_name = "DIR", value_hint = ValueHint::DirPath, conflicts_with = "filename")]
    pub kustomize: Option<String>,
}

/// What a command acts on, and the manifests it was read from (with `-f` or `-k`).
#[derive(Debug, Clone)]
pub struct Chosen {
    /// The targets.
    pub selection: Selection,
    /// The manifests, with `-f` or `-k`.
    pub manifests: Option<Manifests>,
}

impl ManifestFlags {
    /// The targets, found before any request: with `-f` or `-k` every Numaflow workload
    /// of the manifests (the objects of other kinds are counted on stderr), and then
    /// `words` (KIND/NAME...) or a `selector` are a usage error; without them `words`
    /// and `selector` parsed by [`target::parse`].
    pub fn choose(&self, words: &[String], selector: Option<&str>) -> Result<Chosen> {
        if self.filename.is_empty() && self.kustomize.is_none() {
            let selection = target::parse(words, selector)?;
            return Ok(Chosen {
                selection,
                manifests: None,
            });
        }
        let flag = if self.kustomize.is_some() { "-k" } else { "-f" };
        if let Some(w) = words.first() {
            return Err(UsageError(format!(
                "{w:?}: {flag} names the targets already; give no KIND/NAME with it"
            ))
            .into());
        }
        if selector.is_some() {
            return Err(UsageError(format!(
                "{flag} names the targets already; give no -l/--selector with it"
            ))
            .into());
        }
        let manifests =
            manifest::read::read(&self.filename, self.recursive, self.kustomize.as_deref())?;
        if let Some(line) = manifests.skipped_line() {
            eprintln!("{line}");
        }
        Ok(Chosen {
            selection: Selection::Placed(manifests.placed()),
            manifests: Some(manifests),
        })
    }
}

/// The targets of a command: KIND/NAME..., KIND NAME..., KIND with `-l`, or `-f`/`-k`
/// manifests.
#[derive(Debug, Clone, Default, Args)]
pub struct TargetFlags {
    /// KIND/NAME... (vertex/p-cat, mvtx/m, pipeline/p), KIND NAME..., or KIND -l SELECTOR.
    #[arg(value_name = "TARGET")]
    pub targets: Vec<String>,
    /// `-l`.
    #[command(flatten)]
    pub select: SelectorFlag,
    /// `-f`, `-R`, `-k`.
    #[command(flatten)]
    pub manifests: ManifestFlags,
}

impl TargetFlags {
    /// The targets and their manifests, checked before any request (a usage error
    /// otherwise).
    pub fn choose(&self) -> Result<Chosen> {
        self.manifests
            .choose(&self.targets, self.select.selector.as_deref())
    }

    /// The targets, checked before any request (a usage error otherwise).
    pub fn selection(&self) -> Result<Selection> {
        Ok(self.choose()?.selection)
    }
}

/// `--dry-run[=client|server]`, the same in every command that writes.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct DryRunFlag {
    /// client: print the change and send nothing; server: send it with the server's
    /// dry run (validated and authorized, not stored). `--dry-run` alone means client.
    #[arg(
        id = "dry_run",
        long = "dry-run",
        value_enum,
        value_name = "MODE",
        default_value = "none",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "client"
    )]
    pub mode: DryRun,
}

/// `--force`, the same in every command that writes a spec.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct ForceFlag {
    /// Write even when Numaplane manages the object (a PipelineRollout or
    /// MonoVertexRollout owns it): Numaplane re-applies its spec and reverts the change
    /// within seconds, so without --force such a write is refused.
    #[arg(long)]
    pub force: bool,
}

impl ForceFlag {
    /// What a spec write asked with this flag is, for [`crate::api::write::write`].
    pub fn spec(self) -> Spec {
        Spec::User { forced: self.force }
    }
}

/// The flags of a write besides its targets: `pause`, `resume`, `set` and `undo` take
/// them all; `promote` sets `--force` for its resume.
#[derive(Debug, Clone, Default, Args)]
pub struct WriteFlags {
    /// `--dry-run`.
    #[command(flatten)]
    pub dry_run: DryRunFlag,
    /// `--force`.
    #[command(flatten)]
    pub force: ForceFlag,
    /// Output format: json (one document per target) or name (KIND/NAME lines).
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<WriteOutput>,
}

/// The flags of a wait for a rollout, shared by `status` and `promote`.
#[derive(Debug, Clone, Args)]
pub struct WaitFlags {
    /// Stop waiting after this long with exit code 4 (0 waits forever).
    #[arg(long, default_value = "0s", value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Duration,
    /// Report degraded (exit 3) when no replica moves for this long.
    #[arg(long, default_value = "10m", value_parser = parse_duration, value_name = "DURATION")]
    pub progress_deadline: Duration,
    /// When a rollout turns degraded, undo it to the previous revision, wait for that, and exit 7.
    #[arg(long)]
    pub rollback_on_failure: bool,
    /// `--force` (for the rollback, and promote's resume).
    #[command(flatten)]
    pub force: ForceFlag,
    /// `--bake`.
    #[command(flatten)]
    pub bake: BakeFlags,
}

/// The flags of a bake, shared by `status`, `promote` and `step --wait`.
#[derive(Debug, Clone, Args)]
pub struct BakeFlags {
    /// Once the rollout is complete, keep watching its new pods this long: one failing, restarting or not ready past the tolerance fails the bake (exit 3).
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub bake: Option<Duration>,
    /// How long a new pod may stay not ready during the bake before it fails it.
    #[arg(long, default_value = "30s", value_parser = parse_duration, value_name = "DURATION", requires = "bake")]
    pub bake_not_ready_tolerance: Duration,
}

impl BakeFlags {
    /// The bakes of `targets` targets, when `--bake` was given.
    pub fn bakes(&self, targets: usize) -> Option<Bakes> {
        self.bake
            .map(|d| Bakes::new(d, self.bake_not_ready_tolerance, targets))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::parse_line;
    use crate::exit::{exit_for, Exit};

    #[test]
    fn manifests_and_named_targets_do_not_mix() {
        // (command line, the usage error) — found before any file is read.
        let table: &[(&str, &str)] = &[
            (
                "-f deploy/ pipeline/p",
                "\"pipeline/p\": -f names the targets already; give no KIND/NAME with it",
            ),
            (
                "-k overlay vertex p-cat",
                "\"vertex\": -k names the targets already; give no KIND/NAME with it",
            ),
            (
                "-f deploy/ -l app=x",
                "-f names the targets already; give no -l/--selector with it",
            ),
        ];
        for (line, want) in table {
            let flags: TargetFlags = parse_line(line);
            let err = flags.choose().unwrap_err();
            assert_eq!(exit_for(&err), Exit::Usage, "{line}");
            assert_eq!(err.to_string(), *want, "{line}");
        }
        let named: TargetFlags = parse_line("pipeline/p");
        assert!(named.choose().unwrap().manifests.is_none());
    }

    #[test]
    fn recursive_needs_filename_and_kustomize_excludes_it() {
        for line in ["-R pipeline/p", "-f a.yaml -k dir"] {
            let cmd = TargetFlags::augment_args(clap::Command::new("test"));
            let words = std::iter::once("test").chain(line.split(' '));
            assert!(cmd.try_get_matches_from(words).is_err(), "{line}");
        }
    }
}
