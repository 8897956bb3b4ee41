//! The files of a configuration: which belong to which module directory, their parsed
//! bodies, and byte offsets turned into 1-based line and column for locations and errors.

use std::ops::Range;

use hcl_edit::structure::Body;

use crate::import::ImportError;
use crate::model::SourceFormat;

/// One parsed `.tf` or `.tfvars` file.
pub(super) struct ParsedFile<'a> {
    /// The name relative to the root module, with `/` separators.
    pub name: &'a str,
    pub text: &'a str,
    pub body: Body,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
}

impl<'a> ParsedFile<'a> {
    /// Parses `text`; a syntax error names the file, line and column.
    pub fn parse(name: &'a str, text: &'a str) -> Result<Self, ImportError> {
        // Editors on Windows may write a byte-order mark, which the parser rejects; it is
        // not a character of the first line, so columns stay right without it.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let body = hcl_edit::parser::parse_body(text).map_err(|err| {
            let location = err.location();
            error_at(
                name,
                to_u32(location.line()),
                to_u32(location.column()),
                format!("syntax error: {}", err.message()),
            )
        })?;
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        Ok(ParsedFile {
            name,
            text,
            body,
            line_starts,
        })
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let column = self
            .text
            .get(start..offset.min(self.text.len()))
            .map_or(0, |s| s.chars().count());
        (to_u32(line.max(1)), to_u32(column + 1))
    }

    /// The source text of a span, shortened for messages.
    pub fn snippet(&self, span: Option<Range<usize>>) -> String {
        const MAX_CHARS: usize = 300;
        let text = span.and_then(|s| self.text.get(s)).unwrap_or("").trim();
        if text.chars().count() > MAX_CHARS {
            let cut: String = text.chars().take(MAX_CHARS).collect();
            format!("{cut}…")
        } else {
            text.to_owned()
        }
    }

    /// An error at the start of `span` in this file.
    pub fn error(&self, span: Option<Range<usize>>, message: impl Into<String>) -> ImportError {
        let (line, column) = self.position(span.map_or(0, |s| s.start));
        error_at(self.name, line, column, message.into())
    }
}

/// An import error located in `file`; the file name is part of the message because
/// [`ImportError`] has no field for it (its `path` is a JSON Pointer).
pub(super) fn error_at(file: &str, line: u32, column: u32, message: String) -> ImportError {
    ImportError {
        format: SourceFormat::Terraform,
        message: format!("{message} (in {file})"),
        path: None,
        line: Some(line),
        column: Some(column),
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The module directory a file belongs to: `modules/net/main.tf` → `modules/net`,
/// `main.tf` and `./main.tf` → `` (the root); `None` above the root.
pub(super) fn dir_of(name: &str) -> Option<String> {
    join_dir("", name.rsplit_once('/').map_or("", |(dir, _)| dir))
}

/// Joins a local module source (`./modules/net`, `../shared`) onto the calling module's
/// directory; `None` when it climbs above the root, which the map of files cannot hold.
pub(super) fn join_dir(dir: &str, source: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in source.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Whether `name` is a Terraform configuration file of a module: `*.tf`, but not the
/// `override.tf` / `*_override.tf` files, whose merge rules this reader does not apply.
pub(super) fn is_config_file(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.ends_with(".tf") && base != "override.tf" && !base.ends_with("_override.tf")
}

/// The root module's variable files in the order Terraform applies them (later wins):
/// `terraform.tfvars`, then `*.auto.tfvars` in lexical order.
pub(super) fn tfvars_files<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut auto: Vec<&str> = Vec::new();
    let mut main = None;
    for name in names {
        let base = name.strip_prefix("./").unwrap_or(name);
        if base == "terraform.tfvars" {
            main = Some(name);
        } else if !base.contains('/') && base.ends_with(".auto.tfvars") {
            auto.push(name);
        }
    }
    auto.sort_unstable_by_key(|name| name.strip_prefix("./").unwrap_or(name));
    main.into_iter().chain(auto).collect()
}
