//! `--format json`: the core's types, serialised as they are.

use std::io::{self, Write};

use serde::Serialize;

/// Pretty-printed, so a person can read it too, with the trailing newline shells expect.
pub fn write<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// The same pretty JSON as a string, for output that may go to a file.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_string_pretty(value) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        // Only maps with non-string keys fail, and the core's types have none.
        Err(e) => format!("{{\"error\": \"cannot serialise: {e}\"}}\n"),
    }
}
