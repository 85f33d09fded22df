//! JSON Lines and JSON arrays: any bytes, never a panic; articles keep the reader contract.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsdex::read::Format;

fuzz_target!(|data: &[u8]| {
    newsdex_fuzz::read_family(
        data,
        &[
            ("a.jsonl", Format::Jsonl),
            ("a.json", Format::Json),
            ("a.ndjson", Format::Jsonl),
            ("a.json", Format::Jsonl),
        ],
    );
});
