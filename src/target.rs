//! What a rollout command acts on: `vertex/NAME`, `mvtx/NAME`, `pipeline/NAME`, the
//! two-word form `vertex NAME...`, or a kind with `-l SELECTOR`. Parsing only; no I/O.

use std::fmt;

use crate::exit::UsageError;

/// The kinds a rollout command accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `Pipeline`: all of its vertices.
    Pipeline,
    /// `Vertex`: one vertex of a pipeline, named `<pipeline>-<vertex>`.
    Vertex,
    /// `MonoVertex`.
    MonoVertex,
}

/// Help text listing every accepted spelling.
pub const VALID_KINDS: &str =
    "vertex (vtx, vertices), monovertex (mvtx, monovertices), pipeline (pl, pipelines)";

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 3] = [Kind::Pipeline, Kind::Vertex, Kind::MonoVertex];

    /// Parses a kind as kubectl would: singular, plural, short name, or with the API
    /// group (`vertex.numaflow.numaproj.io`), case-insensitive.
    pub fn parse(s: &str) -> Option<Kind> {
        let lower = s.to_ascii_lowercase();
        let base = lower
            .strip_suffix(".numaflow.numaproj.io")
            .or_else(|| lower.strip_suffix(".v1alpha1.numaflow.numaproj.io"))
            .unwrap_or(&lower);
        match base {
            "vertex" | "vertices" | "vtx" => Some(Kind::Vertex),
            "monovertex" | "monovertices" | "mvtx" => Some(Kind::MonoVertex),
            "pipeline" | "pipelines" | "pl" => Some(Kind::Pipeline),
            _ => None,
        }
    }

    /// Lower-case name used in messages: `vertex`, `monovertex`, `pipeline`.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Vertex => "vertex",
            Kind::MonoVertex => "monovertex",
            Kind::Pipeline => "pipeline",
        }
    }

    /// Short name used in target references: `vtx`, `mvtx`, `pl`.
    pub fn short(self) -> &'static str {
        match self {
            Kind::Vertex => "vtx",
            Kind::MonoVertex => "mvtx",
            Kind::Pipeline => "pl",
        }
    }

    /// The API kind: `Vertex`, `MonoVertex`, `Pipeline`.
    pub fn api_kind(self) -> &'static str {
        match self {
            Kind::Vertex => "Vertex",
            Kind::MonoVertex => "MonoVertex",
            Kind::Pipeline => "Pipeline",
        }
    }

    /// The API plural: `vertices`, `monovertices`, `pipelines`.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Vertex => "vertices",
            Kind::MonoVertex => "monovertices",
            Kind::Pipeline => "pipelines",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// One named object.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Target {
    /// Its kind.
    pub kind: Kind,
    /// Its object name.
    pub name: String,
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind, self.name)
    }
}

/// What the command line selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Objects named one by one, in the order given, without duplicates.
    Named(Vec<Target>),
    /// Every object of `kind` whose labels match `selector`.
    Labeled {
        /// The kind to select.
        kind: Kind,
        /// A Kubernetes label selector.
        selector: String,
    },
}

/// Parses target arguments and an optional `-l` selector.
pub fn parse(args: &[String], selector: Option<&str>) -> Result<Selection, UsageError> {
    let bad_kind = |k: &str| UsageError(format!("unknown kind {k:?}; valid kinds: {VALID_KINDS}"));
    let Some(first) = args.first() else {
        return Err(UsageError(format!(
            "name what to act on, for example `pipeline/my-pipeline`, `vertex/my-pipeline-cat` or `mvtx/my-mvtx` (valid kinds: {VALID_KINDS})"
        )));
    };
    if !first.contains('/') {
        let kind = Kind::parse(first).ok_or_else(|| bad_kind(first))?;
        let names = &args[1..];
        return match (names.is_empty(), selector) {
            (true, Some(sel)) => Ok(Selection::Labeled {
                kind,
                selector: sel.to_string(),
            }),
            (true, None) => Err(UsageError(format!(
                "name the {kind} to act on: `{kind} NAME` or `{kind} -l SELECTOR`"
            ))),
            (false, Some(_)) => Err(UsageError(
                "use either names or -l/--selector, not both".into(),
            )),
            (false, None) => {
                let mut targets = Vec::new();
                for name in names {
                    if name.contains('/') {
                        return Err(UsageError(format!(
                            "{name:?}: after a kind, give plain names (`{kind} a b`), or use KIND/NAME for every target"
                        )));
                    }
                    push_unique(
                        &mut targets,
                        Target {
                            kind,
                            name: valid_name(name)?,
                        },
                    );
                }
                Ok(Selection::Named(targets))
            }
        };
    }
    if selector.is_some() {
        return Err(UsageError(
            "use either KIND/NAME targets or KIND -l SELECTOR, not both".into(),
        ));
    }
    let mut targets = Vec::new();
    for arg in args {
        let Some((kind, name)) = arg.split_once('/') else {
            return Err(UsageError(format!(
                "{arg:?}: write every target as KIND/NAME when one is"
            )));
        };
        let kind = Kind::parse(kind).ok_or_else(|| bad_kind(kind))?;
        push_unique(
            &mut targets,
            Target {
                kind,
                name: valid_name(name)?,
            },
        );
    }
    Ok(Selection::Named(targets))
}

fn push_unique(targets: &mut Vec<Target>, t: Target) {
    if !targets.contains(&t) {
        targets.push(t);
    }
}

/// Checks an object name is a DNS subdomain (lowercase letters, digits, `-`, `.`;
/// starting and ending alphanumeric; at most 253 characters).
fn valid_name(name: &str) -> Result<String, UsageError> {
    let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let ok = !name.is_empty()
        && name.len() <= 253
        && name.chars().all(|c| alnum(c) || c == '-' || c == '.')
        && name.starts_with(alnum)
        && name.ends_with(alnum);
    if ok {
        Ok(name.to_string())
    } else {
        Err(UsageError(format!(
            "invalid object name {name:?}: use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    fn named(list: &[(Kind, &str)]) -> Selection {
        Selection::Named(
            list.iter()
                .map(|(k, n)| Target {
                    kind: *k,
                    name: n.to_string(),
                })
                .collect(),
        )
    }

    #[test]
    fn accepted_forms() {
        use Kind::*;
        let cases = [
            ("vertex/p-cat", None, named(&[(Vertex, "p-cat")])),
            ("vtx/p-cat", None, named(&[(Vertex, "p-cat")])),
            ("vertices/p-cat", None, named(&[(Vertex, "p-cat")])),
            (
                "vertex.numaflow.numaproj.io/p-cat",
                None,
                named(&[(Vertex, "p-cat")]),
            ),
            ("Vertex/p-cat", None, named(&[(Vertex, "p-cat")])),
            ("mvtx/m", None, named(&[(MonoVertex, "m")])),
            (
                "monovertex/m monovertices/n",
                None,
                named(&[(MonoVertex, "m"), (MonoVertex, "n")]),
            ),
            (
                "pl/p pipeline/q pipelines/p",
                None,
                named(&[(Pipeline, "p"), (Pipeline, "q")]),
            ),
            (
                "vertex p-cat p-dog",
                None,
                named(&[(Vertex, "p-cat"), (Vertex, "p-dog")]),
            ),
            ("pipeline p", None, named(&[(Pipeline, "p")])),
            (
                "vertex/a.b-1 mvtx/x",
                None,
                named(&[(Vertex, "a.b-1"), (MonoVertex, "x")]),
            ),
            (
                "vertex",
                Some("app=x"),
                Selection::Labeled {
                    kind: Vertex,
                    selector: "app=x".into(),
                },
            ),
            (
                "pl",
                Some("team in (a,b)"),
                Selection::Labeled {
                    kind: Pipeline,
                    selector: "team in (a,b)".into(),
                },
            ),
        ];
        for (input, sel, want) in cases {
            assert_eq!(parse(&args(input), sel).unwrap(), want, "{input}");
        }
    }

    #[test]
    fn rejected_forms_are_usage_errors() {
        let cases = [
            ("", None, "name what to act on"),
            (
                "deployment/x",
                None,
                "unknown kind \"deployment\"; valid kinds: vertex",
            ),
            ("pods x", None, "unknown kind \"pods\""),
            ("vertex", None, "name the vertex"),
            ("vertex/", None, "invalid object name \"\""),
            ("vertex/Cat", None, "invalid object name \"Cat\""),
            ("vertex/-a", None, "invalid object name"),
            ("vertex/a/b", None, "invalid object name \"a/b\""),
            ("vertex/a b", None, "write every target as KIND/NAME"),
            ("vertex a pl/b", None, "after a kind, give plain names"),
            ("vertex a", Some("x=y"), "not both"),
            ("vertex/a", Some("x=y"), "not both"),
            ("/a", None, "unknown kind \"\""),
        ];
        for (input, sel, want) in cases {
            let err = parse(&args(input), sel).unwrap_err();
            assert!(err.0.contains(want), "{input}: {err}");
        }
    }
}
