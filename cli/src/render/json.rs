//! `--format json`: the core's types, serialised as they are.

use std::io::{self, Write};

use serde::Serialize;

/// Pretty-printed, so a person can read it too, with the trailing newline shells expect.
pub fn write<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}
