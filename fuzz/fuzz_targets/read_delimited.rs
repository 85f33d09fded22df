//! CSV and TSV with a header row: any bytes, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsdex::read::Format;

fuzz_target!(|data: &[u8]| {
    newsdex_fuzz::read_family(
        data,
        &[
            ("a.csv", Format::Csv),
            ("a.tsv", Format::Tsv),
            ("a.csv", Format::Tsv),
            ("a.tsv", Format::Csv),
        ],
    );
});
