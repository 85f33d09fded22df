//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

/// The binary, with colour off and its index in `index`.
pub fn newsdex(index: &Path) -> Command {
    let mut cmd = Command::cargo_bin("newsdex").expect("binary built");
    cmd.env("NO_COLOR", "1").arg("--index").arg(index);
    cmd
}

/// `newsdex stats --json` of an index.
pub fn stats(index: &Path) -> Value {
    let out = newsdex(index).args(["stats", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
