//! Plain text and Markdown, and files without an extension (sniffed): any bytes, never a
//! panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsdex::read::Format;

fuzz_target!(|data: &[u8]| {
    newsdex_fuzz::read_family(
        data,
        &[
            ("a.txt", Format::Text),
            ("a.md", Format::Markdown),
            ("article", Format::Auto),
            ("a.markdown", Format::Markdown),
        ],
    );
});
