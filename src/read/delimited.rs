//! CSV and TSV with a header row.

use super::input::Ctx;
use super::{ReadError, ReadEvent};
use std::io::BufRead;

pub(crate) fn read(
    ctx: &Ctx<'_>,
    _reader: Box<dyn BufRead>,
    _delimiter: u8,
    _on_event: &mut dyn FnMut(ReadEvent),
) -> Result<(), ReadError> {
    Err(ctx.file_error("CSV is not supported yet"))
}
