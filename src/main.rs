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
            eprintln!("newsdex: {}", describe(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes, each said once: most of our error messages already
/// include their cause's text, which `{:#}` would print a second time.
fn describe(e: &anyhow::Error) -> String {
    let mut out = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !out.contains(&cause) {
            out.push_str(": ");
            out.push_str(&cause);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[derive(Debug, thiserror::Error)]
    #[error("index error: {0}")]
    struct Wrapping(#[from] std::io::Error);

    #[test]
    fn a_cause_already_in_the_message_is_not_repeated() {
        let io = std::io::Error::other("disk full");
        let e = anyhow::Error::from(Wrapping(io)).context("writing the index");
        assert_eq!(describe(&e), "writing the index: index error: disk full");
    }

    #[test]
    fn a_cause_not_in_the_message_is_added() {
        let e = anyhow::Error::from(std::io::Error::other("disk full")).context("writing");
        assert_eq!(describe(&e), "writing: disk full");
    }
}
