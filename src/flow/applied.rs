//! `status -f`: does the cluster hold what the manifests say? Each manifest's spec is
//! compared with the live object's before the wait ([`crate::manifest::applied`]): a
//! field the manifest sets to a value the live spec does not hold is a warning, or
//! with `--require-applied` an error (exit 1). This catches the deploy script that
//! forgot to apply, or applied to another context.

use anyhow::{bail, Result};

use crate::api::Kube;
use crate::manifest::applied::first_difference;
use crate::manifest::Manifests;

/// Compares every manifest object with its live object (one GET each). A missing
/// object is left to the command (it reports it as not found).
pub async fn check(kube: &Kube, manifests: &Manifests, required: bool) -> Result<()> {
    for o in &manifests.objects {
        let t = &o.placed.target;
        let ns = o.placed.namespace.as_deref().unwrap_or(&kube.namespace);
        let api = kube.numaflow(t.kind, ns);
        let what = format!("get {} {:?}", t.kind, t.name);
        let Some(live) = kube.call(&what, api.get_opt(&t.name)).await? else {
            continue;
        };
        let Some(d) = first_difference(&o.spec, live.data.get("spec")) else {
            continue;
        };
        let found = format!(
            "{t} in namespace {ns:?} does not look applied from {}: {}",
            o.origin,
            d.describe()
        );
        if required {
            bail!("{found} (--require-applied); nothing was waited for");
        }
        eprintln!("kubectl-numa: warning: {found}");
    }
    Ok(())
}
