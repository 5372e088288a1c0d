//! What a rollout command acts on: `vertex/NAME`, `mvtx/NAME`, `pipeline/NAME`, the
//! two-word form `vertex NAME...`, or a kind with `-l SELECTOR`; the kind spelled as
//! [`Kind::parse`] accepts it; or targets placed in namespaces of their own (read from
//! manifests by [`crate::manifest`]). Parsing only; no I/O.

use std::fmt;

use crate::usage::UsageError;

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

    /// Parses a kind as kubectl would: singular, plural or short name (`vertex`,
    /// `vertices`, `vtx`), each also qualified with the API group
    /// (`vertex.numaflow.numaproj.io`) or with its version and group
    /// (`vertices.v1alpha1.numaflow.numaproj.io`), case-insensitive.
    pub fn parse(s: &str) -> Option<Kind> {
        let lower = s.to_ascii_lowercase();
        let base = match lower.strip_suffix(".numaflow.numaproj.io") {
            Some(qualified) => qualified.strip_suffix(".v1alpha1").unwrap_or(qualified),
            None => &lower,
        };
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

/// A target with the namespace it was given in (a manifest's `metadata.namespace`);
/// `None`: the command's namespace (`-n`, else the context's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// The target.
    pub target: Target,
    /// Its namespace, when given with it.
    pub namespace: Option<String>,
}

/// What the command line selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Objects named one by one, in the order given, without duplicates.
    Named(Vec<Target>),
    /// Objects named one by one, each in its own namespace (from manifests).
    Placed(Vec<Placed>),
    /// Every object of `kind` whose labels match `selector`.
    Labeled {
        /// The kind to select.
        kind: Kind,
        /// A Kubernetes label selector.
        selector: String,
    },
}

impl Selection {
    /// Target `target` in namespace `namespace`, alone.
    pub fn one_in(target: Target, namespace: &str) -> Selection {
        Selection::Placed(vec![Placed {
            target,
            namespace: Some(namespace.to_string()),
        }])
    }
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
                    push_unique(&mut targets, kind, name)?;
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
        push_unique(&mut targets, kind, name)?;
    }
    Ok(Selection::Named(targets))
}

/// Adds target `kind`/`name` once, its name checked ([`valid_name`]).
fn push_unique(targets: &mut Vec<Target>, kind: Kind, name: &str) -> Result<(), UsageError> {
    let t = Target {
        kind,
        name: valid_name(name)?,
    };
    if !targets.contains(&t) {
        targets.push(t);
    }
    Ok(())
}

/// Checks an object name is a DNS subdomain (lowercase letters, digits, `-`, `.`;
/// starting and ending alphanumeric; at most 253 characters).
pub fn valid_name(name: &str) -> Result<String, UsageError> {
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

    /// Every spelling of a kind that [`Kind::parse`] promises, and the kind it means.
    const SPELLINGS: [(&str, Kind); 39] = [
        // Singular, plural and short name.
        ("vertex", Kind::Vertex),
        ("vertices", Kind::Vertex),
        ("vtx", Kind::Vertex),
        ("monovertex", Kind::MonoVertex),
        ("monovertices", Kind::MonoVertex),
        ("mvtx", Kind::MonoVertex),
        ("pipeline", Kind::Pipeline),
        ("pipelines", Kind::Pipeline),
        ("pl", Kind::Pipeline),
        // resource.group
        ("vertex.numaflow.numaproj.io", Kind::Vertex),
        ("vertices.numaflow.numaproj.io", Kind::Vertex),
        ("vtx.numaflow.numaproj.io", Kind::Vertex),
        ("monovertex.numaflow.numaproj.io", Kind::MonoVertex),
        ("monovertices.numaflow.numaproj.io", Kind::MonoVertex),
        ("mvtx.numaflow.numaproj.io", Kind::MonoVertex),
        ("pipeline.numaflow.numaproj.io", Kind::Pipeline),
        ("pipelines.numaflow.numaproj.io", Kind::Pipeline),
        ("pl.numaflow.numaproj.io", Kind::Pipeline),
        // resource.version.group
        ("vertex.v1alpha1.numaflow.numaproj.io", Kind::Vertex),
        ("vertices.v1alpha1.numaflow.numaproj.io", Kind::Vertex),
        ("vtx.v1alpha1.numaflow.numaproj.io", Kind::Vertex),
        ("monovertex.v1alpha1.numaflow.numaproj.io", Kind::MonoVertex),
        (
            "monovertices.v1alpha1.numaflow.numaproj.io",
            Kind::MonoVertex,
        ),
        ("mvtx.v1alpha1.numaflow.numaproj.io", Kind::MonoVertex),
        ("pipeline.v1alpha1.numaflow.numaproj.io", Kind::Pipeline),
        ("pipelines.v1alpha1.numaflow.numaproj.io", Kind::Pipeline),
        ("pl.v1alpha1.numaflow.numaproj.io", Kind::Pipeline),
        // Any case: the API kind, upper case, mixed case, with group and version.
        ("Vertex", Kind::Vertex),
        ("MonoVertex", Kind::MonoVertex),
        ("Pipeline", Kind::Pipeline),
        ("VERTICES", Kind::Vertex),
        ("MVTX", Kind::MonoVertex),
        ("Pl", Kind::Pipeline),
        ("Vertex.Numaflow.Numaproj.IO", Kind::Vertex),
        ("MonoVertex.numaflow.numaproj.io", Kind::MonoVertex),
        ("PIPELINES.NUMAFLOW.NUMAPROJ.IO", Kind::Pipeline),
        ("Vertices.V1alpha1.Numaflow.Numaproj.Io", Kind::Vertex),
        ("MonoVertex.v1alpha1.numaflow.numaproj.io", Kind::MonoVertex),
        ("PIPELINE.V1ALPHA1.NUMAFLOW.NUMAPROJ.IO", Kind::Pipeline),
    ];

    #[test]
    fn every_kind_spelling_works_in_every_target_form() {
        for (spelling, kind) in SPELLINGS {
            assert_eq!(Kind::parse(spelling), Some(kind), "{spelling}");
            // KIND/NAME
            assert_eq!(
                parse(&args(&format!("{spelling}/a-1")), None).unwrap(),
                named(&[(kind, "a-1")]),
                "{spelling}/a-1"
            );
            // KIND NAME...
            assert_eq!(
                parse(&args(&format!("{spelling} a-1 b")), None).unwrap(),
                named(&[(kind, "a-1"), (kind, "b")]),
                "{spelling} a-1 b"
            );
            // KIND -l SELECTOR
            assert_eq!(
                parse(&args(spelling), Some("app=x")).unwrap(),
                Selection::Labeled {
                    kind,
                    selector: "app=x".into()
                },
                "{spelling} -l app=x"
            );
        }
    }

    #[test]
    fn other_kind_spellings_are_unknown() {
        for spelling in [
            "",
            "deployment",
            "pods",
            "vertexes",
            "mvertex",
            "vertex.v1.numaflow.numaproj.io",
            "vertex.v1alpha2.numaflow.numaproj.io",
            "vertex.v1alpha1",
            "vertex.numaflow",
            "vertex.numaproj.io",
            "vertices.apps",
            "vertices.v1alpha1.apps",
            "vertex.v1alpha1.v1alpha1.numaflow.numaproj.io",
            "vertex.numaflow.numaproj.io.v1alpha1",
            "vertex.numaflow.numaproj.io.",
            "numaflow.numaproj.io",
            ".numaflow.numaproj.io",
            "v1alpha1.numaflow.numaproj.io",
            ".v1alpha1.numaflow.numaproj.io",
            "vertex numaflow.numaproj.io",
            "vertex/numaflow.numaproj.io",
        ] {
            assert_eq!(Kind::parse(spelling), None, "{spelling}");
        }
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
            (
                "vertices.v1alpha1.numaflow.numaproj.io/p-cat",
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
            // Duplicates are dropped, whatever the kind is spelled; the first order stays.
            (
                "pl/p pipeline/q pipelines/p pipelines.v1alpha1.numaflow.numaproj.io/q",
                None,
                named(&[(Pipeline, "p"), (Pipeline, "q")]),
            ),
            (
                "vertex p-cat p-dog p-cat",
                None,
                named(&[(Vertex, "p-cat"), (Vertex, "p-dog")]),
            ),
            ("pipeline p", None, named(&[(Pipeline, "p")])),
            (
                "vertex/a.b-1 mvtx/x pl/x",
                None,
                named(&[(Vertex, "a.b-1"), (MonoVertex, "x"), (Pipeline, "x")]),
            ),
            ("vertex/0", None, named(&[(Vertex, "0")])),
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
        let longest = "a".repeat(253);
        assert_eq!(
            parse(&[format!("vertex/{longest}")], None).unwrap(),
            named(&[(Vertex, &longest)])
        );
    }

    #[test]
    fn rejected_forms_are_usage_errors_saying_why() {
        const VALID: &str =
            "vertex (vtx, vertices), monovertex (mvtx, monovertices), pipeline (pl, pipelines)";
        let unknown = |k: &str| format!("unknown kind {k:?}; valid kinds: {VALID}");
        let bad_name = |n: &str| {
            format!(
                "invalid object name {n:?}: use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"
            )
        };
        let cases = [
            (
                "",
                None,
                format!("name what to act on, for example `pipeline/my-pipeline`, `vertex/my-pipeline-cat` or `mvtx/my-mvtx` (valid kinds: {VALID})"),
            ),
            ("deployment/x", None, unknown("deployment")),
            ("pods x", None, unknown("pods")),
            ("deployment", Some("app=x"), unknown("deployment")),
            ("/a", None, unknown("")),
            ("vertex/a deployment/x", None, unknown("deployment")),
            (
                "vertex.v1.numaflow.numaproj.io/x",
                None,
                unknown("vertex.v1.numaflow.numaproj.io"),
            ),
            ("vertex.v1alpha1/x", None, unknown("vertex.v1alpha1")),
            (
                "vertices.v1alpha1.apps/x",
                None,
                unknown("vertices.v1alpha1.apps"),
            ),
            (
                "numaflow.numaproj.io/x",
                None,
                unknown("numaflow.numaproj.io"),
            ),
            (
                "vertex",
                None,
                "name the vertex to act on: `vertex NAME` or `vertex -l SELECTOR`".to_string(),
            ),
            (
                "vertices.v1alpha1.numaflow.numaproj.io",
                None,
                "name the vertex to act on: `vertex NAME` or `vertex -l SELECTOR`".to_string(),
            ),
            (
                "mvtx",
                None,
                "name the monovertex to act on: `monovertex NAME` or `monovertex -l SELECTOR`"
                    .to_string(),
            ),
            ("vertex/", None, bad_name("")),
            ("vertex/Cat", None, bad_name("Cat")),
            ("vertex/-a", None, bad_name("-a")),
            ("vertex/a-", None, bad_name("a-")),
            ("vertex/.a", None, bad_name(".a")),
            ("vertex/a_b", None, bad_name("a_b")),
            ("vertex/a/b", None, bad_name("a/b")),
            ("vertex Cat", None, bad_name("Cat")),
            (
                "vertex/a b",
                None,
                "\"b\": write every target as KIND/NAME when one is".to_string(),
            ),
            (
                "vertex a pl/b",
                None,
                "\"pl/b\": after a kind, give plain names (`vertex a b`), or use KIND/NAME for every target"
                    .to_string(),
            ),
            (
                "vertex a",
                Some("x=y"),
                "use either names or -l/--selector, not both".to_string(),
            ),
            (
                "vertex/a",
                Some("x=y"),
                "use either KIND/NAME targets or KIND -l SELECTOR, not both".to_string(),
            ),
        ];
        for (input, sel, want) in cases {
            let err = parse(&args(input), sel).unwrap_err();
            assert_eq!(err.0, want, "{input}");
        }
        let too_long = "a".repeat(254);
        assert_eq!(
            parse(&[format!("vertex/{too_long}")], None).unwrap_err().0,
            bad_name(&too_long)
        );
    }
}
