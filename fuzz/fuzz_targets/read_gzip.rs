//! Gzip-wrapped sources. The flags pick the inner format and how the rest is wrapped:
//! compressed whole (valid gzip around fuzzed content), compressed as two members
//! (concatenated gzip), cut short, or the raw bytes behind gzip's magic number (a corrupt
//! stream). Never a panic.
#![no_main]
use flate2::Compression;
use flate2::write::GzEncoder;
use libfuzzer_sys::fuzz_target;
use newsdex::read::Format;
use std::io::Write;

const INNER: [(&str, Format); 8] = [
    ("a.txt.gz", Format::Text),
    ("a.md.gz", Format::Markdown),
    ("a.jsonl.gz", Format::Jsonl),
    ("a.json.gz", Format::Json),
    ("a.csv.gz", Format::Csv),
    ("a.tsv.gz", Format::Tsv),
    ("a.html.gz", Format::Html),
    ("a.gz", Format::Auto),
];

fn gzip(parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts {
        let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
        enc.write_all(part).expect("in memory");
        out.extend(enc.finish().expect("in memory"));
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let (f, rest) = newsdex_fuzz::flags(data);
    let (name, format) = INNER[(f & 7) as usize];
    let format = if f & 0x80 != 0 { Format::Auto } else { format };
    let bytes = match (f >> 3) & 3 {
        0 => gzip(&[rest]),
        1 => {
            let (a, b) = rest.split_at(rest.len() / 2);
            gzip(&[a, b])
        }
        2 => {
            let mut g = gzip(&[rest]);
            // Truncated: drop the trailer and a little more, as a partial download would.
            let keep = g.len().saturating_sub(8 + rest.len() % 7);
            g.truncate(keep);
            g
        }
        _ => {
            let mut g = vec![0x1f, 0x8b];
            g.extend_from_slice(rest);
            g
        }
    };
    newsdex_fuzz::read_as(name, &bytes, format);
});
