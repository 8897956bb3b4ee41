//! Values after intrinsic functions have been evaluated as far as the template allows.
//!
//! A string is a list of parts: literal text, a reference to a resource of this template
//! (`!Ref X`, `!GetAtt X.Attr`: kept symbolic so it can become a topology reference), and
//! unknowns (a parameter without default, an import, an undecidable condition).

/// A value the template cannot tell offline.
#[derive(Debug, Clone, PartialEq)]
pub struct Unk {
    /// The source expression, short form (`!Ref VpcId`).
    pub expr: String,
    pub reason: String,
    /// Equal keys name the same outside thing (a parameter, an import, an attribute of an
    /// unmapped resource): placeholders are shared per key.
    pub key: String,
    /// How it reads inside a `${}`, for names shown as written (`AWS::StackName`).
    pub show: String,
    /// `!Select [i, …]` of an unknown list: the index, so that placeholders differ per index
    /// (distinct zones for `!Select [0, !GetAZs '']` and `!Select [1, …]`).
    pub index: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Lit(String),
    /// `!Ref logical` (attr `None`) or `!GetAtt logical.attr` of a mapped resource.
    Res {
        logical: String,
        attr: Option<String>,
    },
    Unk(Unk),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Text(Vec<Part>),
    List(Vec<Val>),
    Map(Vec<(String, Val)>),
    Unk(Unk),
}

impl Val {
    pub fn lit(s: impl Into<String>) -> Val {
        Val::Text(vec![Part::Lit(s.into())])
    }

    /// Joins parts, merging neighbouring literals; a lone unknown becomes `Val::Unk`.
    pub fn text(parts: Vec<Part>) -> Val {
        let mut out: Vec<Part> = Vec::new();
        for p in parts {
            match (out.last_mut(), p) {
                (Some(Part::Lit(a)), Part::Lit(b)) => a.push_str(&b),
                (_, Part::Lit(b)) if b.is_empty() => {}
                (_, p) => out.push(p),
            }
        }
        match out.as_slice() {
            [] => Val::lit(""),
            [Part::Unk(u)] => Val::Unk(u.clone()),
            _ => Val::Text(out),
        }
    }

    /// The parts of a string value (a lone unknown is one part).
    pub fn parts(&self) -> Option<Vec<Part>> {
        match self {
            Val::Text(p) => Some(p.clone()),
            Val::Unk(u) => Some(vec![Part::Unk(u.clone())]),
            _ => None,
        }
    }

    /// The literal text, when every part is literal.
    pub fn as_lit(&self) -> Option<String> {
        match self {
            Val::Text(parts) => {
                let mut s = String::new();
                for p in parts {
                    match p {
                        Part::Lit(t) => s.push_str(t),
                        _ => return None,
                    }
                }
                Some(s)
            }
            _ => None,
        }
    }

    /// The resource of a value that is exactly one `!Ref`/`!GetAtt`.
    pub fn as_res(&self) -> Option<(&str, Option<&str>)> {
        match self {
            Val::Text(parts) => match parts.as_slice() {
                [Part::Res { logical, attr }] => Some((logical, attr.as_deref())),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn as_unk(&self) -> Option<&Unk> {
        match self {
            Val::Unk(u) => Some(u),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Val> {
        match self {
            Val::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn items(&self) -> &[Val] {
        match self {
            Val::List(items) => items,
            _ => &[],
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Val::Null)
    }

    /// The first unknown anywhere in a string value.
    pub fn first_unknown(&self) -> Option<&Unk> {
        match self {
            Val::Unk(u) => Some(u),
            Val::Text(parts) => parts.iter().find_map(|p| match p {
                Part::Unk(u) => Some(u),
                _ => None,
            }),
            _ => None,
        }
    }

    /// The text as written, with unresolved parts in `${}` form: for names and other
    /// values that are shown, not checked.
    pub fn display(&self) -> Option<String> {
        let parts = self.parts()?;
        let mut s = String::new();
        for p in parts {
            match p {
                Part::Lit(t) => s.push_str(&t),
                Part::Res { logical, attr } => {
                    s.push_str("${");
                    s.push_str(&logical);
                    if let Some(a) = attr {
                        s.push('.');
                        s.push_str(&a);
                    }
                    s.push('}');
                }
                Part::Unk(u) => {
                    s.push_str("${");
                    s.push_str(&u.show);
                    s.push('}');
                }
            }
        }
        Some(s)
    }
}
