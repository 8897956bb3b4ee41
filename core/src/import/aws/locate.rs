//! Line and column of JSON Pointers in JSON text, for errors and source locations of a
//! bundle given as text. One pass over the text finds every wanted pointer; containers off
//! the wanted paths are skipped without building their pointers.

use std::collections::{HashMap, HashSet};

use crate::pointer::JsonPointer;

/// 1-based line and column (in characters) of the value at each pointer found.
pub fn locate_all(text: &str, wanted: &[&str]) -> HashMap<String, (u32, u32)> {
    let mut prefixes: HashSet<String> = HashSet::new();
    for w in wanted {
        let mut end = 0;
        prefixes.insert(String::new());
        while let Some(i) = w.get(end + 1..).and_then(|rest| rest.find('/')) {
            end += 1 + i;
            prefixes.insert(w.get(..end).unwrap_or_default().to_owned());
        }
        prefixes.insert((*w).to_owned());
    }
    let wanted: HashSet<&str> = wanted.iter().copied().collect();
    let mut s = Scanner {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        found: HashMap::new(),
        cursor: (0, 1, 1),
    };
    s.value(&JsonPointer::root(), &wanted, &prefixes, 0);
    s.found
}

/// The position of one pointer, when it is in the text.
pub fn locate(text: &str, pointer: &str) -> Option<(u32, u32)> {
    locate_all(text, &[pointer]).remove(pointer)
}

struct Scanner<'t> {
    bytes: &'t [u8],
    text: &'t str,
    pos: usize,
    found: HashMap<String, (u32, u32)>,
    /// Byte offset, line and column counted so far.
    cursor: (usize, u32, u32),
}

// serde_json refuses deeper documents, so the text has been rejected before this depth.
const MAX_DEPTH: usize = 256;

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.pos += 1;
        }
    }

    /// Positions are asked for in increasing order, so counting resumes where it stopped.
    fn line_col(&mut self) -> (u32, u32) {
        let (from, mut line, mut col) = self.cursor;
        for c in self.text.get(from..self.pos).unwrap_or_default().chars() {
            if c == '\n' {
                line = line.saturating_add(1);
                col = 1;
            } else {
                col = col.saturating_add(1);
            }
        }
        self.cursor = (self.pos, line, col);
        (line, col)
    }

    /// Reads a string starting at the opening quote; returns its raw text including quotes.
    fn string(&mut self) -> Option<&str> {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return self.text.get(start..self.pos);
                }
                _ => self.pos += 1,
            }
        }
    }

    fn value(
        &mut self,
        at: &JsonPointer,
        wanted: &HashSet<&str>,
        prefixes: &HashSet<String>,
        depth: usize,
    ) -> Option<()> {
        self.ws();
        if wanted.contains(at.as_str()) {
            let lc = self.line_col();
            self.found.insert(at.as_str().to_owned(), lc);
        }
        let descend = depth < MAX_DEPTH && prefixes.contains(at.as_str());
        match self.peek()? {
            b'{' => {
                self.pos += 1;
                loop {
                    self.ws();
                    match self.peek()? {
                        b'}' => {
                            self.pos += 1;
                            return Some(());
                        }
                        b',' => self.pos += 1,
                        b'"' => {
                            let raw = self.string()?;
                            let key = if raw.contains('\\') {
                                serde_json::from_str::<String>(raw).ok()?
                            } else {
                                raw.get(1..raw.len().saturating_sub(1))?.to_owned()
                            };
                            self.ws();
                            if self.peek()? != b':' {
                                return None;
                            }
                            self.pos += 1;
                            if descend {
                                self.value(&at.clone().key(&key), wanted, prefixes, depth + 1)?;
                            } else {
                                self.skip()?;
                            }
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.pos += 1;
                let mut index = 0;
                loop {
                    self.ws();
                    match self.peek()? {
                        b']' => {
                            self.pos += 1;
                            return Some(());
                        }
                        b',' => self.pos += 1,
                        _ => {
                            if descend {
                                self.value(&at.clone().index(index), wanted, prefixes, depth + 1)?;
                            } else {
                                self.skip()?;
                            }
                            index += 1;
                        }
                    }
                }
            }
            _ => self.skip(),
        }
    }

    /// Skips one value without tracking pointers (nesting counted, strings honoured).
    fn skip(&mut self) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                        }
                        b'{' | b'[' => {
                            depth += 1;
                            self.pos += 1;
                        }
                        b'}' | b']' => {
                            depth = depth.saturating_sub(1);
                            self.pos += 1;
                            if depth == 0 {
                                return Some(());
                            }
                        }
                        _ => self.pos += 1,
                    }
                }
            }
            _ => {
                while let Some(c) = self.peek() {
                    if matches!(c, b',' | b'}' | b']') || c.is_ascii_whitespace() {
                        break;
                    }
                    self.pos += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    const TEXT: &str =
        "{\n  \"a\": {\"b/c\": [1, {\"x\": \"y\"}]},\n  \"d\": \"é\", \"e\": [true, null]\n}";

    #[test]
    fn finds_nested_values_with_escaped_keys() {
        assert_eq!(locate(TEXT, ""), Some((1, 1)));
        assert_eq!(locate(TEXT, "/a"), Some((2, 8)));
        assert_eq!(locate(TEXT, "/a/b~1c/1/x"), Some((2, 26)));
        assert_eq!(locate(TEXT, "/e/1"), Some((3, 25)));
        assert_eq!(locate(TEXT, "/missing"), None);
    }

    #[test]
    fn finds_several_in_one_pass() {
        let found = locate_all(TEXT, &["/d", "/a/b~1c/0", "/e"]);
        assert_eq!(found.get("/d"), Some(&(3, 8)));
        assert_eq!(found.get("/a/b~1c/0"), Some(&(2, 17)));
        assert_eq!(found.get("/e"), Some(&(3, 18)));
    }

    #[test]
    fn never_panics_on_broken_text() {
        for cut in 0..TEXT.len() {
            if let Some(prefix) = TEXT.get(..cut) {
                let _ = locate_all(prefix, &["/a/b~1c/1/x", "/e/1"]);
            }
        }
    }
}
