//! The tree of `rollout get`: target, workloads with their strategy and counts, pods
//! grouped by revision hash.

use std::fmt::Write;

use k8s_openapi::jiff::Timestamp;

use super::model::{Pod, Target, Workload};
use super::style;
use crate::rollout::duration;

/// Renders reports as trees; ages are relative to `now`.
pub fn render(reports: &[Target], now: Timestamp, color: bool) -> String {
    let mut out = String::new();
    for r in reports {
        let _ = writeln!(
            out,
            "{} {:?} (namespace {:?})  {}",
            r.kind,
            r.name,
            r.namespace,
            style::state(r.state, color)
        );
        let _ = writeln!(out, "  {}", r.message);
        if let Some(m) = &r.managed_by {
            let _ = writeln!(out, "  {}", m.line());
        }
        if let Some(u) = &r.upgrade_state {
            let _ = writeln!(out, "  Numaplane upgrade state: {u}");
        }
        for c in &r.daemons {
            let _ = writeln!(out, "  {} {}", c.type_, c.summary());
        }
        for (i, w) in r.workloads.iter().enumerate() {
            workload(&mut out, w, i + 1 == r.workloads.len(), now, color);
        }
    }
    out
}

fn workload(out: &mut String, w: &Workload, last: bool, now: Timestamp, color: bool) {
    let (branch, pad) = if last {
        ("└─", "   ")
    } else {
        ("├─", "│  ")
    };
    let mu = &w.strategy.text.effective;
    let step = w.strategy.step.map_or("unknown".into(), |s| s.to_string());
    let _ = writeln!(
        out,
        "{branch} {} {}  {}  desired {}  updated {}  ready {}  maxUnavailable {mu}  maxSurge {}  step {step}",
        w.kind,
        w.name,
        style::workload_state(w, color),
        w.desired,
        w.updated,
        w.ready,
        w.strategy.text.max_surge.as_deref().unwrap_or("-"),
    );
    if let Some(c) = &w.pods_healthy {
        let _ = writeln!(out, "{pad}{} {}", c.type_, c.summary());
    }
    let pods: &[Pod] = w.pods.as_deref().unwrap_or_default();
    let mut groups: Vec<(Option<&str>, Vec<&Pod>)> = Vec::new();
    for p in pods {
        match groups.iter_mut().find(|(h, _)| *h == p.hash.as_deref()) {
            Some((_, g)) => g.push(p),
            None => groups.push((p.hash.as_deref(), vec![p])),
        }
    }
    if groups.is_empty() {
        let _ = writeln!(out, "{pad}└─ (no pods)");
    }
    let name_width = pods.iter().map(|p| p.name.len()).max().unwrap_or(0);
    for (gi, (hash, pods)) in groups.iter().enumerate() {
        let glast = gi + 1 == groups.len();
        let (gbranch, gpad) = if glast {
            ("└─", "   ")
        } else {
            ("├─", "│  ")
        };
        let mut tags = Vec::new();
        if hash.is_some() && *hash == w.update_hash.as_deref() {
            tags.push("update");
        }
        if hash.is_some() && *hash == w.current_hash.as_deref() {
            tags.push("current");
        }
        let title = match hash {
            Some(h) => format!("revision {}", short(h)),
            None => "no revision annotation".to_string(),
        };
        let tags = if tags.is_empty() {
            String::new()
        } else {
            format!(" ({})", tags.join(", "))
        };
        let _ = writeln!(out, "{pad}{gbranch} {title}{tags}");
        for (pi, p) in pods.iter().enumerate() {
            let pbranch = if pi + 1 == pods.len() {
                "└─"
            } else {
                "├─"
            };
            let mark = if p.failing {
                "✖"
            } else if p.left_behind.is_some() {
                "·"
            } else if p.ready {
                "✔"
            } else {
                "◌"
            };
            let _ = writeln!(
                out,
                "{pad}{gpad}{pbranch} {mark} {:name_width$}  {:8}  {:18}  restarts {:<3}  {}",
                p.name,
                if p.ready { "Ready" } else { "NotReady" },
                p.left_behind
                    .as_ref()
                    .map_or_else(|| p.reason.clone(), |why| format!("left behind: {why}")),
                p.restarts,
                p.created.map_or("-".into(), |c| age(now, c)),
            );
        }
    }
}

fn short(hash: &str) -> &str {
    &hash[..hash.len().min(12)]
}

/// kubectl-style age of `then` at `now` ([`duration::age`]).
pub fn age(now: Timestamp, then: Timestamp) -> String {
    duration::age(now.duration_since(then).as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        let now: Timestamp = "2026-01-10T00:00:00Z".parse().unwrap();
        for (then, want) in [
            ("2026-01-10T00:00:00Z", "0s"),
            ("2026-01-09T23:59:15Z", "45s"),
            ("2026-01-09T23:57:00Z", "3m"),
            ("2026-01-09T21:00:00Z", "3h"),
            ("2026-01-05T00:00:00Z", "5d"),
            ("2026-01-04T02:00:00Z", "5d22h"),
            ("2026-01-10T00:00:01Z", "0s"),
            ("2026-01-10T00:00:01.900Z", "0s"),
            ("2026-01-10T00:00:10Z", "<invalid>"),
        ] {
            assert_eq!(age(now, then.parse().unwrap()), want, "{then}");
        }
    }
}

#[cfg(test)]
mod render_tests {
    use serde_json::json;

    use super::render;
    use crate::rollout::fixtures::*;
    use crate::rollout::report;

    #[test]
    fn a_pipeline_mid_rollout_renders_whole() {
        let pl = pipeline(&["cat"], 3, 3);
        let mut st = status(2, "h1", "h2", 3, 2, 1);
        st["conditions"] = json!([
            {"type": "Deployed", "status": "True", "reason": "Successful"},
            {"type": "PodsHealthy", "status": "False", "reason": "PodCrashLoopBackOff",
             "message": "Pod p-cat-1-h2 is unhealthy"},
        ]);
        let v = vertex(
            "cat",
            2,
            json!({"replicas": 3, "updateStrategy": {"rollingUpdate": {"maxSurge": 1}}}),
            st,
        );
        let pods = [
            pod("cat", 0, "h2", true),
            waiting_pod("cat", 1, "h2", "CrashLoopBackOff"),
            terminating(pod("cat", 2, "h1", true)),
            evicted(pod("cat", 0, "h1", false)),
            pod("cat", 2, "", false),
        ];
        let r = report::pipeline(&pl, &[&v], &pods.iter().collect::<Vec<_>>(), now());
        let got = render(&[super::super::model::Target::of(&r, true)], now(), false);
        assert_eq!(got, EXPECTED);
    }

    const EXPECTED: &str = r#"pipeline "p" (namespace "ns")  ✖ Degraded
  vertex "p-cat" rollout failed: pod p-cat-1-h2 container udf: CrashLoopBackOff: back-off 40s restarting failed container=udf
└─ vertex p-cat  ✖ Degraded  desired 3  updated 2  ready 1  maxUnavailable 25%  maxSurge 1  step 1
   PodsHealthy False (PodCrashLoopBackOff): Pod p-cat-1-h2 is unhealthy
   ├─ revision h2 (update)
   │  ├─ ✔ p-cat-0-h2  Ready     Running             restarts 0    60s
   │  └─ ✖ p-cat-1-h2  NotReady  CrashLoopBackOff    restarts 4    60s
   ├─ revision h1 (current)
   │  ├─ · p-cat-0-h1  NotReady  left behind: Evicted  restarts 0    60s
   │  └─ ✔ p-cat-2-h1  Ready     Terminating         restarts 0    60s
   └─ no revision annotation
      └─ ◌ p-cat-2-    NotReady  Running             restarts 0    60s
"#;
}
