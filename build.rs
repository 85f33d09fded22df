//! Links the `newsdex` binary at a fixed address (non-PIE) on Linux.
//!
//! A search is a whole process per query, so start-up counts. As a position-independent
//! executable, the binary carried ~38,000 relative relocations (tantivy, clap, zstd
//! tables): the loader read 0.9 MB of them and copied 200 pages of relocated data at
//! every start, 210 page faults and ~0.5 ms of a 4 ms search. The price is that the
//! binary's own image is not address-randomised (libraries, heap and stack still are).
//! Tests and the library are unaffected.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
