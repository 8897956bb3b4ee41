//! The declarations of one module directory, gathered from all its `.tf` files: variables,
//! locals, resources, data sources, module calls, outputs and the AWS provider. Names that
//! Terraform requires to be unique are checked here, with the place of both declarations.

use rustc_hash::FxHashMap as HashMap;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::Span;

use super::source::{join_dir, ParsedFile};
use crate::import::ImportError;

/// An expression and the file it is written in (for its source text and position).
pub(super) struct Src<'a, T> {
    pub file: &'a ParsedFile<'a>,
    pub node: &'a T,
}

// By hand: the derive would require `T: Copy`, but only references are copied.
impl<T> Clone for Src<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Src<'_, T> {}

pub(super) type ExprRef<'a> = Src<'a, Expression>;

pub(super) struct Variable<'a> {
    pub default: Option<ExprRef<'a>>,
    pub type_expr: Option<ExprRef<'a>>,
}

/// A `resource` or `data` block.
pub(super) struct ResourceDecl<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub block: Src<'a, Block>,
    pub count: Option<ExprRef<'a>>,
    pub for_each: Option<ExprRef<'a>>,
}

/// Where a module call's source points.
pub(super) enum ModuleSource {
    /// A local directory within the map of files (`source = "./modules/net"`).
    Local(String),
    /// A local path that climbs above the root directory, which the reader cannot see.
    Outside,
    /// A registry, git or other remote source: not read.
    Remote,
}

pub(super) struct ModuleCall<'a> {
    pub name: &'a str,
    pub source_text: &'a str,
    pub source: ModuleSource,
    pub block: Src<'a, Block>,
    pub count: Option<ExprRef<'a>>,
    pub for_each: Option<ExprRef<'a>>,
}

impl<'a> ModuleCall<'a> {
    /// The input given for variable `name`, if any.
    pub fn input(&self, name: &str) -> Option<ExprRef<'a>> {
        if MODULE_META.contains(&name) {
            return None;
        }
        attribute(self.block.node.body.iter(), name).map(|node| Src {
            file: self.block.file,
            node,
        })
    }
}

/// Arguments of a `module` block that are not inputs of the module.
const MODULE_META: [&str; 6] = [
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

#[derive(Default)]
pub(super) struct ModuleDef<'a> {
    /// The directory relative to the root (`` for the root module).
    pub dir: String,
    pub variables: HashMap<&'a str, Variable<'a>>,
    pub locals: HashMap<&'a str, ExprRef<'a>>,
    /// Managed resources in declaration order (files by name, then position).
    pub resources: Vec<ResourceDecl<'a>>,
    /// `type.name` → index into `resources`.
    pub resource_index: HashMap<String, usize>,
    /// `type.name` → data source.
    pub data: HashMap<String, ResourceDecl<'a>>,
    pub modules: Vec<ModuleCall<'a>>,
    pub module_index: HashMap<&'a str, usize>,
    pub outputs: HashMap<&'a str, ExprRef<'a>>,
    /// `provider "aws"` blocks: the `region` argument, and whether it has an `alias`.
    pub aws_providers: Vec<(Option<ExprRef<'a>>, bool)>,
    /// Resource types declared here, to tell `aws_vpc.main` from an unknown root name.
    pub resource_types: HashMap<&'a str, ()>,
}

/// Where a name was first declared, for duplicate errors.
struct Seen<'a> {
    places: HashMap<String, (&'a str, u32)>,
}

impl<'a> Seen<'a> {
    fn check(
        &mut self,
        what: &str,
        key: String,
        file: &'a ParsedFile<'a>,
        span: Option<std::ops::Range<usize>>,
    ) -> Result<(), ImportError> {
        let (line, _) = file.position(span.clone().map_or(0, |s| s.start));
        if let Some((first_file, first_line)) = self.places.get(&key) {
            return Err(file.error(
                span,
                format!(
                    "duplicate {what} `{}`: first declared in {first_file} at line {first_line}",
                    key.split_once(':').map_or(key.as_str(), |(_, k)| k)
                ),
            ));
        }
        self.places.insert(key, (file.name, line));
        Ok(())
    }
}

impl<'a> ModuleDef<'a> {
    /// Gathers the declarations of `files` (all in directory `dir`, sorted by name).
    pub fn gather(dir: &str, files: &[&'a ParsedFile<'a>]) -> Result<Self, ImportError> {
        let mut def = ModuleDef {
            dir: dir.to_owned(),
            ..ModuleDef::default()
        };
        let mut seen = Seen {
            places: HashMap::default(),
        };
        for &file in files {
            for structure in file.body.iter() {
                let Structure::Block(block) = structure else {
                    // Top-level attributes are not Terraform; Terraform rejects them, but
                    // they carry nothing this reader needs either.
                    continue;
                };
                def.add_block(file, block, &mut seen)?;
            }
        }
        Ok(def)
    }

    fn add_block(
        &mut self,
        file: &'a ParsedFile<'a>,
        block: &'a Block,
        seen: &mut Seen<'a>,
    ) -> Result<(), ImportError> {
        let labels: Vec<&'a str> = block.labels.iter().map(|l| l.as_str()).collect();
        let src = Src { file, node: block };
        let expr = |name: &str| attribute(block.body.iter(), name).map(|node| Src { file, node });
        match block.ident.as_str() {
            "resource" | "data" => {
                let is_data = block.ident.as_str() == "data";
                let [kind, name] = labels.as_slice() else {
                    return Err(file.error(
                        block.span(),
                        format!(
                            "a {} block needs two labels, type and name",
                            block.ident.as_str()
                        ),
                    ));
                };
                let key = format!("{kind}.{name}");
                let what = if is_data { "data source" } else { "resource" };
                let seen_key = if is_data {
                    format!("data:data.{key}")
                } else {
                    format!("resource:{key}")
                };
                seen.check(what, seen_key, file, block.span())?;
                let decl = ResourceDecl {
                    kind,
                    name,
                    block: src,
                    count: expr("count"),
                    for_each: expr("for_each"),
                };
                if is_data {
                    self.data.insert(key, decl);
                } else {
                    self.resource_types.insert(kind, ());
                    self.resource_index.insert(key, self.resources.len());
                    self.resources.push(decl);
                }
            }
            "variable" => {
                let [name] = labels.as_slice() else {
                    return Err(file.error(block.span(), "a variable block needs one label"));
                };
                seen.check("variable", format!("variable:{name}"), file, block.span())?;
                self.variables.insert(
                    name,
                    Variable {
                        default: expr("default"),
                        type_expr: expr("type"),
                    },
                );
            }
            "locals" => {
                for structure in block.body.iter() {
                    if let Structure::Attribute(attr) = structure {
                        let name = attr.key.as_str();
                        seen.check("local value", format!("local:{name}"), file, attr.span())?;
                        self.locals.insert(
                            name,
                            Src {
                                file,
                                node: &attr.value,
                            },
                        );
                    }
                }
            }
            "output" => {
                let [name] = labels.as_slice() else {
                    return Err(file.error(block.span(), "an output block needs one label"));
                };
                seen.check("output", format!("output:{name}"), file, block.span())?;
                if let Some(value) = expr("value") {
                    self.outputs.insert(name, value);
                }
            }
            "module" => {
                let [name] = labels.as_slice() else {
                    return Err(file.error(block.span(), "a module block needs one label"));
                };
                seen.check("module call", format!("module:{name}"), file, block.span())?;
                let Some(source_text) = module_source(block) else {
                    return Err(file.error(
                        block.span(),
                        format!("module `{name}` needs a `source` that is a literal string"),
                    ));
                };
                let source = if is_local_source(source_text) {
                    join_dir(&self.dir, source_text)
                        .map_or(ModuleSource::Outside, ModuleSource::Local)
                } else {
                    ModuleSource::Remote
                };
                self.module_index.insert(name, self.modules.len());
                self.modules.push(ModuleCall {
                    name,
                    source_text,
                    source,
                    block: src,
                    count: expr("count"),
                    for_each: expr("for_each"),
                });
            }
            "provider" if labels.first() == Some(&"aws") => {
                let aliased = attribute(block.body.iter(), "alias").is_some();
                self.aws_providers.push((expr("region"), aliased));
            }
            // terraform, moved, import, removed, check: nothing to read.
            _ => {}
        }
        Ok(())
    }
}

/// The value of attribute `name` in a body.
pub(super) fn attribute<'a>(
    mut structures: impl Iterator<Item = &'a Structure>,
    name: &str,
) -> Option<&'a Expression> {
    structures.find_map(|s| match s {
        Structure::Attribute(attr) if attr.key.as_str() == name => Some(&attr.value),
        _ => None,
    })
}

/// The literal `source` of a module block (Terraform requires a literal string).
pub(super) fn module_source(block: &Block) -> Option<&str> {
    match attribute(block.body.iter(), "source")? {
        Expression::String(s) => Some(s.as_str()),
        Expression::StringTemplate(t) => match t.as_single_element()? {
            hcl_edit::template::Element::Literal(l) => Some(l.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// Terraform's rule: a local path starts with `./` or `../`; anything else is a registry
/// address or a remote (git, http, s3, ...) source.
pub(super) fn is_local_source(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}

/// Local module directories called from `body` in directory `dir`.
pub(super) fn local_calls(dir: &str, body: &Body) -> Vec<String> {
    body.iter()
        .filter_map(|s| match s {
            Structure::Block(b) if b.ident.as_str() == "module" => module_source(b),
            _ => None,
        })
        .filter(|source| is_local_source(source))
        .filter_map(|source| join_dir(dir, source))
        .collect()
}
