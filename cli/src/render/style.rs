//! The few styles the text output uses. anstream strips them when colour is off, so
//! renderers write them unconditionally.

use anstyle::{AnsiColor, Style};
use vpclink_core::Severity;

pub fn severity(s: Severity) -> Style {
    let colour = match s {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Cyan,
    };
    colour.on_default().bold()
}

/// Titles and summaries.
pub const EMPHASIS: Style = Style::new().bold();

/// `-->`, `|` and `=`, as rustc draws them.
pub const GUTTER: Style = Style::new()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::BrightBlue)))
    .bold();

/// A reachable path, a passing check.
pub const GOOD: Style = Style::new()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)))
    .bold();
