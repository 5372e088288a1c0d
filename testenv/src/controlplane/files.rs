//! The files a control plane starts from: certificates, tokens, keys, kubeconfig.

use std::path::{Path, PathBuf};

use anyhow::Result;
use rand::distr::{Alphanumeric, SampleString};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};

use super::User;

/// Paths of the generated files, and the users' tokens.
pub(super) struct Files {
    pub ca_cert: PathBuf,
    pub serving_cert: PathBuf,
    pub serving_key: PathBuf,
    pub service_account_key: PathBuf,
    pub service_account_pub: PathBuf,
    pub tokens: PathBuf,
    pub audit_policy: PathBuf,
    /// One random token per user, in the order of [`User::ALL`].
    pub user_tokens: Vec<(User, String)>,
}

/// Writes a CA, a serving certificate for `127.0.0.1`/`localhost` signed by it, a
/// service-account signing key, a static token file and an audit policy into `root`.
pub(super) fn write_all(root: &Path) -> Result<Files> {
    let ca_key = KeyPair::generate()?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "numa-testenv-ca");
    let ca_cert = ca_params.self_signed(&ca_key)?;
    let issuer = Issuer::new(ca_params, ca_key);

    let serving_key = KeyPair::generate()?;
    let mut params =
        CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])?;
    params
        .distinguished_name
        .push(DnType::CommonName, "kube-apiserver");
    let serving_cert = params.signed_by(&serving_key, &issuer)?;
    let sa_key = KeyPair::generate()?;

    let user_tokens: Vec<(User, String)> = User::ALL
        .iter()
        .map(|u| (*u, Alphanumeric.sample_string(&mut rand::rng(), 40)))
        .collect();
    let token_file: String = user_tokens
        .iter()
        .map(|(u, t)| u.token_line(t) + "\n")
        .collect();

    let files = Files {
        ca_cert: root.join("ca.crt"),
        serving_cert: root.join("apiserver.crt"),
        serving_key: root.join("apiserver.key"),
        service_account_key: root.join("sa.key"),
        service_account_pub: root.join("sa.pub"),
        tokens: root.join("tokens.csv"),
        audit_policy: root.join("audit-policy.yaml"),
        user_tokens,
    };
    write_private(&files.ca_cert, &ca_cert.pem())?;
    write_private(&files.serving_cert, &serving_cert.pem())?;
    write_private(&files.serving_key, &serving_key.serialize_pem())?;
    write_private(&files.service_account_key, &sa_key.serialize_pem())?;
    // kube-apiserver 1.20 reads verification keys as SPKI public keys only.
    write_private(&files.service_account_pub, &sa_key.public_key_pem())?;
    write_private(&files.tokens, &token_file)?;
    write_private(
        &files.audit_policy,
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n",
    )?;
    Ok(files)
}

/// Writes a kubeconfig with cluster `numa-testenv` and one context per user.
pub(super) fn write_kubeconfig(path: &Path, server: &str, files: &Files) -> Result<()> {
    let mut out = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: admin\nclusters:\n- name: numa-testenv\n  cluster:\n    server: {server}\n    certificate-authority: {}\ncontexts:\n",
        files.ca_cert.display()
    );
    for (user, _) in &files.user_tokens {
        let name = user.name();
        out += &format!(
            "- name: {name}\n  context:\n    cluster: numa-testenv\n    user: {name}\n    namespace: default\n"
        );
    }
    out += "users:\n";
    for (user, token) in &files.user_tokens {
        out += &format!("- name: {}\n  user:\n    token: {token}\n", user.name());
    }
    write_private(path, &out)
}

fn write_private(path: &Path, contents: &str) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(contents.as_bytes())?;
    Ok(())
}
