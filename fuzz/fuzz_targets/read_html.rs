//! HTML pages: any bytes, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsdex::read::Format;

fuzz_target!(|data: &[u8]| {
    newsdex_fuzz::read_family(
        data,
        &[
            ("a.html", Format::Html),
            ("a.htm", Format::Html),
            ("a", Format::Html),
        ],
    );
});
