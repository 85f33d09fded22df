//! HTML pages.

use super::input::Ctx;
use super::{ReadError, ReadEvent};

pub(crate) fn read(
    ctx: &Ctx<'_>,
    _text: &str,
    _on_event: &mut dyn FnMut(ReadEvent),
) -> Result<(), ReadError> {
    Err(ctx.file_error("HTML is not supported yet"))
}

pub(crate) fn fragment_text(s: &str) -> String {
    super::normalize::record_body(s)
}

/// Collapses runs of whitespace into single spaces and trims.
pub(crate) fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
