//! kubectl-numa: rolling updates of Numaflow vertices, monovertices and pipelines.
//!
//! Data flows through the modules in this order: [`cli`] parses the command line,
//! [`target`] resolves what it names (or [`manifest`] reads it from `-f`/`-k`
//! manifests), [`api`] reads and watches the cluster,
//! [`rollout`] computes rollout state with no I/O, [`view`] renders it, [`flow`] runs
//! what several commands share (the write to owners, the wait, the rollback), and
//! [`cmd`] holds one module per subcommand: its options, their validation and the
//! wiring. [`flags`] defines the flag groups the commands share. [`exit`] maps every
//! outcome to the documented exit codes; [`usage`] holds the one error type for bad
//! input, below every other module.

pub mod api;
pub mod cli;
pub mod cmd;
pub mod complete;
pub mod exit;
pub mod flags;
pub mod flow;
pub mod generate;
pub mod manifest;
pub mod rollout;
pub mod target;
pub mod usage;
pub mod version;
pub mod view;

use std::process::ExitCode;

use exit::Exit;

/// Entry point of the binary: parse, run, report an error once, exit with its code.
pub fn main() -> ExitCode {
    if let Some(code) = hidden_entry_point() {
        return code;
    }
    let cli = cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("kubectl-numa: error: {e}");
            return Exit::Error.into();
        }
    };
    let outcome = runtime.block_on(async {
        tokio::select! {
            r = cmd::run(&cli) => r,
            e = signals() => Ok(e),
        }
    });
    let exit = match outcome {
        Ok(exit) => exit,
        Err(e) if is_broken_pipe(&e) => Exit::Ok,
        Err(e) => {
            eprintln!("kubectl-numa: error: {e:#}");
            exit::exit_for(&e)
        }
    };
    runtime.shutdown_background();
    exit.into()
}

/// Entry points that are not commands and bypass clap, so the words reach them as
/// typed: `__complete WORD...` (run by the `kubectl_complete-numa` helper, see
/// [`complete`]) and `__man DIR` (man pages, for `scripts/package.sh`).
fn hidden_entry_point() -> Option<ExitCode> {
    let mut args = std::env::args_os().skip(1);
    match args.next()?.to_str()? {
        "__complete" => Some(complete::main(
            args.map(|a| a.to_string_lossy().into_owned()).collect(),
        )),
        "__man" => {
            let Some(dir) = args.next() else {
                eprintln!("kubectl-numa: usage: kubectl-numa __man DIR");
                return Some(Exit::Usage.into());
            };
            let mut stdout = std::io::stdout();
            Some(
                match generate::write_man_pages(std::path::Path::new(&dir), &mut stdout) {
                    Ok(()) => Exit::Ok.into(),
                    Err(e) => {
                        eprintln!("kubectl-numa: error: writing man pages: {e}");
                        Exit::Error.into()
                    }
                },
            )
        }
        _ => None,
    }
}

/// Set by a command that finishes its work in flight on the first SIGINT and then
/// exits 130 itself (`rollout restart`); a second SIGINT still ends it at once.
static DEFER_INTERRUPT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Lets the running command handle the first SIGINT itself (see `signals`).
pub fn defer_interrupt() {
    DEFER_INTERRUPT.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// Resolves with the exit code of the first SIGINT or SIGTERM (of the second SIGINT
/// when the command deferred the first, see [`defer_interrupt`]).
async fn signals() -> Exit {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut int), Ok(mut term)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        return futures::future::pending().await;
    };
    loop {
        tokio::select! {
            _ = int.recv() => {
                if !DEFER_INTERRUPT.swap(false, std::sync::atomic::Ordering::SeqCst) {
                    return Exit::Interrupted;
                }
            }
            _ = term.recv() => return Exit::Terminated,
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
