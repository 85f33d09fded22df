//! The newsdex binary: parse the command line, run the command, map the outcome to an
//! exit code (0 found, 1 nothing found, 2 error).

mod alloc;
mod cli;
mod commands;

use clap::Parser;
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: alloc::Alloc = alloc::Alloc;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Help and version are successes; usage errors are errors (2, as grep).
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match commands::run(cli) {
        Ok(found) => {
            if found {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            // A closed pipe (`newsdex search … | head`) is not an error.
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("newsdex: {e:#}");
            ExitCode::from(2)
        }
    }
}
