//! Which object a write for a target goes to. A pipeline vertex's durable definition
//! is its Pipeline's `spec.vertices[i]`; a pipeline target covers every vertex of its
//! Pipeline; a MonoVertex owns its own spec. Targets sharing an owner are grouped so
//! that each owner gets one patch.

use std::fmt;

use anyhow::{anyhow, Result};
use kube::api::DynamicObject;

use super::fetch;
use super::write::Spec;
use super::Kube;
use crate::target::{Kind, Selection, Target};

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

/// Resolves targets to the owners their writes go to, grouped by owner in the order
/// the targets were given. A vertex target costs one GET of the Vertex (to learn its
/// pipeline); missing objects are reported as `rollout status` reports them.
pub async fn resolve(kube: &Kube, selection: &Selection) -> Result<Vec<Group>> {
    let scopes = fetch::resolve(kube, selection).await?;
    let mut groups: Vec<Group> = Vec::new();
    for s in scopes {
        let (owner, vertex) = match s.target.kind {
            Kind::Vertex => {
                let (pl, short) = s.vertex_of.clone().unwrap_or_default();
                if pl.is_empty() || short.is_empty() {
                    return Err(anyhow!(
                        "{}: the Vertex names no pipeline (spec.pipelineName) or no vertex name (spec.name); \
write to its Pipeline instead",
                        s.target
                    ));
                }
                (
                    Owner {
                        kind: Kind::Pipeline,
                        name: pl,
                        namespace: s.namespace.clone(),
                    },
                    Some(short),
                )
            }
            kind => (
                Owner {
                    kind,
                    name: s.target.name.clone(),
                    namespace: s.namespace.clone(),
                },
                None,
            ),
        };
        let member = Member {
            target: s.target,
            vertex,
        };
        match groups.iter_mut().find(|g| g.owner == owner) {
            Some(g) => g.members.push(member),
            None => groups.push(Group {
                owner,
                members: vec![member],
            }),
        }
    }
    Ok(groups)
}

/// Refuses, before anything is written, a spec write of `verb` to the targets when an
/// owner is managed by Numaplane and `spec` is not forced (one GET per owner).
pub async fn refuse_managed(
    kube: &Kube,
    selection: &Selection,
    verb: &str,
    spec: Spec,
) -> Result<()> {
    if spec != (Spec::User { forced: false }) {
        return Ok(());
    }
    for g in resolve(kube, selection).await? {
        let obj = get(kube, &g.owner).await?;
        super::write::guard(&obj, &g.owner, &g.describe(verb), spec)?;
    }
    Ok(())
}

/// Reads an owner; a missing one is reported with what exists instead.
pub async fn get(kube: &Kube, owner: &Owner) -> Result<DynamicObject> {
    let api = kube.numaflow(owner.kind, &owner.namespace);
    match kube
        .call(&format!("get {owner}"), api.get_opt(&owner.name))
        .await?
    {
        Some(o) => Ok(o),
        None => Err(fetch::not_found(kube, &owner.target(), &owner.namespace).await),
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
