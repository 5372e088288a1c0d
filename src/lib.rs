//! kubectl-numa: rolling updates of Numaflow vertices, monovertices and pipelines.
//!
//! Data flows through the modules in this order: [`cli`] parses the command line,
//! [`target`] resolves what it names, [`api`] reads and watches the cluster,
//! [`rollout`] computes rollout state with no I/O, [`view`] renders it, and [`cmd`]
//! holds one module per subcommand wiring these together. [`exit`] maps every outcome
//! to the documented exit codes.

pub mod api;
pub mod cli;
pub mod cmd;
pub mod exit;
pub mod rollout;
pub mod target;
pub mod version;
pub mod view;

use std::process::ExitCode;

use exit::Exit;

/// Entry point of the binary: parse, run, report an error once, exit with its code.
pub fn main() -> ExitCode {
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

/// Resolves with the exit code of the first SIGINT or SIGTERM.
async fn signals() -> Exit {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut int), Ok(mut term)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        return futures::future::pending().await;
    };
    tokio::select! {
        _ = int.recv() => Exit::Interrupted,
        _ = term.recv() => Exit::Terminated,
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
