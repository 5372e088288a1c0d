//! Completion of `kubectl numa ...` the way kubectl 1.26+ asks for it: kubectl runs
//! `kubectl_complete-numa WORD...` (the words after `numa`, the last one being
//! completed), which runs `kubectl-numa __complete WORD...`; it prints one candidate
//! per line (`value<TAB>description`) and a final `:<directive>` line (cobra's
//! ShellCompDirective bits, see [`directive`]).
//!
//! [`plan`] decides from the words alone, by walking the clap definition (so every
//! command, subcommand and flag is completed as soon as it exists), what to offer:
//! subcommands, flags, flag values, target kinds (`vertex/`, `mvtx/`, `pipeline/`),
//! or names that must be read ([`Lookup`]). [`cluster`] reads those names with the
//! `--kubeconfig`, `--context` and `-n` found among the words; a failed read yields no
//! names, never an error, because a completion must never print one.

pub mod cluster;

use std::io::Write;
use std::process::ExitCode;

use clap::builder::PossibleValue;
use clap::{Arg, Command, CommandFactory, ValueHint};

use crate::target::Kind;

/// cobra's ShellCompDirective bits, which kubectl passes on to the shell.
pub mod directive {
    /// Let the shell complete file names after the candidates.
    pub const DEFAULT: u8 = 0;
    /// Do not add a space after the completed word (for `vertex/`).
    pub const NO_SPACE: u8 = 2;
    /// Do not fall back to file names.
    pub const NO_FILE_COMP: u8 = 4;
    /// Complete file names with the extensions given as candidates (and directories).
    pub const FILTER_FILE_EXT: u8 = 8;
    /// Complete directory names only.
    pub const FILTER_DIRS: u8 = 16;
}

/// The extensions `-f` completes, as kubectl's `-f` does.
const MANIFEST_EXTENSIONS: [&str; 3] = ["json", "yaml", "yml"];

/// One completion candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// What replaces the word being completed.
    pub value: String,
    /// A one-line description (may be empty).
    pub help: String,
}

impl Candidate {
    fn new(value: impl Into<String>, help: impl Into<String>) -> Self {
        Candidate {
            value: value.into(),
            help: help.into(),
        }
    }
}

/// The connection flags found among the words, for the reads a [`Lookup`] needs.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Connection {
    /// `--kubeconfig`.
    pub kubeconfig: Option<String>,
    /// `--context`.
    pub context: Option<String>,
    /// `-n` / `--namespace`.
    pub namespace: Option<String>,
    /// `--request-timeout`.
    pub request_timeout: Option<String>,
}

/// Names that have to be read before the candidates are known. Each candidate is
/// `prefix` followed by a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Objects of a kind in the namespace of the words (or the context's).
    Objects {
        /// The kind.
        kind: Kind,
        /// `vertex/` (as the user spelled the kind) or empty in the `KIND NAME` form.
        prefix: String,
    },
    /// Namespaces (for `-n`).
    Namespaces {
        /// `--namespace=` or empty.
        prefix: String,
    },
    /// The kubeconfig's contexts (for `--context`).
    Contexts {
        /// `--context=` or empty.
        prefix: String,
    },
}

/// What to offer for the last word, decided without I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The word being completed.
    pub word: String,
    /// Candidates known from the definition alone.
    pub candidates: Vec<Candidate>,
    /// Names to read, if any.
    pub lookup: Option<Lookup>,
    /// The directive bits.
    pub directive: u8,
    /// Connection flags among the words.
    pub connection: Connection,
}

impl Plan {
    fn new(word: &str, connection: Connection) -> Self {
        Plan {
            word: word.to_string(),
            candidates: Vec::new(),
            lookup: None,
            directive: directive::NO_FILE_COMP,
            connection,
        }
    }

    /// The candidates, with the names read for [`Plan::lookup`] added, keeping only
    /// those that start with the word being completed.
    pub fn finish(self, names: &[String]) -> (Vec<Candidate>, u8) {
        let mut all = self.candidates;
        if let Some(lookup) = &self.lookup {
            let prefix = match lookup {
                Lookup::Objects { prefix, .. }
                | Lookup::Namespaces { prefix }
                | Lookup::Contexts { prefix } => prefix,
            };
            all.extend(
                names
                    .iter()
                    .map(|n| Candidate::new(format!("{prefix}{n}"), "")),
            );
        }
        // Extensions to filter file names by are no completions of the word.
        if self.directive & directive::FILTER_FILE_EXT == 0 {
            all.retain(|c| c.value.starts_with(&self.word));
        }
        (all, self.directive)
    }
}

/// Renders candidates and the directive the way kubectl reads them.
pub fn render(candidates: &[Candidate], directive: u8) -> String {
    let mut out = String::new();
    for c in candidates {
        out.push_str(&c.value);
        let help = one_line(&c.help);
        if !help.is_empty() {
            out.push('\t');
            out.push_str(&help);
        }
        out.push('\n');
    }
    out.push_str(&format!(":{directive}\n"));
    out
}

fn one_line(s: &str) -> String {
    s.lines()
        .next()
        .unwrap_or("")
        .replace('\t', " ")
        .trim()
        .trim_end_matches('.')
        .to_string()
}

/// Decides what to offer for the last of `words` (the words after `kubectl numa`),
/// walking `root`, which must be built (`Command::build`) so that global flags are
/// known to every subcommand.
pub fn plan(root: &Command, words: &[String]) -> Plan {
    let (word, done) = match words.split_last() {
        Some((last, done)) => (last.as_str(), done),
        None => ("", &[][..]),
    };
    let mut cmd = root;
    let mut positionals: Vec<&str> = Vec::new();
    let mut pending: Option<&Arg> = None;
    let mut dashdash = false;
    let mut conn = Connection::default();

    for w in done {
        if let Some(arg) = pending.take() {
            record(&mut conn, arg, w);
            continue;
        }
        if dashdash {
            positionals.push(w);
            continue;
        }
        if w == "--" {
            dashdash = true;
        } else if let Some(long) = w.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (long, None),
            };
            if let Some(arg) = find_long(cmd, name) {
                match value {
                    Some(v) => record(&mut conn, arg, v),
                    None if needs_value(arg) => pending = Some(arg),
                    None => {}
                }
            }
        } else if let Some(shorts) = w.strip_prefix('-').filter(|s| !s.is_empty()) {
            for (i, c) in shorts.char_indices() {
                let Some(arg) = find_short(cmd, c) else {
                    continue;
                };
                if takes_value(arg) {
                    let rest = &shorts[i + c.len_utf8()..];
                    let rest = rest.strip_prefix('=').unwrap_or(rest);
                    if !rest.is_empty() {
                        record(&mut conn, arg, rest);
                    } else if needs_value(arg) {
                        pending = Some(arg);
                    }
                    break;
                }
            }
        } else if let Some(sub) = positionals
            .is_empty()
            .then(|| cmd.find_subcommand(w))
            .flatten()
        {
            cmd = sub;
        } else {
            positionals.push(w);
        }
    }

    let mut plan = Plan::new(word, conn);
    if let Some(arg) = pending {
        values(&mut plan, arg, "");
        return plan;
    }
    if !dashdash && word.starts_with('-') {
        if let Some((name, _)) = word
            .strip_prefix("--")
            .and_then(|long| long.split_once('='))
        {
            if let Some(arg) = find_long(cmd, name).filter(|a| takes_value(a)) {
                values(&mut plan, arg, &format!("--{name}="));
            }
            return plan;
        }
        plan.candidates = flags(cmd);
        return plan;
    }
    if cmd.has_subcommands() && positionals.is_empty() {
        plan.candidates = cmd
            .get_subcommands()
            .filter(|s| !s.is_hide_set())
            .map(|s| Candidate::new(s.get_name(), about(s)))
            .collect();
        return plan;
    }
    let Some(arg) = positional(cmd, positionals.len()) else {
        return plan;
    };
    let is_target = arg
        .get_value_names()
        .is_some_and(|names| names.iter().any(|n| n.as_str().starts_with("TARGET")));
    if is_target {
        targets(&mut plan, &positionals);
    } else {
        values(&mut plan, arg, "");
    }
    plan
}

fn about(cmd: &Command) -> String {
    cmd.get_about().map(|s| s.to_string()).unwrap_or_default()
}

fn help(arg: &Arg) -> String {
    arg.get_help().map(|s| s.to_string()).unwrap_or_default()
}

fn takes_value(arg: &Arg) -> bool {
    arg.get_action().takes_values()
}

/// True when the flag's value is the next word (false for `--watch[=BOOL]`).
fn needs_value(arg: &Arg) -> bool {
    takes_value(arg) && arg.get_num_args().is_none_or(|r| r.min_values() > 0)
}

fn find_long<'a>(cmd: &'a Command, name: &str) -> Option<&'a Arg> {
    cmd.get_arguments().find(|a| {
        a.get_long() == Some(name)
            || a.get_all_aliases()
                .is_some_and(|aliases| aliases.contains(&name))
    })
}

fn find_short(cmd: &Command, c: char) -> Option<&Arg> {
    cmd.get_arguments().find(|a| {
        a.get_short() == Some(c)
            || a.get_all_short_aliases()
                .is_some_and(|aliases| aliases.contains(&c))
    })
}

fn record(conn: &mut Connection, arg: &Arg, value: &str) {
    let slot = match arg.get_id().as_str() {
        "kubeconfig" => &mut conn.kubeconfig,
        "context" => &mut conn.context,
        "namespace" => &mut conn.namespace,
        "request_timeout" => &mut conn.request_timeout,
        _ => return,
    };
    *slot = Some(value.to_string());
}

/// The flags of `cmd` (its own and the global ones), long and short.
fn flags(cmd: &Command) -> Vec<Candidate> {
    let mut out = Vec::new();
    for arg in cmd
        .get_arguments()
        .filter(|a| !a.is_positional() && !a.is_hide_set())
    {
        if let Some(long) = arg.get_long() {
            out.push(Candidate::new(format!("--{long}"), help(arg)));
        }
        if let Some(short) = arg.get_short() {
            out.push(Candidate::new(format!("-{short}"), help(arg)));
        }
    }
    out
}

/// The positional argument that the word after `given` positionals fills.
fn positional(cmd: &Command, given: usize) -> Option<&Arg> {
    let mut left = given;
    for arg in cmd.get_positionals() {
        let max = arg.get_num_args().map_or(1, |r| r.max_values());
        if left < max {
            return Some(arg);
        }
        left -= max;
    }
    None
}

/// Values of a flag or positional: namespaces, contexts, its possible values, or file
/// names when it is a path.
fn values(plan: &mut Plan, arg: &Arg, prefix: &str) {
    let prefix = prefix.to_string();
    match arg.get_id().as_str() {
        "namespace" => {
            plan.lookup = Some(Lookup::Namespaces { prefix });
            return;
        }
        "context" => {
            plan.lookup = Some(Lookup::Contexts { prefix });
            return;
        }
        // `-f`: manifest files (and directories), as kubectl completes its `-f`.
        "filename" if prefix.is_empty() => {
            plan.candidates = MANIFEST_EXTENSIONS
                .iter()
                .map(|e| Candidate::new(*e, ""))
                .collect();
            plan.directive = directive::FILTER_FILE_EXT;
            return;
        }
        _ => {}
    }
    let possible: Vec<PossibleValue> = arg
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    if !possible.is_empty() {
        plan.candidates = possible
            .iter()
            .map(|v| {
                Candidate::new(
                    format!("{prefix}{}", v.get_name()),
                    v.get_help().map(|h| h.to_string()).unwrap_or_default(),
                )
            })
            .collect();
    } else if prefix.is_empty() {
        match arg.get_value_hint() {
            ValueHint::DirPath => plan.directive = directive::FILTER_DIRS,
            ValueHint::AnyPath | ValueHint::FilePath => plan.directive = directive::DEFAULT,
            _ => {}
        }
    }
}

/// How kinds are offered: the canonical spelling first, then the others a user may
/// have started typing.
const KIND_SPELLINGS: [(&str, Kind, &str); 6] = [
    (
        "vertex",
        Kind::Vertex,
        "a Vertex: one vertex of a pipeline, named <pipeline>-<vertex>",
    ),
    ("mvtx", Kind::MonoVertex, "a MonoVertex"),
    (
        "pipeline",
        Kind::Pipeline,
        "a Pipeline: all of its vertices",
    ),
    ("vtx", Kind::Vertex, "a Vertex"),
    ("monovertex", Kind::MonoVertex, "a MonoVertex"),
    ("pl", Kind::Pipeline, "a Pipeline"),
];

/// A TARGET: `KIND/NAME` (kinds first, then names once the kind is typed), or the
/// names of the kind given first in the `KIND NAME...` form.
fn targets(plan: &mut Plan, given: &[&str]) {
    // `set image TARGET... CONTAINER=IMAGE...`: no targets after the first pair.
    if plan.word.contains('=') || given.iter().any(|w| w.contains('=')) {
        return;
    }
    if let Some(kind) = given
        .first()
        .filter(|first| !first.contains('/'))
        .and_then(|first| Kind::parse(first))
    {
        plan.lookup = Some(Lookup::Objects {
            kind,
            prefix: String::new(),
        });
        return;
    }
    if let Some((spelled, _)) = plan.word.split_once('/') {
        if let Some(kind) = Kind::parse(spelled) {
            plan.lookup = Some(Lookup::Objects {
                kind,
                prefix: format!("{spelled}/"),
            });
        }
        return;
    }
    let mut offered: Vec<Kind> = Vec::new();
    for (spelling, kind, help) in KIND_SPELLINGS {
        if spelling.starts_with(&plan.word) && !offered.contains(&kind) {
            offered.push(kind);
            plan.candidates
                .push(Candidate::new(format!("{spelling}/"), help));
        }
    }
    plan.directive |= directive::NO_SPACE;
}

/// The hidden entry point `kubectl-numa __complete WORD...`: prints the candidates
/// and the directive. Always exits 0: a completion never fails the shell.
pub fn main(words: Vec<String>) -> ExitCode {
    let mut root = crate::cli::Cli::command();
    root.build();
    let plan = plan(&root, &words);
    let names = match &plan.lookup {
        Some(lookup) => cluster::names(lookup, &plan.connection),
        None => Vec::new(),
    };
    let (candidates, directive) = plan.finish(&names);
    let _ = std::io::stdout().write_all(render(&candidates, directive).as_bytes());
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> Command {
        let mut cmd = crate::cli::Cli::command();
        cmd.build();
        cmd
    }

    fn plan_of(line: &str) -> Plan {
        // The last word is what is being completed; a trailing space means "".
        let mut words: Vec<String> = line.split_whitespace().map(String::from).collect();
        if line.ends_with(' ') || line.is_empty() {
            words.push(String::new());
        }
        plan(&root(), &words)
    }

    fn values_of(line: &str, names: &[&str]) -> (Vec<String>, u8) {
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let (c, d) = plan_of(line).finish(&names);
        (c.into_iter().map(|c| c.value).collect(), d)
    }

    #[test]
    fn subcommands_then_targets_then_names() {
        let (v, d) = values_of("", &[]);
        assert!(
            v.contains(&"rollout".into()) && v.contains(&"version".into()),
            "{v:?}"
        );
        assert!(v.contains(&"completion".into()), "{v:?}");
        assert_eq!(d, 4);
        assert_eq!(values_of("rollout sta", &[]), (vec!["status".into()], 4));
        assert_eq!(
            values_of("rollout st", &[]),
            (vec!["status".into(), "step".into()], 4)
        );
        assert_eq!(
            values_of("rollout status ", &[]),
            (
                vec!["vertex/".into(), "mvtx/".into(), "pipeline/".into()],
                6
            )
        );
        assert_eq!(values_of("rollout status v", &[]).0, vec!["vertex/"]);
        assert_eq!(values_of("rollout status vt", &[]).0, vec!["vtx/"]);
        assert_eq!(values_of("rollout get p", &[]).0, vec!["pipeline/"]);
        assert_eq!(values_of("rollout get pl", &[]).0, vec!["pl/"]);
        let p = plan_of("rollout status vertex/p-c");
        assert_eq!(
            p.lookup,
            Some(Lookup::Objects {
                kind: Kind::Vertex,
                prefix: "vertex/".into()
            })
        );
        assert_eq!(
            values_of("rollout status vertex/p-c", &["p-cat", "p-in", "p-cow"]),
            (vec!["vertex/p-cat".into(), "vertex/p-cow".into()], 4)
        );
        // After one target, another target
        assert_eq!(
            values_of("rollout status pipeline/p m", &[]).0,
            vec!["mvtx/"]
        );
        // The two-word form: names of the kind, without a prefix
        let p = plan_of("rollout get vtx a ");
        assert_eq!(
            p.lookup,
            Some(Lookup::Objects {
                kind: Kind::Vertex,
                prefix: String::new()
            })
        );
        assert_eq!(values_of("rollout status nosuch/", &["x"]), (vec![], 4));
        // A TARGET... argument followed by other values
        assert_eq!(values_of("rollout set image m", &[]).0, vec!["mvtx/"]);
        assert_eq!(
            values_of("rollout set image mvtx/m udf=x ", &[]),
            (vec![], 4)
        );
    }

    #[test]
    fn flags_and_their_values() {
        let (v, _) = values_of("rollout status -", &[]);
        for f in [
            "-n",
            "--namespace",
            "--context",
            "--kubeconfig",
            "--timeout",
            "-o",
        ] {
            assert!(v.contains(&f.to_string()), "{f} in {v:?}");
        }
        let (v, _) = values_of("rollout list --", &[]);
        assert!(v.contains(&"--all-namespaces".into()), "{v:?}");
        assert!(!v.iter().any(|f| !f.starts_with("--")), "{v:?}");
        assert_eq!(
            values_of("rollout list -o ", &[]).0,
            vec!["json", "name", "wide"]
        );
        assert_eq!(
            values_of("rollout list --output=j", &[]).0,
            vec!["--output=json"]
        );
        assert_eq!(
            values_of("rollout status --watch=", &[]).0,
            vec!["--watch=true", "--watch=false"]
        );
        assert_eq!(
            values_of("-n ", &["default", "team"]),
            (vec!["default".into(), "team".into()], 4)
        );
        assert_eq!(
            plan_of("rollout status --context a").lookup,
            Some(Lookup::Contexts {
                prefix: String::new()
            })
        );
        assert_eq!(values_of("--kubeconfig ", &[]), (vec![], 0));
        assert_eq!(
            values_of("completion ", &[]).0,
            vec!["bash", "zsh", "fish", "powershell", "kubectl-shim"]
        );
        assert_eq!(values_of("completion kubectl-shim --install ", &[]).1, 16);
        // Manifests: files with kubectl's extensions after -f, directories after -k,
        // whatever has been typed of the name.
        for line in [
            "rollout status -f ",
            "rollout status --filename ",
            "rollout undo -f dep",
            "rollout set image -f ",
            "rollout get -f a.yaml -f ",
        ] {
            assert_eq!(
                values_of(line, &[]),
                (vec!["json".into(), "yaml".into(), "yml".into()], 8),
                "{line}"
            );
        }
        for line in [
            "rollout status -k ",
            "rollout pause --kustomize ov",
            "rollout history -k ",
        ] {
            assert_eq!(values_of(line, &[]), (vec![], 16), "{line}");
        }
        // -f and -k are offered among the flags of every target-taking command.
        for cmd in [
            "status",
            "get",
            "history",
            "undo",
            "pause",
            "resume",
            "restart",
            "step",
            "promote",
            "set image",
            "set strategy",
        ] {
            let (v, _) = values_of(&format!("rollout {cmd} -"), &[]);
            for f in ["-f", "--filename", "-R", "--recursive", "-k", "--kustomize"] {
                assert!(v.contains(&f.to_string()), "rollout {cmd}: {f} in {v:?}");
            }
        }
    }

    #[test]
    fn connection_flags_are_read_from_the_words() {
        let p = plan_of(
            "--kubeconfig /k rollout -nteam status --context=c --request-timeout 2s vertex/",
        );
        assert_eq!(
            p.connection,
            Connection {
                kubeconfig: Some("/k".into()),
                context: Some("c".into()),
                namespace: Some("team".into()),
                request_timeout: Some("2s".into()),
            }
        );
        // A flag's value is not mistaken for a subcommand or a target
        let p = plan_of("-n rollout rollout status -n vertex ");
        assert_eq!(p.connection.namespace, Some("vertex".into()));
        assert_eq!(p.candidates.len(), 3, "{p:?}");
        // --watch takes its value only after `=`
        let p = plan_of("rollout status -w vertex ");
        assert!(
            matches!(
                p.lookup,
                Some(Lookup::Objects {
                    kind: Kind::Vertex,
                    ..
                })
            ),
            "{p:?}"
        );
    }

    #[test]
    fn render_is_what_kubectl_reads() {
        let out = render(
            &[
                Candidate::new("status", "Wait until a rollout completes.\nMore"),
                Candidate::new("vertex/a", ""),
            ],
            6,
        );
        assert_eq!(
            out,
            "status\tWait until a rollout completes\nvertex/a\n:6\n"
        );
    }

    #[test]
    fn every_command_is_offered() {
        // New commands are completed as soon as they are defined.
        for (path, cmd) in crate::generate::visible_commands() {
            let Some((last, parents)) = path.split_last() else {
                continue;
            };
            let line = format!("{} {}", parents.join(" "), &last[..1]);
            let (v, _) = values_of(line.trim_start(), &[]);
            assert!(
                v.contains(last),
                "{} not offered for {line:?}: {v:?}",
                cmd.get_name()
            );
        }
    }
}
