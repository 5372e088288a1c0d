//! The one error type every layer may raise for a command-line mistake found before
//! any request (a bad target, flag value or image assignment); [`crate::exit`] maps it
//! to exit code 2. It sits below every other module so that pure logic can reject bad
//! input without knowing about exit codes.

use std::fmt;

/// A command-line mistake found before any request: exit code 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}
