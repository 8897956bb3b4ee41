//! Deserialising from JSON text with the JSON Pointer of a bad value.
//!
//! serde_json reports where in the text it stopped (line and column); this module turns that
//! place back into the JSON Pointer of the value being read, by scanning the text up to it.
//! Every input type is deserialised this way, from JSON text, instead of through a wrapper
//! that tracks the path while deserialising (serde_path_to_error): such a wrapper is a second
//! copy of every type's deserialisation, and was the largest single part of the npm
//! package's WebAssembly module (81 KB of its 1.27 MB gzipped; docs/benchmarks.md), and
//! made every read slower. The scan runs only when deserialisation has failed.
//!
//! serde_path_to_error stays as the reference: the tests damage the example topology, plan,
//! live-state bundle, checkpoint and executor answers in thousands of ways and require the
//! same pointer, or one naming the rejected key of the map serde_path_to_error stops at.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::pointer::JsonPointer;

/// A value that could not be deserialised: serde_json's error and the value it is about.
#[derive(Debug)]
pub(crate) struct PathError {
    pub pointer: JsonPointer,
    pub error: serde_json::Error,
}

impl PathError {
    /// serde's message without serde_json's " at line L column C" (the place is reported
    /// as the pointer, and the line and column apart).
    pub fn message(&self) -> String {
        strip_position(&self.error.to_string())
    }
}

/// `T` from JSON text; the error carries the pointer of the value serde_json stopped in.
/// serde_json calls some values of the wrong kind syntax errors (`null` where an enum is
/// expected: "expected value"), so the pointer is found for those too; for text that is
/// not JSON it means little, and callers that read such text decide whether to report it.
pub(crate) fn from_json_str<T: DeserializeOwned>(text: &str) -> Result<T, PathError> {
    serde_json::from_str(text).map_err(|error| PathError {
        pointer: pointer_of::<T>(text),
        error,
    })
}

/// `T` from a JSON value, through its JSON text (so that the place of a bad value can be
/// found, and so that each type is deserialised by one reader only).
pub(crate) fn from_json_value<T: DeserializeOwned>(value: &Value) -> Result<T, PathError> {
    from_json_str(&value.to_string())
}

/// The pointer of the value at which deserialising `text` as `T` fails (the root if it
/// does not). Runs only after a failure.
///
/// Where serde_json stops depends on who rejected what:
/// - a scalar or member key it rejects: just past it;
/// - an object or array of the wrong kind: at its opening bracket;
/// - an object or array its type rejects as a whole (a missing field): just past its
///   closing bracket;
/// - a value a type read whole before rejecting it (tagged and untagged enums, types that
///   check a value after reading it): the enclosing object's next comma or closing bracket,
///   or the enclosing array's next element or closing bracket.
///
/// The text is read once more with a space before every closing bracket, so that "just
/// past a value" and "at the closing bracket after it" are different places. What is still
/// ambiguous (an object's closing bracket: the object, or its last member? an array
/// element's first byte: that element, or the one before?) is settled by the message, and
/// where that is not enough, by reading a copy without the member or elements in question.
pub(crate) fn pointer_of<T: DeserializeOwned>(text: &str) -> JsonPointer {
    let spaced = space_before_closing_brackets(text);
    let Err(error) = serde_json::from_str::<T>(&spaced) else {
        return JsonPointer::root();
    };
    let message = strip_position(&error.to_string());
    let offset = offset_of(&spaced, error.line(), error.column());
    // Whether a copy of the text with `cut` left out fails the same way, just past the
    // closing bracket that then follows `cut.start`.
    let fails_without = |cut: std::ops::Range<usize>| {
        let (Some(head), Some(tail)) = (spaced.get(..cut.start), spaced.get(cut.end..)) else {
            return false;
        };
        let copy = format!("{head} {tail}");
        match serde_json::from_str::<T>(&copy) {
            Ok(_) => false,
            Err(e) => {
                strip_position(&e.to_string()) == message
                    && offset_of(&copy, e.line(), e.column()) == cut.start + 2
            }
        }
    };
    match spot(&spaced, offset) {
        Spot::Value(pointer) => pointer,
        Spot::PastClose(closed) => closed.blame(&message, fails_without),
        Spot::ElementStart(start) => start.blame(&message, fails_without),
    }
}

/// `text` with a space before each `}` and `]` outside strings.
fn space_before_closing_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else {
            match c {
                '"' => in_string = true,
                '}' | ']' => out.push(' '),
                _ => {}
            }
        }
        out.push(c);
    }
    out
}

/// serde_json's messages end with " at line L column C".
pub(crate) fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_owned(),
        None => message.to_owned(),
    }
}

/// The byte offset of serde_json's (1-based line, 0-based byte column) in `text`.
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    line_start.saturating_add(column).min(text.len())
}

/// A completed member or element of an open object or array.
struct Child {
    pointer: JsonPointer,
    /// Its keys, when it is an object.
    keys: Option<Vec<String>>,
    /// Where leaving it out starts: the comma before it, or just past the opening bracket.
    cut_from: usize,
}

/// One open object or array on the way to the offset.
struct Open {
    pointer: JsonPointer,
    object: bool,
    /// Just past its opening bracket.
    inside: usize,
    /// For an object, the key of the member being read (`None` before its key).
    key: Option<String>,
    /// For an object, the keys read so far.
    keys: Vec<String>,
    /// For an array, the index of the element being read.
    index: usize,
    /// The comma before the member or element being read.
    comma: Option<usize>,
    last: Option<Child>,
}

impl Open {
    fn child(&self) -> JsonPointer {
        if self.object {
            self.pointer
                .clone()
                .key(self.key.as_deref().unwrap_or_default())
        } else {
            self.pointer.clone().index(self.index)
        }
    }

    /// The member or element being read is complete.
    fn complete(&mut self, keys: Option<Vec<String>>) {
        self.last = Some(Child {
            pointer: self.child(),
            keys,
            cut_from: self.comma.unwrap_or(self.inside),
        });
        if self.object {
            self.key = None;
        } else {
            self.index += 1;
        }
    }
}

/// Where serde_json stopped, as far as the text alone tells.
enum Spot {
    /// In or just past this value (or member key).
    Value(JsonPointer),
    /// Just past the closing bracket of an object or array.
    PastClose(Closed),
    /// At the first byte of an array element after the first.
    ElementStart(ElementStart),
}

struct Closed {
    pointer: JsonPointer,
    object: bool,
    keys: Vec<String>,
    last: Option<Child>,
    /// Its closing bracket.
    close: usize,
}

impl Closed {
    /// The object or array itself (it lacks a field, or has the wrong length), or its last
    /// member or element (read whole, then rejected).
    fn blame(
        self,
        message: &str,
        fails_without: impl Fn(std::ops::Range<usize>) -> bool,
    ) -> JsonPointer {
        let Some(last) = self.last else {
            return self.pointer;
        };
        if message.starts_with("invalid length") && !self.object {
            return self.pointer;
        }
        let Some(field) = missing_field(message) else {
            return last.pointer;
        };
        let lacks = |keys: &[String]| !keys.iter().any(|k| k == field);
        let container_lacks = self.object && lacks(&self.keys);
        let last_lacks = last.keys.as_deref().is_some_and(lacks);
        match (container_lacks, last_lacks) {
            (true, true) => {
                // Both could be missing it: without the last member, does the object still?
                if fails_without(last.cut_from..self.close) {
                    self.pointer
                } else {
                    last.pointer
                }
            }
            (false, true) => last.pointer,
            _ => self.pointer,
        }
    }
}

struct ElementStart {
    element: JsonPointer,
    /// The element before, or the array for its first element.
    previous: JsonPointer,
    /// The element's first byte, the comma before it (or the array's opening bracket), and
    /// the array's closing bracket.
    opens: u8,
    comma: usize,
    close: Option<usize>,
}

impl ElementStart {
    /// This element (an object or array of the wrong kind), or the one before it (read
    /// whole, then rejected; serde_json was past the comma when the error reached it), or
    /// for the first element, the array (rejected before its first element was read).
    fn blame(
        self,
        message: &str,
        fails_without: impl Fn(std::ops::Range<usize>) -> bool,
    ) -> JsonPointer {
        let kind_of_this = match self.opens {
            b'{' => message.starts_with("invalid type: map"),
            b'[' => message.starts_with("invalid type: sequence"),
            _ => false,
        };
        if !kind_of_this {
            return self.previous;
        }
        match self.close {
            Some(close) if fails_without(self.comma..close) => self.previous,
            _ => self.element,
        }
    }
}

/// The field of serde's "missing field `f`".
fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

/// Where in `text` serde_json stopped at `offset`. The text before `offset` is JSON serde_json
/// has read without a syntax error; if it is not, the innermost value found so far is
/// returned.
fn spot(text: &str, offset: usize) -> Spot {
    let bytes = text.as_bytes();
    let mut open: Vec<Open> = Vec::new();
    let mut pos = 0;
    let innermost = |open: &[Open]| {
        open.last()
            .map_or_else(JsonPointer::root, |o| o.pointer.clone())
    };
    loop {
        let Some((start, byte)) = next_token(bytes, pos) else {
            return Spot::Value(innermost(&open));
        };
        if start > offset {
            return Spot::Value(innermost(&open));
        }
        let expecting_key = open.last().is_some_and(|o| o.object && o.key.is_none());
        // At an element's first byte, serde_json may be past the comma after the element
        // before (an error that reached the array from it), or past the opening bracket (an
        // error about the array): the element's "previous" is that element, or the array.
        let element_start = (start == offset)
            .then(|| open.last().filter(|o| !o.object))
            .flatten()
            .map(|o| {
                (
                    o.index
                        .checked_sub(1)
                        .map_or_else(|| o.pointer.clone(), |i| o.pointer.clone().index(i)),
                    o.comma.unwrap_or(o.inside),
                )
            });
        match byte {
            b',' => {
                if start == offset {
                    let last = open
                        .last()
                        .and_then(|o| o.last.as_ref())
                        .map(|c| c.pointer.clone());
                    return Spot::Value(last.unwrap_or_else(|| innermost(&open)));
                }
                if let Some(o) = open.last_mut() {
                    o.comma = Some(start);
                }
                pos = start + 1;
            }
            b':' => pos = start + 1,
            b'}' | b']' => {
                let Some(closed) = open.pop() else {
                    return Spot::Value(JsonPointer::root());
                };
                if start == offset {
                    return Spot::Value(closed.pointer);
                }
                if start + 1 == offset {
                    return Spot::PastClose(Closed {
                        pointer: closed.pointer,
                        object: closed.object,
                        keys: closed.keys,
                        last: closed.last,
                        close: start,
                    });
                }
                if let Some(parent) = open.last_mut() {
                    parent.complete(closed.object.then_some(closed.keys));
                }
                pos = start + 1;
            }
            b'"' if expecting_key => {
                if start == offset {
                    // No error about a key is placed at its first byte: the object was
                    // rejected before its first key was read.
                    return Spot::Value(innermost(&open));
                }
                let end = string_end(bytes, start);
                let key = key_text(text, start, end);
                if offset <= end {
                    return Spot::Value(innermost(&open).key(key));
                }
                if let Some(o) = open.last_mut() {
                    o.keys.push(key.clone());
                    o.key = Some(key);
                }
                pos = end;
            }
            b'{' | b'[' => {
                let pointer = open.last().map_or_else(JsonPointer::root, Open::child);
                if start == offset {
                    return match element_start {
                        Some((previous, comma)) => Spot::ElementStart(ElementStart {
                            element: pointer,
                            previous,
                            opens: byte,
                            comma,
                            close: closing_bracket(bytes, start),
                        }),
                        None => Spot::Value(pointer),
                    };
                }
                open.push(Open {
                    pointer,
                    object: byte == b'{',
                    inside: start + 1,
                    key: None,
                    keys: Vec::new(),
                    index: 0,
                    comma: None,
                    last: None,
                });
                pos = start + 1;
            }
            _ => {
                let end = if byte == b'"' {
                    string_end(bytes, start)
                } else {
                    scalar_end(bytes, start)
                };
                if let Some((previous, _)) = element_start {
                    // No error about a scalar is placed at its first byte.
                    return Spot::Value(previous);
                }
                if offset <= end {
                    return Spot::Value(open.last().map_or_else(JsonPointer::root, Open::child));
                }
                match open.last_mut() {
                    Some(o) => o.complete(None),
                    None => return Spot::Value(JsonPointer::root()),
                }
                pos = end;
            }
        }
    }
}

/// The closing bracket of the object or array whose member or element starts at `from`.
fn closing_bracket(bytes: &[u8], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                i = string_end(bytes, i);
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The first byte at or after `pos` that is not JSON whitespace.
fn next_token(bytes: &[u8], pos: usize) -> Option<(usize, u8)> {
    bytes
        .iter()
        .enumerate()
        .skip(pos)
        .find(|(_, b)| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .map(|(i, &b)| (i, b))
}

/// Just past the closing quote of the string opening at `start` (the text's end if it is
/// not closed).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Just past a number or a literal (`true`, `false`, `null`).
fn scalar_end(bytes: &[u8], start: usize) -> usize {
    bytes
        .iter()
        .enumerate()
        .skip(start)
        .find(|(_, b)| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.')))
        .map_or(bytes.len(), |(i, _)| i.max(start + 1))
}

/// The key of the string token at `start..end`, unescaped.
fn key_text(text: &str, start: usize, end: usize) -> String {
    let raw = text.get(start..end).unwrap_or_default();
    if raw.contains('\\') {
        serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.trim_matches('"').to_owned())
    } else {
        raw.trim_matches('"').to_owned()
    }
}

#[cfg(test)]
mod tests;
