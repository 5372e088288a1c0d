//! Exit codes, the one place outcomes become numbers.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | complete / success |
//! | 1 | error: API unreachable, not found, forbidden, conflict, invalid object |
//! | 2 | usage: bad flags, bad target, bad value |
//! | 3 | degraded: new pods are failing, or the progress deadline passed |
//! | 4 | timed out (`--timeout`) |
//! | 5 | paused |
//! | 6 | still progressing (only with `--watch=false`) |
//! | 7 | rolled back: the rollout failed and `--rollback-on-failure` restored the previous revision |
//! | 130 / 143 | interrupted by SIGINT / SIGTERM |
//!
//! With several targets the most severe outcome decides, in this order:
//! 1, 3, 4, 7, 6, 5, 0.

use std::process::ExitCode;

use crate::rollout::State;

/// The documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done, or nothing to do.
    Ok,
    /// 1: an error talking to or read from the cluster.
    Error,
    /// 2: the command line is wrong.
    Usage,
    /// 3: the rollout is failing.
    Degraded,
    /// 4: `--timeout` passed.
    TimedOut,
    /// 5: the rollout is paused.
    Paused,
    /// 6: the rollout is still progressing (`--watch=false`).
    Progressing,
    /// 7: the rollout failed and was rolled back (`--rollback-on-failure`).
    RolledBack,
    /// 130: SIGINT.
    Interrupted,
    /// 143: SIGTERM.
    Terminated,
}

impl Exit {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Ok => 0,
            Exit::Error => 1,
            Exit::Usage => 2,
            Exit::Degraded => 3,
            Exit::TimedOut => 4,
            Exit::Paused => 5,
            Exit::Progressing => 6,
            Exit::RolledBack => 7,
            Exit::Interrupted => 130,
            Exit::Terminated => 143,
        }
    }

    fn severity(self) -> u8 {
        match self {
            Exit::Ok => 0,
            Exit::Paused => 1,
            Exit::Progressing => 2,
            Exit::RolledBack => 3,
            Exit::TimedOut => 4,
            Exit::Degraded => 5,
            Exit::Error => 6,
            Exit::Usage => 7,
            Exit::Terminated => 8,
            Exit::Interrupted => 9,
        }
    }

    /// The more severe of two outcomes (see the module docs for the order).
    pub fn worst(self, other: Exit) -> Exit {
        if other.severity() > self.severity() {
            other
        } else {
            self
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e.code())
    }
}

pub use crate::usage::UsageError;

/// The exit code of a target's final state; a rollout still progressing is 4 when it
/// was watched until `--timeout`, 6 when read once (`--watch=false`).
pub fn of_state(state: State, watched: bool) -> Exit {
    match state {
        State::Complete => Exit::Ok,
        State::Degraded => Exit::Degraded,
        State::Paused => Exit::Paused,
        State::Progressing if watched => Exit::TimedOut,
        State::Progressing => Exit::Progressing,
    }
}

/// The exit code of a wait over targets (or of one read, without `watched`): the most
/// severe of their states, and 4 when `unread` targets could not be read before the
/// timeout.
pub fn of_wait(states: impl IntoIterator<Item = State>, unread: usize, watched: bool) -> Exit {
    let start = if unread > 0 { Exit::TimedOut } else { Exit::Ok };
    states
        .into_iter()
        .map(|s| of_state(s, watched))
        .fold(start, Exit::worst)
}

/// The exit code an error maps to: 2 for a [`UsageError`] anywhere in its chain, else 1.
pub fn exit_for(err: &anyhow::Error) -> Exit {
    if err.chain().any(|e| e.is::<UsageError>()) {
        Exit::Usage
    } else {
        Exit::Error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_follows_documented_order() {
        let order = [
            Exit::Ok,
            Exit::Paused,
            Exit::Progressing,
            Exit::RolledBack,
            Exit::TimedOut,
            Exit::Degraded,
            Exit::Error,
        ];
        for (i, a) in order.iter().enumerate() {
            for b in &order[i..] {
                assert_eq!(a.worst(*b), *b, "{a:?} vs {b:?}");
                assert_eq!(b.worst(*a), *b, "{b:?} vs {a:?}");
            }
        }
    }

    #[test]
    fn states_map_to_their_codes() {
        for (state, watched, want) in [
            (State::Complete, true, 0),
            (State::Complete, false, 0),
            (State::Degraded, true, 3),
            (State::Degraded, false, 3),
            (State::Progressing, true, 4),
            (State::Paused, true, 5),
            (State::Paused, false, 5),
            (State::Progressing, false, 6),
        ] {
            assert_eq!(
                of_state(state, watched).code(),
                want,
                "{state:?} watched {watched}"
            );
        }
    }

    #[test]
    fn a_wait_ends_with_its_worst_target() {
        use State::*;
        let table: &[(&[State], usize, bool, u8)] = &[
            (&[], 0, true, 0),
            (&[Complete, Complete], 0, true, 0),
            (&[Complete, Paused], 0, true, 5),
            (&[Paused, Progressing], 0, false, 6),
            (&[Paused, Progressing], 0, true, 4),
            (&[Complete], 1, true, 4),
            (&[Degraded], 1, true, 3),
            (&[Complete, Degraded, Progressing], 0, true, 3),
        ];
        for &(states, unread, watched, want) in table {
            assert_eq!(
                of_wait(states.iter().copied(), unread, watched).code(),
                want,
                "{states:?}, {unread} unread, watched {watched}"
            );
        }
    }

    #[test]
    fn usage_errors_map_to_2_through_context() {
        let e = anyhow::Error::new(UsageError("bad".into())).context("while parsing");
        assert_eq!(exit_for(&e), Exit::Usage);
        assert_eq!(exit_for(&anyhow::anyhow!("boom")), Exit::Error);
    }
}
