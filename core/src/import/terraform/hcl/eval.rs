//! The offline evaluator: HCL expressions to [`TfValue`]s in the scope of one module
//! instance. Locals, variables, module outputs and `count`/`for_each` are evaluated lazily
//! and remembered, so declaration order does not matter and a cycle is found (its values are
//! unknown) instead of looping. Everything is bounded — nesting depth, collection sizes and
//! a budget of work — so no input hangs the reader or exhausts the stack.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, ObjectKey, Traversal, TraversalOperator, UnaryOperator,
};
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::Span;

use super::module::{ExprRef, ModuleDef, ModuleSource};
use super::source::ParsedFile;
use super::value::{
    self, blocker, equal, error, number, quote_key, shallow_blocker, to_bool, to_int, to_number,
    to_text, type_name, weight, FResult, Fail,
};
use crate::import::terraform::ir::TfValue;

/// Nested evaluation depth (expressions within expressions, and locals, variables and
/// outputs evaluated on demand from within one another). It bounds the native stack; the
/// parser already limits one expression to 64 nested levels.
const MAX_DEPTH: u32 = 200;
/// `count` and the number of `for_each` keys, per resource, data source or module block.
pub(super) const MAX_INSTANCES: usize = 10_000;
/// Elements of a list or map built by a `for` expression, `range`, a dynamic block, ...
pub(super) const MAX_COLLECTION: usize = 100_000;
/// Bytes of one string built by a template or function.
pub(super) const MAX_STRING: usize = 1 << 20;
/// Module calls within module calls.
pub(super) const MAX_MODULE_DEPTH: usize = 16;
/// Module instances in the whole configuration.
const MAX_MODULE_INSTANCES: usize = 10_000;
/// The work budget: one unit per expression evaluated and per node of a stored value
/// copied. It also bounds memory, since every node made costs a unit. A large real
/// configuration (10,000 resources) takes a small part of it.
const FUEL: u64 = 10_000_000;
/// Nodes of one local, variable or output value (a string counts one per 64 bytes).
const MAX_VALUE_WEIGHT: u64 = 1_000_000;
const OUT_OF_FUEL: &str = "the configuration needs more evaluation than the reader allows";

/// Iteration values of a resource or module instance: `count.index`, `each.key`,
/// `each.value`.
#[derive(Clone, Default)]
pub(super) struct Iteration {
    pub count_index: Option<usize>,
    pub each: Option<(String, TfValue)>,
}

/// How a resource, data source or module block expands into instances.
#[derive(Clone)]
pub(super) enum Expansion {
    Single,
    Count(usize),
    ForEach(BTreeMap<String, TfValue>),
    /// Not known offline, or not valid: why.
    Unknown(String),
}

impl Expansion {
    /// Each instance's address suffix (`""`, `[0]`, `["a"]`) and iteration values.
    pub fn instances(&self) -> Vec<(String, Iteration)> {
        match self {
            Expansion::Single => vec![(String::new(), Iteration::default())],
            Expansion::Count(n) => (0..*n)
                .map(|i| {
                    (
                        format!("[{i}]"),
                        Iteration {
                            count_index: Some(i),
                            each: None,
                        },
                    )
                })
                .collect(),
            Expansion::ForEach(map) => map
                .iter()
                .map(|(k, v)| {
                    (
                        format!("[{}]", quote_key(k)),
                        Iteration {
                            count_index: None,
                            each: Some((k.clone(), v.clone())),
                        },
                    )
                })
                .collect(),
            Expansion::Unknown(_) => Vec::new(),
        }
    }
}

/// One instance of a module: the root, or one instance of a module call.
pub(super) struct Instance<'a> {
    /// The address prefix of everything in it: `` or `module.net[0].`.
    pub prefix: String,
    pub def: &'a ModuleDef<'a>,
    /// The calling instance, the index of the call in its module, and the call's iteration.
    pub parent: Option<(usize, usize, Iteration)>,
    pub depth: usize,
}

#[derive(Clone, Hash, PartialEq, Eq)]
enum Key {
    Local(usize, String),
    Var(usize, String),
    Output(usize, String),
    /// `type.name`, `data.type.name` or `module.name`.
    Expand(usize, String),
}

enum Memo {
    InProgress,
    Value(TfValue, u64),
    Expansion(Expansion),
    Module(Expansion, Vec<usize>),
}

/// Where an expression is evaluated.
pub(super) struct Scope<'a> {
    pub inst: usize,
    pub file: &'a ParsedFile<'a>,
    pub iteration: Iteration,
    /// `for` expression variables and dynamic block iterators, innermost last.
    pub vars: Vec<(String, TfValue)>,
}

impl<'a> Scope<'a> {
    pub fn new(inst: usize, file: &'a ParsedFile<'a>, iteration: Iteration) -> Self {
        Scope {
            inst,
            file,
            iteration,
            vars: Vec::new(),
        }
    }

    fn lookup(&self, name: &str) -> Option<&TfValue> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// An unknown standing for expression `e`.
    pub fn unknown(&self, e: &Expression, reason: impl Into<String>) -> TfValue {
        TfValue::Unknown {
            expression: self.file.snippet(e.span()),
            reason: reason.into(),
        }
    }
}

pub(super) type R = Result<TfValue, String>;

pub(super) struct Evaluator<'a> {
    pub defs: &'a BTreeMap<String, ModuleDef<'a>>,
    /// All files of the configuration, for `file()`.
    pub files: &'a BTreeMap<String, String>,
    /// Root variable values from `terraform.tfvars` and `*.auto.tfvars`.
    pub tfvars: BTreeMap<String, TfValue>,
    pub instances: Vec<Instance<'a>>,
    memo: HashMap<Key, Memo>,
    fuel: u64,
    depth: u32,
}

impl<'a> Evaluator<'a> {
    pub fn new(
        defs: &'a BTreeMap<String, ModuleDef<'a>>,
        root: &'a ModuleDef<'a>,
        files: &'a BTreeMap<String, String>,
        tfvars: BTreeMap<String, TfValue>,
    ) -> Self {
        Evaluator {
            defs,
            files,
            tfvars,
            instances: vec![Instance {
                prefix: String::new(),
                def: root,
                parent: None,
                depth: 0,
            }],
            memo: HashMap::default(),
            fuel: FUEL,
            depth: 0,
        }
    }

    fn def(&self, inst: usize) -> Option<&'a ModuleDef<'a>> {
        self.instances.get(inst).map(|i| i.def)
    }

    fn prefix(&self, inst: usize) -> String {
        self.instances
            .get(inst)
            .map(|i| i.prefix.clone())
            .unwrap_or_default()
    }

    /// Charges `units` of work; false when the budget is spent.
    fn charge(&mut self, units: u64) -> bool {
        if self.fuel < units {
            self.fuel = 0;
            return false;
        }
        self.fuel -= units;
        true
    }

    /// The value of an expression: what Terraform would reject becomes an unknown with the
    /// reason.
    pub fn value(&mut self, e: &'a Expression, sc: &mut Scope<'a>) -> TfValue {
        match self.eval(e, sc) {
            Ok(v) => v,
            Err(reason) => sc.unknown(e, reason),
        }
    }

    /// The value of a resource argument: as [`Self::value`], and a whole resource object
    /// (rather than one of its attributes) is unknown.
    pub fn argument(&mut self, e: &'a Expression, sc: &mut Scope<'a>) -> TfValue {
        finish(self.value(e, sc))
    }

    /// Evaluates `e`; `Err` is what Terraform would reject (and `try` falls back on).
    pub fn eval(&mut self, e: &'a Expression, sc: &mut Scope<'a>) -> R {
        if !self.charge(1) {
            return Ok(sc.unknown(e, OUT_OF_FUEL));
        }
        if self.depth >= MAX_DEPTH {
            return Ok(sc.unknown(e, "nested too deeply to evaluate"));
        }
        self.depth += 1;
        let result = self.eval_inner(e, sc);
        self.depth -= 1;
        result
    }

    // Each kind of expression has its own function, so that this one, on the path of
    // every nested evaluation, keeps a small stack frame.
    fn eval_inner(&mut self, e: &'a Expression, sc: &mut Scope<'a>) -> R {
        match e {
            Expression::Null(_) => Ok(TfValue::Null),
            Expression::Bool(b) => Ok(TfValue::Bool(*b.value())),
            Expression::Number(n) => Ok(hcl_number(n.value())),
            Expression::String(s) => Ok(TfValue::String(s.value().clone())),
            Expression::Array(items) => self.array(items, sc),
            Expression::Object(object) => self.object(object, e, sc),
            Expression::StringTemplate(t) => self.template(t, e, sc),
            Expression::HeredocTemplate(h) => self.template(&h.template, e, sc),
            Expression::Parenthesis(p) => self.eval(p.inner(), sc),
            Expression::Variable(name) => match sc.lookup(name.as_str()) {
                Some(v) => Ok(v.clone()),
                None => Err(alone(name.as_str())),
            },
            Expression::Conditional(c) => self.conditional(c, e, sc),
            Expression::FuncCall(call) => super::funcs::call(self, call, e, sc),
            Expression::Traversal(t) => self.traversal(t, e, sc),
            Expression::UnaryOp(op) => self.unary(op, e, sc),
            Expression::BinaryOp(op) => self.binary(op, e, sc),
            Expression::ForExpr(f) => {
                let mark = sc.vars.len();
                let result = self.for_expr(f, e, sc);
                sc.vars.truncate(mark);
                result
            }
        }
    }

    #[inline(never)]
    fn array(&mut self, items: &'a hcl_edit::expr::Array, sc: &mut Scope<'a>) -> R {
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter() {
            out.push(self.eval(item, sc)?);
        }
        Ok(TfValue::List(out))
    }

    #[inline(never)]
    fn object(
        &mut self,
        object: &'a hcl_edit::expr::Object,
        e: &'a Expression,
        sc: &mut Scope<'a>,
    ) -> R {
        let mut out = BTreeMap::new();
        for (key, item) in object.iter() {
            let key = match key {
                ObjectKey::Ident(id) => id.as_str().to_owned(),
                // A bare name as a key is the name itself, not a reference.
                ObjectKey::Expression(Expression::Variable(id)) => id.as_str().to_owned(),
                ObjectKey::Expression(k) => {
                    let k = self.eval(k, sc)?;
                    if let Some(reason) = shallow_blocker(&k) {
                        return Ok(sc.unknown(e, reason));
                    }
                    to_text(&k).map_err(fail_text)?
                }
            };
            let item = self.eval(item.expr(), sc)?;
            out.insert(key, item);
        }
        Ok(TfValue::Map(out))
    }

    #[inline(never)]
    fn conditional(
        &mut self,
        c: &'a hcl_edit::expr::Conditional,
        e: &'a Expression,
        sc: &mut Scope<'a>,
    ) -> R {
        let cond = self.eval(&c.cond_expr, sc)?;
        match to_bool(&cond) {
            Ok(true) => self.eval(&c.true_expr, sc),
            Ok(false) => self.eval(&c.false_expr, sc),
            Err(Fail::Unknown(reason)) => Ok(sc.unknown(e, reason)),
            Err(Fail::Error(reason)) => Err(format!("condition: {reason}")),
        }
    }

    #[inline(never)]
    fn unary(
        &mut self,
        op: &'a hcl_edit::expr::UnaryOp,
        e: &'a Expression,
        sc: &mut Scope<'a>,
    ) -> R {
        let v = self.eval(&op.expr, sc)?;
        let result = match op.operator.value() {
            UnaryOperator::Neg => to_number(&v).and_then(|n| number(-n)),
            UnaryOperator::Not => to_bool(&v).map(|b| TfValue::Bool(!b)),
        };
        self.settle(result, e, sc)
    }

    /// A function or operator result: an unknown stands for expression `e`.
    pub fn settle(&self, result: FResult, e: &Expression, sc: &Scope<'a>) -> R {
        match result {
            Ok(v) => Ok(v),
            Err(Fail::Unknown(reason)) => Ok(sc.unknown(e, reason)),
            Err(Fail::Error(reason)) => Err(reason),
        }
    }

    #[inline(never)]
    fn binary(
        &mut self,
        binary: &'a hcl_edit::expr::BinaryOp,
        e: &'a Expression,
        sc: &mut Scope<'a>,
    ) -> R {
        let op = *binary.operator.value();
        let a = self.eval(&binary.lhs_expr, sc)?;
        let b = self.eval(&binary.rhs_expr, sc)?;
        use BinaryOperator as B;
        let result = match op {
            // A known `false &&` or `true ||` decides whatever the other side is.
            B::And | B::Or => {
                let decisive = op == B::Or;
                match (to_bool(&a), to_bool(&b)) {
                    (Ok(x), _) if x == decisive => Ok(TfValue::Bool(decisive)),
                    (_, Ok(y)) if y == decisive => Ok(TfValue::Bool(decisive)),
                    (Ok(_), Ok(_)) => Ok(TfValue::Bool(!decisive)),
                    (Err(Fail::Error(r)), _) | (_, Err(Fail::Error(r))) => Err(Fail::Error(r)),
                    (Err(f), _) | (_, Err(f)) => Err(f),
                }
            }
            B::Eq | B::NotEq => match equal(&a, &b) {
                Some(same) => Ok(TfValue::Bool(same == (op == B::Eq))),
                None => Err(Fail::Unknown(
                    blocker(&a)
                        .or_else(|| blocker(&b))
                        .unwrap_or_else(|| "an operand is not known".to_owned()),
                )),
            },
            B::Less | B::LessEq | B::Greater | B::GreaterEq => to_number(&a).and_then(|x| {
                to_number(&b).map(|y| {
                    TfValue::Bool(match op {
                        B::Less => x < y,
                        B::LessEq => x <= y,
                        B::Greater => x > y,
                        _ => x >= y,
                    })
                })
            }),
            B::Plus | B::Minus | B::Mul | B::Div | B::Mod => to_number(&a).and_then(|x| {
                to_number(&b).and_then(|y| match op {
                    B::Plus => number(x + y),
                    B::Minus => number(x - y),
                    B::Mul => number(x * y),
                    B::Div if y == 0.0 => error("division by zero"),
                    B::Div => number(x / y),
                    _ if y == 0.0 => error("modulo by zero"),
                    // Terraform's modulo keeps the dividend's sign, like Rust's `%`.
                    _ => number(x % y),
                })
            }),
        };
        self.settle(result, e, sc)
    }

    #[inline(never)]
    fn for_expr(&mut self, f: &'a ForExpr, e: &'a Expression, sc: &mut Scope<'a>) -> R {
        let collection = self.eval(&f.intro.collection_expr, sc)?;
        let items = match iterate(&collection) {
            Ok(items) => items,
            Err(Fail::Unknown(reason)) => return Ok(sc.unknown(e, reason)),
            Err(Fail::Error(reason)) => return Err(reason),
        };
        let mark = sc.vars.len();
        let mut list = Vec::new();
        let mut map: BTreeMap<String, TfValue> = BTreeMap::new();
        for (key, item) in items {
            sc.vars.truncate(mark);
            if let Some(key_var) = &f.intro.key_var {
                sc.vars.push((key_var.as_str().to_owned(), key));
            }
            sc.vars.push((f.intro.value_var.as_str().to_owned(), item));
            if let Some(cond) = &f.cond {
                let keep = self.eval(&cond.expr, sc)?;
                match to_bool(&keep) {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(Fail::Unknown(reason)) => return Ok(sc.unknown(e, reason)),
                    Err(Fail::Error(reason)) => return Err(format!("for condition: {reason}")),
                }
            }
            match &f.key_expr {
                None => list.push(self.eval(&f.value_expr, sc)?),
                Some(key_expr) => {
                    let k = self.eval(key_expr, sc)?;
                    let k = match to_text(&k) {
                        Ok(k) => k,
                        Err(Fail::Unknown(reason)) => return Ok(sc.unknown(e, reason)),
                        Err(Fail::Error(reason)) => return Err(format!("for key: {reason}")),
                    };
                    let v = self.eval(&f.value_expr, sc)?;
                    if f.grouping {
                        match map.entry(k).or_insert_with(|| TfValue::List(Vec::new())) {
                            TfValue::List(group) => group.push(v),
                            _ => return Err("for: grouping into a non-list".to_owned()),
                        }
                    } else if map.insert(k.clone(), v).is_some() {
                        return Err(format!(
                            "for: duplicate key \"{k}\" (add `...` to group values by key)"
                        ));
                    }
                }
            }
        }
        Ok(match f.key_expr {
            None => TfValue::List(list),
            Some(_) => TfValue::Map(map),
        })
    }

    #[inline(never)]
    fn template(&mut self, t: &'a Template, e: &'a Expression, sc: &mut Scope<'a>) -> R {
        // A template that is a single interpolation yields the value itself, not its text
        // (`"${aws_vpc.main.id}"` is a reference, `"${var.list}"` a list).
        if let Some(Element::Interpolation(i)) = t.as_single_element() {
            let v = self.eval(&i.expr, sc)?;
            return Ok(match v {
                TfValue::Unknown { reason, .. } => sc.unknown(e, reason),
                v => v,
            });
        }
        let mut out = String::new();
        let mut trim_next = false;
        let mark = sc.vars.len();
        let result = self.render(t, sc, &mut out, &mut trim_next);
        sc.vars.truncate(mark);
        match result {
            Ok(()) => Ok(TfValue::String(out)),
            Err(Fail::Unknown(reason)) => Ok(sc.unknown(e, reason)),
            Err(Fail::Error(reason)) => Err(reason),
        }
    }

    /// Appends template `t` to `out`, honouring `~` strip markers.
    fn render(
        &mut self,
        t: &'a Template,
        sc: &mut Scope<'a>,
        out: &mut String,
        trim_next: &mut bool,
    ) -> FResult<()> {
        for element in t.iter() {
            if out.len() > MAX_STRING {
                return Err(Fail::Unknown(format!(
                    "a string longer than {MAX_STRING} bytes is not evaluated"
                )));
            }
            match element {
                Element::Literal(s) => {
                    let s = s.as_str();
                    out.push_str(if std::mem::take(trim_next) {
                        s.trim_start()
                    } else {
                        s
                    });
                }
                Element::Interpolation(i) => {
                    if i.strip.strip_start() {
                        trim_end(out);
                    }
                    let v = self.eval(&i.expr, sc).map_err(Fail::Error)?;
                    out.push_str(&to_text(&v)?);
                    *trim_next = i.strip.strip_end();
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => {
                        if d.if_expr.strip.strip_start() {
                            trim_end(out);
                        }
                        let cond = self.eval(&d.if_expr.cond_expr, sc).map_err(Fail::Error)?;
                        let branch_end_strip = |else_strip: bool| {
                            if else_strip {
                                true
                            } else {
                                d.endif_expr.strip.strip_start()
                            }
                        };
                        if to_bool(&cond)? {
                            *trim_next = d.if_expr.strip.strip_end();
                            self.render(&d.if_expr.template, sc, out, trim_next)?;
                            let else_strip =
                                d.else_expr.as_ref().is_some_and(|x| x.strip.strip_start());
                            if branch_end_strip(else_strip) {
                                trim_end(out);
                            }
                        } else if let Some(else_expr) = &d.else_expr {
                            *trim_next = else_expr.strip.strip_end();
                            self.render(&else_expr.template, sc, out, trim_next)?;
                            if d.endif_expr.strip.strip_start() {
                                trim_end(out);
                            }
                        }
                        *trim_next = d.endif_expr.strip.strip_end();
                    }
                    Directive::For(d) => {
                        let f = &d.for_expr;
                        if f.strip.strip_start() {
                            trim_end(out);
                        }
                        let collection = self.eval(&f.collection_expr, sc).map_err(Fail::Error)?;
                        let mark = sc.vars.len();
                        for (key, item) in iterate(&collection)? {
                            sc.vars.truncate(mark);
                            if let Some(key_var) = &f.key_var {
                                sc.vars.push((key_var.as_str().to_owned(), key));
                            }
                            sc.vars.push((f.value_var.as_str().to_owned(), item));
                            *trim_next = f.strip.strip_end();
                            self.render(&f.template, sc, out, trim_next)?;
                            if d.endfor_expr.strip.strip_start() {
                                trim_end(out);
                            }
                        }
                        sc.vars.truncate(mark);
                        *trim_next = d.endfor_expr.strip.strip_end();
                    }
                },
            }
        }
        Ok(())
    }

    #[inline(never)]
    fn traversal(&mut self, t: &'a Traversal, e: &'a Expression, sc: &mut Scope<'a>) -> R {
        let (base, consumed) = self.root(t, e, sc)?;
        let ops: Vec<&'a TraversalOperator> = t
            .operators
            .iter()
            .skip(consumed)
            .map(|op| op.value())
            .collect();
        let v = self.apply(base, &ops, sc)?;
        Ok(match v {
            TfValue::Unknown { reason, .. } => sc.unknown(e, reason),
            v => v,
        })
    }

    /// The value a traversal starts from, and how many of its operators that used.
    #[inline(never)]
    fn root(
        &mut self,
        t: &'a Traversal,
        e: &'a Expression,
        sc: &mut Scope<'a>,
    ) -> Result<(TfValue, usize), String> {
        let Expression::Variable(root) = &t.expr else {
            return Ok((self.eval(&t.expr, sc)?, 0));
        };
        let name = root.as_str();
        if let Some(v) = sc.lookup(name) {
            return Ok((v.clone(), 0));
        }
        let attr = |i: usize| -> Result<&'a str, String> {
            match t.operators.get(i).map(|op| op.value()) {
                Some(TraversalOperator::GetAttr(id)) => Ok(id.as_str()),
                _ => Err(format!("`{name}` must be followed by `.` and a name")),
            }
        };
        match name {
            "var" => Ok((self.variable(sc.inst, attr(0)?), 1)),
            "local" => Ok((self.local(sc.inst, attr(0)?), 1)),
            "count" => match (attr(0)?, sc.iteration.count_index) {
                ("index", Some(i)) => Ok((TfValue::Number(i.into()), 1)),
                ("index", None) => {
                    Err("`count.index` is used outside a block with `count`".to_owned())
                }
                (other, _) => Err(format!("`count` has no attribute `{other}`")),
            },
            "each" => match (attr(0)?, &sc.iteration.each) {
                ("key", Some((k, _))) => Ok((TfValue::String(k.clone()), 1)),
                ("value", Some((_, v))) => Ok((v.clone(), 1)),
                ("key" | "value", None) => {
                    Err("`each` is used outside a block with `for_each`".to_owned())
                }
                (other, _) => Err(format!("`each` has no attribute `{other}`")),
            },
            "path" => match attr(0)? {
                "module" => {
                    let dir = self.def(sc.inst).map_or("", |d| d.dir.as_str());
                    let path = if dir.is_empty() {
                        ".".to_owned()
                    } else {
                        dir.to_owned()
                    };
                    Ok((TfValue::String(path), 1))
                }
                "root" => Ok((TfValue::String(".".to_owned()), 1)),
                other => Ok((
                    sc.unknown(e, format!("`path.{other}` depends on where terraform runs")),
                    t.operators.len(),
                )),
            },
            "terraform" => Ok((
                sc.unknown(e, "`terraform.workspace` depends on the selected workspace"),
                t.operators.len(),
            )),
            "self" => Ok((
                sc.unknown(e, "`self` is known only inside provisioners"),
                t.operators.len(),
            )),
            "module" => self.module_ref(t, sc),
            "data" => {
                let key = format!("data.{}.{}", attr(0)?, attr(1)?);
                Ok((self.resource_ref(sc.inst, &key)?, 2))
            }
            kind => {
                let declared = self
                    .def(sc.inst)
                    .is_some_and(|d| d.resource_types.contains_key(kind));
                if !declared {
                    return Err(format!(
                        "`{kind}` is not a declared resource type or a known name"
                    ));
                }
                let key = format!("{kind}.{}", attr(0)?);
                Ok((self.resource_ref(sc.inst, &key)?, 1))
            }
        }
    }

    /// Applies attribute access, indexes and splats to `v`.
    fn apply(&mut self, mut v: TfValue, ops: &[&'a TraversalOperator], sc: &mut Scope<'a>) -> R {
        let mut i = 0;
        while let Some(op) = ops.get(i) {
            i += 1;
            if let TfValue::Unknown { .. } = v {
                return Ok(v);
            }
            match op {
                TraversalOperator::GetAttr(name) => v = get_attr(v, name.as_str())?,
                TraversalOperator::Index(index) => {
                    let key = self.eval(index, sc)?;
                    if let Some(reason) = shallow_blocker(&key) {
                        return Ok(TfValue::Unknown {
                            expression: sc.file.snippet(index.span()),
                            reason,
                        });
                    }
                    v = index_value(v, &key)?;
                }
                TraversalOperator::LegacyIndex(n) => {
                    v = index_value(v, &TfValue::Number((*n.value()).into()))?;
                }
                TraversalOperator::FullSplat(_) | TraversalOperator::AttrSplat(_) => {
                    // A full splat applies everything after it to each element; an
                    // attribute splat only the attribute accesses that follow it.
                    let full = matches!(op, TraversalOperator::FullSplat(_));
                    let rest = ops.get(i..).unwrap_or(&[]);
                    let run = if full {
                        rest.len()
                    } else {
                        rest.iter()
                            .take_while(|op| {
                                matches!(
                                    op,
                                    TraversalOperator::GetAttr(_)
                                        | TraversalOperator::LegacyIndex(_)
                                )
                            })
                            .count()
                    };
                    let each = rest.get(..run).unwrap_or(&[]);
                    let items = match v {
                        TfValue::Null => Vec::new(),
                        TfValue::List(items) => items,
                        TfValue::Ref { ref attribute, .. } if !attribute.is_empty() => {
                            // An attribute of a resource may itself be a list.
                            return Ok(TfValue::Unknown {
                                expression: String::new(),
                                reason: shallow_blocker(&v).unwrap_or_default(),
                            });
                        }
                        // A single value (a resource without `count`, too) splats as a
                        // list of one.
                        other => vec![other],
                    };
                    let mut out = Vec::with_capacity(items.len());
                    for item in items {
                        out.push(self.apply(item, each, sc)?);
                    }
                    v = TfValue::List(out);
                    i += run;
                }
            }
        }
        Ok(v)
    }

    /// `module.NAME…`: the outputs of a module call, evaluated only as far as used.
    #[inline(never)]
    fn module_ref(
        &mut self,
        t: &'a Traversal,
        sc: &mut Scope<'a>,
    ) -> Result<(TfValue, usize), String> {
        let op = |i: usize| t.operators.get(i).map(|op| op.value());
        let Some(TraversalOperator::GetAttr(call_name)) = op(0) else {
            return Err("`module` must be followed by `.` and a module name".to_owned());
        };
        let call_name = call_name.as_str();
        let Some(call) = self
            .def(sc.inst)
            .and_then(|d| d.module_index.get(call_name).copied())
        else {
            return Err(format!("no module call `{call_name}` in this module"));
        };
        let (expansion, children) = self.module_instances(sc.inst, call);
        let address = format!("{}module.{call_name}", self.prefix(sc.inst));
        let unknown = |reason: &str| TfValue::Unknown {
            expression: address.clone(),
            reason: reason.to_owned(),
        };
        match (&expansion, op(1), op(2)) {
            (Expansion::Unknown(reason), _, _) => Ok((unknown(reason), t.operators.len())),
            (Expansion::Single, Some(TraversalOperator::GetAttr(out)), _) => {
                let child = children.first().copied().unwrap_or(0);
                Ok((self.output(child, out.as_str(), &address)?, 2))
            }
            (
                Expansion::Count(_) | Expansion::ForEach(_),
                Some(TraversalOperator::Index(index)),
                Some(TraversalOperator::GetAttr(out)),
            ) => {
                let key = self.eval(index, sc)?;
                if let Some(reason) = shallow_blocker(&key) {
                    return Ok((unknown(&reason), t.operators.len()));
                }
                let position = match (&expansion, &key) {
                    (Expansion::ForEach(map), _) => {
                        let k = to_text(&key).map_err(fail_text)?;
                        map.keys().position(|m| *m == k)
                    }
                    _ => usize::try_from(to_int(&key).map_err(fail_text)?).ok(),
                };
                let child = position
                    .and_then(|p| children.get(p).copied())
                    .ok_or_else(|| {
                        format!(
                            "{address} has no instance [{}]",
                            to_text(&key).unwrap_or_default()
                        )
                    })?;
                Ok((self.output(child, out.as_str(), &address)?, 3))
            }
            _ => {
                // The whole module object (or list/map of them): every output.
                let mut objects = Vec::new();
                for &child in &children {
                    let def = self.def(child);
                    let mut names: Vec<&'a str> = def
                        .map(|d| d.outputs.keys().copied().collect())
                        .unwrap_or_default();
                    names.sort_unstable();
                    let mut object = BTreeMap::new();
                    for name in names {
                        object.insert(name.to_owned(), self.output(child, name, &address)?);
                    }
                    objects.push(TfValue::Map(object));
                }
                let v = match expansion {
                    Expansion::Single => objects.pop().unwrap_or(TfValue::Map(BTreeMap::new())),
                    Expansion::Count(_) => TfValue::List(objects),
                    Expansion::ForEach(map) => {
                        TfValue::Map(map.keys().cloned().zip(objects).collect())
                    }
                    Expansion::Unknown(reason) => unknown(&reason),
                };
                Ok((v, 1))
            }
        }
    }

    /// The value of `aws_vpc.main` (or `data.…`) as a whole: a reference per instance.
    #[inline(never)]
    fn resource_ref(&mut self, inst: usize, key: &str) -> R {
        let def = self.def(inst);
        let decl = match key.strip_prefix("data.") {
            Some(data_key) => def.and_then(|d| d.data.get(data_key)),
            None => def.and_then(|d| d.resource_index.get(key).and_then(|&i| d.resources.get(i))),
        };
        let Some(decl) = decl else {
            return Err(format!("`{key}` is not declared in this module"));
        };
        let expansion = self.expansion(inst, key, decl.count, decl.for_each);
        let address = format!("{}{key}", self.prefix(inst));
        let reference = |suffix: String| TfValue::Ref {
            address: format!("{address}{suffix}"),
            attribute: String::new(),
        };
        Ok(match expansion {
            Expansion::Single => reference(String::new()),
            Expansion::Count(n) => {
                TfValue::List((0..n).map(|i| reference(format!("[{i}]"))).collect())
            }
            Expansion::ForEach(map) => TfValue::Map(
                map.into_keys()
                    .map(|k| {
                        let r = reference(format!("[{}]", quote_key(&k)));
                        (k, r)
                    })
                    .collect(),
            ),
            Expansion::Unknown(reason) => TfValue::Unknown {
                expression: address.clone(),
                reason: format!("its instances are not known: {reason}"),
            },
        })
    }

    /// How a resource (`type.name`), data source (`data.type.name`) or module call
    /// (`module.name`) of instance `inst` expands.
    pub fn expansion(
        &mut self,
        inst: usize,
        key: &str,
        count: Option<ExprRef<'a>>,
        for_each: Option<ExprRef<'a>>,
    ) -> Expansion {
        let memo_key = Key::Expand(inst, key.to_owned());
        match self.memo.get(&memo_key) {
            Some(Memo::Expansion(x)) => return x.clone(),
            Some(Memo::InProgress) => {
                return Expansion::Unknown(format!("`{key}` depends on its own instances"))
            }
            _ => {}
        }
        self.memo
            .insert(Key::Expand(inst, key.to_owned()), Memo::InProgress);
        // `count` and `for_each` are evaluated in the block's module, where no `count.index`
        // or `each` is visible.
        let iteration = Iteration::default();
        let expansion = match (count, for_each) {
            (Some(_), Some(_)) => {
                Expansion::Unknown("it sets both `count` and `for_each`".to_owned())
            }
            (Some(count), None) => {
                let mut sc = Scope::new(inst, count.file, iteration);
                let v = self.eval(count.node, &mut sc);
                count_expansion(v)
            }
            (None, Some(for_each)) => {
                let mut sc = Scope::new(inst, for_each.file, iteration);
                let v = self.eval(for_each.node, &mut sc);
                for_each_expansion(v)
            }
            (None, None) => Expansion::Single,
        };
        self.memo.insert(
            Key::Expand(inst, key.to_owned()),
            Memo::Expansion(expansion.clone()),
        );
        expansion
    }

    /// The instances of module call `call` in instance `inst`, created on first use.
    pub fn module_instances(&mut self, inst: usize, call: usize) -> (Expansion, Vec<usize>) {
        let Some(def) = self.def(inst) else {
            return (
                Expansion::Unknown("no such module instance".to_owned()),
                Vec::new(),
            );
        };
        let Some(module_call) = def.modules.get(call) else {
            return (
                Expansion::Unknown("no such module call".to_owned()),
                Vec::new(),
            );
        };
        let key = format!("module.{}", module_call.name);
        if let Some(Memo::Module(x, children)) = self.memo.get(&Key::Expand(inst, key.clone())) {
            return (x.clone(), children.clone());
        }
        let child_def = match &module_call.source {
            ModuleSource::Remote => {
                return self.module_done(
                    inst,
                    &key,
                    format!(
                        "module source \"{}\" is a registry or remote module, which is not read",
                        module_call.source_text
                    ),
                )
            }
            ModuleSource::Outside => {
                return self.module_done(
                    inst,
                    &key,
                    format!(
                        "module source \"{}\" is outside the configuration directory",
                        module_call.source_text
                    ),
                )
            }
            ModuleSource::Local(dir) => self.defs.get(dir),
        };
        let Some(child_def) = child_def else {
            return self.module_done(inst, &key, "its directory has no .tf files".to_owned());
        };
        let depth = self.instances.get(inst).map_or(0, |i| i.depth) + 1;
        if depth > MAX_MODULE_DEPTH {
            return self.module_done(
                inst,
                &key,
                format!("modules are nested more than {MAX_MODULE_DEPTH} deep"),
            );
        }
        let expansion = self.expansion(inst, &key, module_call.count, module_call.for_each);
        let instances = expansion.instances();
        if self.instances.len() + instances.len() > MAX_MODULE_INSTANCES {
            return self.module_done(
                inst,
                &key,
                format!("the configuration has more than {MAX_MODULE_INSTANCES} module instances"),
            );
        }
        let prefix = format!("{}{key}", self.prefix(inst));
        let mut children = Vec::with_capacity(instances.len());
        for (suffix, iteration) in instances {
            children.push(self.instances.len());
            self.instances.push(Instance {
                prefix: format!("{prefix}{suffix}."),
                def: child_def,
                parent: Some((inst, call, iteration)),
                depth,
            });
        }
        self.memo.insert(
            Key::Expand(inst, key),
            Memo::Module(expansion.clone(), children.clone()),
        );
        (expansion, children)
    }

    fn module_done(&mut self, inst: usize, key: &str, reason: String) -> (Expansion, Vec<usize>) {
        let expansion = Expansion::Unknown(reason);
        self.memo.insert(
            Key::Expand(inst, key.to_owned()),
            Memo::Module(expansion.clone(), Vec::new()),
        );
        (expansion, Vec::new())
    }

    /// A stored value, computed on first use; a cycle makes it unknown.
    fn remembered(
        &mut self,
        key: Key,
        cycle: impl FnOnce() -> String,
        compute: impl FnOnce(&mut Self) -> TfValue,
    ) -> TfValue {
        match self.memo.get(&key) {
            Some(Memo::Value(v, w)) => {
                let w = *w;
                let v = v.clone();
                if !self.charge(w) {
                    return TfValue::Unknown {
                        expression: String::new(),
                        reason: OUT_OF_FUEL.to_owned(),
                    };
                }
                return v;
            }
            Some(Memo::InProgress) => {
                return TfValue::Unknown {
                    expression: String::new(),
                    reason: cycle(),
                }
            }
            _ => {}
        }
        if self.depth >= MAX_DEPTH {
            return TfValue::Unknown {
                expression: String::new(),
                reason: "nested too deeply to evaluate".to_owned(),
            };
        }
        self.memo.insert(key.clone(), Memo::InProgress);
        self.depth += 1;
        let mut v = compute(self);
        self.depth -= 1;
        let mut w = weight(&v, MAX_VALUE_WEIGHT + 1);
        if w > MAX_VALUE_WEIGHT {
            v = TfValue::Unknown {
                expression: String::new(),
                reason: format!(
                    "a value of more than {MAX_VALUE_WEIGHT} elements is not evaluated"
                ),
            };
            w = 1;
        }
        self.memo.insert(key, Memo::Value(v.clone(), w));
        v
    }

    fn local(&mut self, inst: usize, name: &str) -> TfValue {
        let expr = self.def(inst).and_then(|d| d.locals.get(name).copied());
        let Some(expr) = expr else {
            return TfValue::Unknown {
                expression: format!("local.{name}"),
                reason: format!("no local value `{name}` in this module"),
            };
        };
        self.remembered(
            Key::Local(inst, name.to_owned()),
            || format!("`local.{name}` refers to itself"),
            |ev| {
                let mut sc = Scope::new(inst, expr.file, Iteration::default());
                ev.value(expr.node, &mut sc)
            },
        )
    }

    fn output(&mut self, child: usize, name: &str, address: &str) -> R {
        let expr = self.def(child).and_then(|d| d.outputs.get(name).copied());
        let Some(expr) = expr else {
            return Err(format!("{address} has no output `{name}`"));
        };
        Ok(self.remembered(
            Key::Output(child, name.to_owned()),
            || format!("output `{name}` of {address} refers to itself"),
            |ev| {
                let mut sc = Scope::new(child, expr.file, Iteration::default());
                ev.value(expr.node, &mut sc)
            },
        ))
    }

    /// A variable of instance `inst`: from the caller's input (or the `.tfvars` files for
    /// the root), else its default, else unknown; converted to its declared type.
    fn variable(&mut self, inst: usize, name: &str) -> TfValue {
        let Some(decl) = self.def(inst).and_then(|d| d.variables.get(name)) else {
            return TfValue::Unknown {
                expression: format!("var.{name}"),
                reason: format!("no variable `{name}` is declared in this module"),
            };
        };
        let (default, type_expr) = (decl.default, decl.type_expr);
        self.remembered(
            Key::Var(inst, name.to_owned()),
            || format!("`var.{name}` refers to itself"),
            |ev| {
                let given = ev.given_value(inst, name);
                let v = match (given, default) {
                    (Some(v), _) => v,
                    (None, Some(default)) => {
                        let mut sc = Scope::new(inst, default.file, Iteration::default());
                        ev.value(default.node, &mut sc)
                    }
                    (None, None) => TfValue::Unknown {
                        expression: format!("var.{name}"),
                        reason: if inst == 0 {
                            format!(
                                "variable `{name}` has no default and no value in \
                                 terraform.tfvars or *.auto.tfvars"
                            )
                        } else {
                            format!("variable `{name}` has no default and the module call gives no value")
                        },
                    },
                };
                match type_expr {
                    Some(ty) => match value::convert(v, ty.node) {
                        Ok(v) => v,
                        Err(Fail::Error(reason) | Fail::Unknown(reason)) => TfValue::Unknown {
                            expression: format!("var.{name}"),
                            reason: format!("the value does not match the variable's type: {reason}"),
                        },
                    },
                    None => v,
                }
            },
        )
    }

    /// The value given for a variable: the module call's input (evaluated in the caller,
    /// with the call's `count.index`/`each`) or, for the root, the `.tfvars` files.
    fn given_value(&mut self, inst: usize, name: &str) -> Option<TfValue> {
        let Some((parent, call, iteration)) =
            self.instances.get(inst).and_then(|i| i.parent.clone())
        else {
            return self.tfvars.get(name).cloned();
        };
        let input = self.def(parent)?.modules.get(call)?.input(name)?;
        let mut sc = Scope::new(parent, input.file, iteration);
        Some(self.value(input.node, &mut sc))
    }
}

/// A value as kept in a resource: a whole resource object is not an attribute value.
fn finish(v: TfValue) -> TfValue {
    match v {
        TfValue::Ref { address, attribute } if attribute.is_empty() => TfValue::Unknown {
            reason: format!("`{address}` is a whole resource object, not one of its attributes"),
            expression: address,
        },
        TfValue::List(items) => TfValue::List(items.into_iter().map(finish).collect()),
        TfValue::Map(map) => TfValue::Map(map.into_iter().map(|(k, v)| (k, finish(v))).collect()),
        v => v,
    }
}

fn alone(name: &str) -> String {
    format!("`{name}` alone is not a value; name an attribute of it")
}

fn fail_text(f: Fail) -> String {
    match f {
        Fail::Error(r) | Fail::Unknown(r) => r,
    }
}

fn trim_end(out: &mut String) {
    let len = out.trim_end().len();
    out.truncate(len);
}

pub(super) fn hcl_number(n: &hcl_edit::Number) -> TfValue {
    if let Some(i) = n.as_i64() {
        TfValue::Number(i.into())
    } else if let Some(u) = n.as_u64() {
        TfValue::Number(u.into())
    } else {
        number(n.as_f64().unwrap_or(0.0)).unwrap_or(TfValue::Null)
    }
}

/// The (key, value) pairs a `for` expression or dynamic block iterates: list indexes or
/// map keys.
pub(super) fn iterate(collection: &TfValue) -> FResult<Vec<(TfValue, TfValue)>> {
    value::shallow_known(collection)?;
    let items: Vec<(TfValue, TfValue)> = match collection {
        TfValue::List(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (TfValue::Number(i.into()), v.clone()))
            .collect(),
        TfValue::Map(map) => map
            .iter()
            .map(|(k, v)| (TfValue::String(k.clone()), v.clone()))
            .collect(),
        other => return error(format!("cannot iterate over a {}", type_name(other))),
    };
    if items.len() > MAX_COLLECTION {
        return Err(Fail::Unknown(format!(
            "more than {MAX_COLLECTION} elements are not evaluated"
        )));
    }
    Ok(items)
}

fn get_attr(v: TfValue, name: &str) -> R {
    match v {
        TfValue::Map(mut map) => map
            .remove(name)
            .ok_or_else(|| format!("the object has no attribute `{name}`")),
        TfValue::Ref { address, attribute } => Ok(TfValue::Ref {
            address,
            attribute: if attribute.is_empty() {
                name.to_owned()
            } else {
                format!("{attribute}.{name}")
            },
        }),
        TfValue::List(_) => Err(format!(
            "a list has no attribute `{name}`: use an index or `[*].{name}`"
        )),
        other => Err(format!("a {} has no attribute `{name}`", type_name(&other))),
    }
}

fn index_value(v: TfValue, key: &TfValue) -> R {
    match v {
        TfValue::List(mut items) => {
            let i = to_int(key).map_err(fail_text)?;
            let len = items.len();
            usize::try_from(i)
                .ok()
                .filter(|&i| i < len)
                .map(|i| items.swap_remove(i))
                .ok_or_else(|| format!("index {i} is out of range for a list of {len}"))
        }
        TfValue::Map(mut map) => {
            let k = to_text(key).map_err(fail_text)?;
            map.remove(&k)
                .ok_or_else(|| format!("the map has no key \"{k}\""))
        }
        TfValue::Ref { address, attribute } => {
            if attribute.is_empty() {
                return Err(format!(
                    "`{address}` has no `count` or `for_each`, so it takes no index"
                ));
            }
            let index = match key {
                TfValue::String(s) => quote_key(s),
                other => to_text(other).map_err(fail_text)?,
            };
            Ok(TfValue::Ref {
                address,
                attribute: format!("{attribute}[{index}]"),
            })
        }
        other => Err(format!("a {} cannot be indexed", type_name(&other))),
    }
}

fn count_expansion(v: R) -> Expansion {
    let v = match v {
        Ok(v) => v,
        Err(reason) => return Expansion::Unknown(format!("`count` is not valid: {reason}")),
    };
    if let Some(reason) = shallow_blocker(&v) {
        return Expansion::Unknown(format!("`count` is not known offline: {reason}"));
    }
    match to_int(&v) {
        Ok(n) if n < 0 => Expansion::Unknown(format!("`count` is negative ({n})")),
        Ok(n) => match usize::try_from(n) {
            Ok(n) if n <= MAX_INSTANCES => Expansion::Count(n),
            _ => Expansion::Unknown(format!(
                "`count` is {n}; the reader expands at most {MAX_INSTANCES} instances per block"
            )),
        },
        Err(f) => Expansion::Unknown(format!("`count` is not valid: {}", fail_text(f))),
    }
}

fn for_each_expansion(v: R) -> Expansion {
    let v = match v {
        Ok(v) => v,
        Err(reason) => return Expansion::Unknown(format!("`for_each` is not valid: {reason}")),
    };
    if let Some(reason) = shallow_blocker(&v) {
        return Expansion::Unknown(format!("`for_each` is not known offline: {reason}"));
    }
    let map = match v {
        TfValue::Map(map) => map,
        TfValue::List(items) => {
            // A set of strings: each key is its own value.
            let mut map = BTreeMap::new();
            for item in items {
                if let Some(reason) = shallow_blocker(&item) {
                    return Expansion::Unknown(format!(
                        "a `for_each` key is not known offline: {reason}"
                    ));
                }
                match item {
                    TfValue::String(s) => {
                        map.insert(s.clone(), TfValue::String(s));
                    }
                    other => {
                        return Expansion::Unknown(format!(
                            "`for_each` needs a map or a set of strings, and has a {}",
                            type_name(&other)
                        ))
                    }
                }
            }
            map
        }
        other => {
            return Expansion::Unknown(format!(
                "`for_each` needs a map or a set of strings, not a {}",
                type_name(&other)
            ))
        }
    };
    if map.len() > MAX_INSTANCES {
        return Expansion::Unknown(format!(
            "`for_each` has {} keys; the reader expands at most {MAX_INSTANCES} instances per block",
            map.len()
        ));
    }
    Expansion::ForEach(map)
}
