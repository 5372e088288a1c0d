//! Which object a write for a target goes to, as data: the [`Owner`] holding the
//! durable spec (a Pipeline, for its vertices, or a MonoVertex), the [`Member`]
//! targets that write to it, and their [`Group`]. `api::owners` resolves targets
//! into groups.

use std::fmt;

use crate::target::{Kind, Target};

/// An object that holds durable specs: a Pipeline or a MonoVertex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// `Pipeline` or `MonoVertex`.
    pub kind: Kind,
    /// Its name.
    pub name: String,
    /// Its namespace.
    pub namespace: String,
}

impl Owner {
    /// The owner as a target (for not-found messages).
    pub fn target(&self) -> Target {
        Target {
            kind: self.kind,
            name: self.name.clone(),
        }
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind, self.name)
    }
}

/// A target and the part of its owner it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// As the user named it.
    pub target: Target,
    /// The vertex's short name for a vertex target; `None` for the whole owner.
    pub vertex: Option<String>,
}

impl Member {
    /// Whether workload `key` of the owner belongs to this target.
    pub fn covers(&self, key: &str) -> bool {
        self.vertex.as_deref().is_none_or(|v| v == key)
    }
}

/// One owner and the targets that write to it.
#[derive(Debug, Clone)]
pub struct Group {
    /// The object to patch.
    pub owner: Owner,
    /// The targets, in command-line order.
    pub members: Vec<Member>,
}

impl Group {
    /// The workloads asked for, as [`crate::rollout::edit::select_keys`] takes them.
    pub fn wanted(&self) -> Vec<Option<String>> {
        self.members.iter().map(|m| m.vertex.clone()).collect()
    }

    /// `pause vertex/p-cat vertex/p-dog (pipeline/p)`: the verb, the targets, and the
    /// owner when it is not one of them. Used to start error messages.
    pub fn describe(&self, verb: &str) -> String {
        let names: Vec<String> = self.members.iter().map(|m| m.target.to_string()).collect();
        let owner_named = self.members.iter().any(|m| m.vertex.is_none());
        if owner_named {
            format!("{verb} {}", names.join(" "))
        } else {
            format!("{verb} {} ({})", names.join(" "), self.owner)
        }
    }
}

/// A member for unit tables: target `kind`/`name` covering `vertex`.
#[cfg(test)]
pub(crate) fn member(kind: Kind, name: &str, vertex: Option<&str>) -> Member {
    Member {
        target: Target {
            kind,
            name: name.into(),
        },
        vertex: vertex.map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_describe_their_targets() {
        let owner = Owner {
            kind: Kind::Pipeline,
            name: "p".into(),
            namespace: "ns".into(),
        };
        let g = Group {
            owner: owner.clone(),
            members: vec![
                member(Kind::Vertex, "p-cat", Some("cat")),
                member(Kind::Vertex, "p-dog", Some("dog")),
            ],
        };
        assert_eq!(
            g.describe("pause"),
            "pause vertex/p-cat vertex/p-dog (pipeline/p)"
        );
        assert_eq!(g.wanted(), vec![Some("cat".into()), Some("dog".into())]);
        assert!(g.members[0].covers("cat") && !g.members[0].covers("dog"));
        let g = Group {
            owner,
            members: vec![member(Kind::Pipeline, "p", None)],
        };
        assert_eq!(g.describe("resume"), "resume pipeline/p");
        assert!(g.members[0].covers("anything"));
    }
}
