//! Which object a write for a target goes to. A pipeline vertex's durable definition
//! is its Pipeline's `spec.vertices[i]`; a pipeline target covers every vertex of its
//! Pipeline; a MonoVertex owns its own spec. Targets sharing an owner are grouped so
//! that each owner gets one patch.

use anyhow::{anyhow, Result};
use kube::api::DynamicObject;

use super::fetch;
use super::write::Spec;
use super::Kube;
use crate::rollout::owner::{Group, Member, Owner};
use crate::target::{Kind, Selection};

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
