#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::collections::BTreeMap;

use super::read;
use crate::import::terraform::ir::{TfConfig, TfResource, TfValue};

fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn read_ok(pairs: &[(&str, &str)]) -> TfConfig {
    match read(&files(pairs)) {
        Ok(config) => config,
        Err(err) => panic!("read failed: {err}"),
    }
}

fn res<'c>(config: &'c TfConfig, address: &str) -> &'c TfResource {
    config
        .resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| {
            let all: Vec<&str> = config
                .resources
                .iter()
                .map(|r| r.address.as_str())
                .collect();
            panic!("no resource {address}; have {all:?}")
        })
}

fn s(v: &str) -> TfValue {
    TfValue::String(v.to_owned())
}

fn n(v: i64) -> TfValue {
    TfValue::Number(v.into())
}

fn r(address: &str, attribute: &str) -> TfValue {
    TfValue::Ref {
        address: address.to_owned(),
        attribute: attribute.to_owned(),
    }
}

fn list(items: Vec<TfValue>) -> TfValue {
    TfValue::List(items)
}

fn map(pairs: &[(&str, TfValue)]) -> TfValue {
    TfValue::Map(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

/// Asserts `v` is unknown, written as `expression`, for a reason containing `because`.
fn assert_unknown(v: &TfValue, expression: &str, because: &str) {
    match v {
        TfValue::Unknown {
            expression: e,
            reason,
        } => {
            assert_eq!(e, expression, "expression of {v:?}");
            assert!(
                reason.contains(because),
                "reason {reason:?} should contain {because:?}"
            );
        }
        other => panic!("expected an unknown for {expression}, got {other:?}"),
    }
}

/// The value of `expr` as argument `v` of a resource, with `prelude` before it.
fn eval_with(prelude: &str, expr: &str) -> TfValue {
    let text = format!("{prelude}\nresource \"test\" \"t\" {{\n  v = {expr}\n}}\n");
    let config = read_ok(&[("main.tf", &text)]);
    res(&config, "test.t").values.get("v").cloned().unwrap()
}

fn eval(expr: &str) -> TfValue {
    eval_with("", expr)
}

// ---- variables and locals -------------------------------------------------------------

#[test]
fn variable_defaults_and_tfvars_precedence() {
    let config = read_ok(&[
        (
            "variables.tf",
            r#"
variable "a" { default = "from-default" }
variable "b" { default = "from-default" }
variable "c" { default = "from-default" }
variable "d" { default = "from-default" }
variable "none" {}
"#,
        ),
        (
            "main.tf",
            r#"resource "test" "t" {
  a = var.a
  b = var.b
  c = var.c
  d = var.d
  none = var.none
}"#,
        ),
        (
            "terraform.tfvars",
            "b = \"tfvars\"\nc = \"tfvars\"\nd = \"tfvars\"\n",
        ),
        ("a.auto.tfvars", "c = \"a-auto\"\nd = \"a-auto\"\n"),
        ("b.auto.tfvars", "d = \"b-auto\"\n"),
        // Not in the root directory: not read.
        ("modules/x.auto.tfvars", "a = \"ignored\"\n"),
    ]);
    let v = &res(&config, "test.t").values;
    assert_eq!(v["a"], s("from-default"));
    assert_eq!(v["b"], s("tfvars"));
    assert_eq!(
        v["c"],
        s("a-auto"),
        "*.auto.tfvars override terraform.tfvars"
    );
    assert_eq!(
        v["d"],
        s("b-auto"),
        "later *.auto.tfvars override earlier ones"
    );
    assert_unknown(&v["none"], "var.none", "has no default");
}

#[test]
fn variable_types_convert_values() {
    let config = read_ok(&[
        (
            "main.tf",
            r#"
variable "port" { type = number }
variable "names" { type = set(string) }
variable "flag" { type = bool }
resource "test" "t" {
  port = var.port + 1
  names = var.names
  flag = var.flag
}"#,
        ),
        (
            "terraform.tfvars",
            "port = \"8080\"\nnames = [\"b\", \"a\", \"b\"]\nflag = \"true\"\n",
        ),
    ]);
    let v = &res(&config, "test.t").values;
    assert_eq!(v["port"], n(8081));
    assert_eq!(v["names"], list(vec![s("a"), s("b")]));
    assert_eq!(v["flag"], TfValue::Bool(true));
}

#[test]
fn locals_in_any_order_across_blocks_and_files() {
    let config = read_ok(&[
        ("a.tf", "locals {\n  c = \"${local.b}-c\"\n}\n"),
        (
            "b.tf",
            "locals {\n  b = \"${local.a}-b\"\n}\nlocals {\n  a = \"a\"\n}\nresource \"test\" \"t\" {\n  v = local.c\n}\n",
        ),
    ]);
    assert_eq!(res(&config, "test.t").values["v"], s("a-b-c"));
}

#[test]
fn local_cycles_are_unknown_not_a_hang() {
    let v = eval_with(
        "locals {\n  a = local.b\n  b = local.a\n  self = \"${local.self}x\"\n}",
        "[local.a, local.self]",
    );
    let items = v.items();
    assert_eq!(items.len(), 2);
    assert_unknown(&items[0], "local.a", "refers to itself");
    assert_unknown(&items[1], "local.self", "refers to itself");
}

#[test]
fn a_long_chain_of_locals_is_evaluated_or_unknown_within_the_stack() {
    // Links through operators, function calls, templates, conditionals, `for` and
    // module outputs.
    let links = [
        "local.l{p} + 1",
        "max(local.l{p}, 0) + 1",
        "tonumber(\"${local.l{p}}\") + 1",
        "true ? local.l{p} + 1 : 0",
        "[for x in [local.l{p}] : x + 1][0]",
        "lookup({ a = local.l{p} + 1 }, \"a\")",
    ];
    for link in links {
        let mut prelude = String::from("locals {\n  l0 = 0\n");
        for i in 1..400 {
            let expr = link.replace("{p}", &(i - 1).to_string());
            prelude.push_str(&format!("  l{i} = {expr}\n"));
        }
        prelude.push_str("}\n");
        // Run on a small stack, like wasm's 1 MiB: the depth limit must keep within it.
        let handle = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || {
                (
                    eval_with(&prelude, "local.l20"),
                    eval_with(&prelude, "local.l399"),
                )
            })
            .unwrap();
        let (short, long) = handle.join().unwrap();
        assert_eq!(short, n(20), "{link}");
        assert_unknown(&long, "local.l399", "nested too deeply");
    }
}

// ---- references ----------------------------------------------------------------------

#[test]
fn references_between_resources_are_refs() {
    let config = read_ok(&[(
        "main.tf",
        r#"
data "aws_vpc" "shared" { default = true }
resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  legacy     = "${aws_vpc.main.id}"
  shared     = data.aws_vpc.shared.id
  nested     = aws_vpc.main.tags.Name
  indexed    = aws_vpc.main.ipv6[0]
  whole      = aws_vpc.main
  named      = "subnet-${aws_vpc.main.id}"
}"#,
    )]);
    let v = &res(&config, "aws_subnet.a").values;
    assert_eq!(v["vpc_id"], r("aws_vpc.main", "id"));
    assert_eq!(
        v["legacy"],
        r("aws_vpc.main", "id"),
        "a lone interpolation keeps the value"
    );
    assert_eq!(v["shared"], r("data.aws_vpc.shared", "id"));
    assert_eq!(v["nested"], r("aws_vpc.main", "tags.Name"));
    assert_eq!(v["indexed"], r("aws_vpc.main", "ipv6[0]"));
    assert_unknown(&v["whole"], "aws_vpc.main", "whole resource object");
    assert_unknown(
        &v["named"],
        "\"subnet-${aws_vpc.main.id}\"",
        "`aws_vpc.main.id` is known only after apply",
    );
    // Data sources are not resources of the configuration.
    assert!(config
        .resources
        .iter()
        .all(|r| !r.address.starts_with("data.")));
    assert_eq!(config.resources.len(), 2);
}

#[test]
fn counted_resources_need_an_index_and_splat_to_lists() {
    let prelude = r#"resource "aws_subnet" "p" {
  count = 3
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
}
resource "aws_subnet" "one" {}
resource "aws_subnet" "m" {
  for_each = { a = "10.0.1.0/24", b = "10.0.2.0/24" }
  cidr_block = each.value
}"#;
    assert_eq!(
        eval_with(prelude, "aws_subnet.p[1].id"),
        r("aws_subnet.p[1]", "id")
    );
    let all = list(vec![
        r("aws_subnet.p[0]", "id"),
        r("aws_subnet.p[1]", "id"),
        r("aws_subnet.p[2]", "id"),
    ]);
    assert_eq!(eval_with(prelude, "aws_subnet.p[*].id"), all);
    assert_eq!(eval_with(prelude, "aws_subnet.p.*.id"), all);
    assert_eq!(eval_with(prelude, "length(aws_subnet.p)"), n(3));
    assert_eq!(
        eval_with(prelude, "aws_subnet.one[*].id"),
        list(vec![r("aws_subnet.one", "id")]),
        "a splat of a single resource is a list of one"
    );
    assert_eq!(
        eval_with(prelude, "aws_subnet.m[\"b\"].arn"),
        r("aws_subnet.m[\"b\"]", "arn")
    );
    assert_eq!(
        eval_with(prelude, "[for k, s in aws_subnet.m : s.id]"),
        list(vec![
            r("aws_subnet.m[\"a\"]", "id"),
            r("aws_subnet.m[\"b\"]", "id")
        ])
    );
    // Terraform rejects an attribute of a counted resource without an index.
    assert_unknown(
        &eval_with(prelude, "aws_subnet.p.id"),
        "aws_subnet.p.id",
        "a list has no attribute `id`",
    );
    assert_unknown(
        &eval_with(prelude, "aws_subnet.p[5].id"),
        "aws_subnet.p[5].id",
        "out of range",
    );
    assert_unknown(
        &eval_with(prelude, "aws_subnet.nope.id"),
        "aws_subnet.nope.id",
        "not declared",
    );
}

// ---- count and for_each --------------------------------------------------------------

#[test]
fn count_and_for_each_expand_instances() {
    let config = read_ok(&[(
        "main.tf",
        r#"
variable "azs" { default = ["us-east-1a", "us-east-1b"] }
resource "aws_subnet" "private" {
  count             = length(var.azs)
  availability_zone = var.azs[count.index]
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, count.index + 10)
}
resource "aws_security_group" "by_name" {
  for_each = { web = 80, api = 8080 }
  name     = "sg-${each.key}"
  port     = each.value
}
resource "aws_security_group" "by_set" {
  for_each = toset(["b", "a"])
  name     = each.value
}
resource "aws_instance" "none" {
  count = 0
}
"#,
    )]);
    let addresses: Vec<&str> = config
        .resources
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(
        addresses,
        [
            "aws_subnet.private[0]",
            "aws_subnet.private[1]",
            "aws_security_group.by_name[\"api\"]",
            "aws_security_group.by_name[\"web\"]",
            "aws_security_group.by_set[\"a\"]",
            "aws_security_group.by_set[\"b\"]",
        ]
    );
    let p1 = &res(&config, "aws_subnet.private[1]").values;
    assert_eq!(p1["availability_zone"], s("us-east-1b"));
    assert_eq!(p1["cidr_block"], s("10.0.11.0/24"));
    assert!(!p1.contains_key("count"), "meta-arguments are dropped");
    let api = &res(&config, "aws_security_group.by_name[\"api\"]").values;
    assert_eq!(api["name"], s("sg-api"));
    assert_eq!(api["port"], n(8080));
    assert!(!api.contains_key("for_each"));
}

#[test]
fn unknown_or_oversized_count_skips_the_block() {
    let config = read_ok(&[(
        "main.tf",
        r#"
variable "n" {}
resource "aws_subnet" "unknown" { count = var.n }
resource "aws_subnet" "huge" { count = 10001 }
resource "aws_subnet" "ids" { for_each = toset([aws_vpc.v.id]) }
resource "aws_vpc" "v" {}
resource "test" "t" { v = aws_subnet.unknown[0].id }
"#,
    )]);
    let addresses: Vec<&str> = config
        .resources
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(addresses, ["aws_vpc.v", "test.t"]);
    let skipped: Vec<(&str, &str)> = config
        .skipped
        .iter()
        .map(|s| (s.name.as_str(), s.kind.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            ("aws_subnet.unknown", "aws_subnet"),
            ("aws_subnet.huge", "aws_subnet"),
            ("aws_subnet.ids", "aws_subnet")
        ]
    );
    assert!(config.skipped[0].reason.contains("var.n") || config.skipped[0].reason.contains("`n`"));
    assert!(config.skipped[1].reason.contains("at most 10000"));
    assert!(config.skipped[2].reason.contains("aws_vpc.v.id"));
    assert_unknown(
        &res(&config, "test.t").values["v"],
        "aws_subnet.unknown[0].id",
        "instances are not known",
    );
}

// ---- expressions ---------------------------------------------------------------------

#[test]
fn operators_conditionals_and_for_expressions() {
    assert_eq!(eval("1 + 2 * 3"), n(7));
    assert_eq!(
        eval("7 / 2"),
        TfValue::Number(serde_json::Number::from_f64(3.5).unwrap())
    );
    assert_eq!(eval("7 % 3"), n(1));
    assert_eq!(eval("-(2 - 5)"), n(3));
    assert_eq!(eval("\"5\" + 1"), n(6), "numeric strings convert");
    assert_eq!(eval("1 < 2 && !false"), TfValue::Bool(true));
    assert_eq!(eval("[1, \"a\"] == [1, \"a\"]"), TfValue::Bool(true));
    assert_eq!(eval("1 != 1"), TfValue::Bool(false));
    assert_eq!(eval("true ? \"y\" : \"n\""), s("y"));
    assert_eq!(eval("2 > 3 ? \"y\" : \"n\""), s("n"));
    assert_eq!(
        eval("[for x in [1, 2, 3] : x * 2 if x != 2]"),
        list(vec![n(2), n(6)])
    );
    assert_eq!(
        eval("{ for k, v in { a = 1, b = 2 } : upper(k) => v }"),
        map(&[("A", n(1)), ("B", n(2))])
    );
    assert_eq!(
        eval("{ for s in [\"ab\", \"ac\", \"b\"] : substr(s, 0, 1) => s... }"),
        map(&[
            ("a", list(vec![s("ab"), s("ac")])),
            ("b", list(vec![s("b")]))
        ])
    );
    assert_eq!(
        eval("[for i, x in [\"a\", \"b\"] : \"${i}${x}\"]"),
        list(vec![s("0a"), s("1b")])
    );
    assert_eq!(
        eval("{ \"quoted key\" = 1, (\"computed\") = 2 }"),
        map(&[("computed", n(2)), ("quoted key", n(1))])
    );
    assert_unknown(&eval("1 / 0"), "1 / 0", "division by zero");
}

#[test]
fn templates_interpolate_and_run_directives() {
    let prelude = "locals {\n  name = \"web\"\n  items = [\"a\", \"b\"]\n}";
    assert_eq!(
        eval_with(prelude, "\"${local.name}-${1 + 1}-${true}\""),
        s("web-2-true")
    );
    assert_eq!(
        eval_with(
            prelude,
            "\"%{ if local.name == \"web\" }yes%{ else }no%{ endif }\""
        ),
        s("yes")
    );
    assert_eq!(
        eval_with(prelude, "\"%{ for x in local.items }[${x}]%{ endfor }\""),
        s("[a][b]")
    );
    assert_eq!(
        eval_with(prelude, "\"a  ${~ local.name ~}   b\""),
        s("awebb")
    );
    assert_eq!(
        eval_with(prelude, "\"$${literal} %%{x}\""),
        s("${literal} %{x}")
    );
    assert_eq!(
        eval_with(
            prelude,
            "<<-EOT\n    hello ${local.name}\n      indented\n    EOT"
        ),
        s("hello web\n  indented\n")
    );
    assert_eq!(
        eval_with(prelude, "\"${local.items}\""),
        list(vec![s("a"), s("b")])
    );
}

#[test]
fn functions_evaluate_like_terraform() {
    let cases: &[(&str, TfValue)] = &[
        ("cidrsubnet(\"10.0.0.0/16\", 8, 2)", s("10.0.2.0/24")),
        ("cidrsubnet(\"10.1.0.0/16\", 4, 15)", s("10.1.240.0/20")),
        (
            "cidrsubnet(\"fd00:fd12:3456:7890::/56\", 16, 162)",
            s("fd00:fd12:3456:7800:a200::/72"),
        ),
        ("cidrhost(\"10.12.112.0/20\", 16)", s("10.12.112.16")),
        ("cidrhost(\"10.12.112.0/20\", -2)", s("10.12.127.254")),
        ("cidrnetmask(\"172.16.0.0/12\")", s("255.240.0.0")),
        (
            "cidrsubnets(\"10.1.0.0/16\", 4, 4, 8, 4)",
            list(vec![
                s("10.1.0.0/20"),
                s("10.1.16.0/20"),
                s("10.1.32.0/24"),
                s("10.1.48.0/20"),
            ]),
        ),
        (
            "format(\"%s-%03d-%.2f-%v-%q\", \"a\", 7, 1.5, true, \"x\")",
            s("a-007-1.50-true-\"x\""),
        ),
        ("format(\"%-4s|%4s|%%\", \"ab\", \"cd\")", s("ab  |  cd|%")),
        (
            "formatlist(\"%s=%d\", [\"a\", \"b\"], [1, 2])",
            list(vec![s("a=1"), s("b=2")]),
        ),
        ("join(\",\", [\"a\", \"b\"], [\"c\"])", s("a,b,c")),
        (
            "split(\",\", \"a,b,,c\")",
            list(vec![s("a"), s("b"), s(""), s("c")]),
        ),
        ("lookup({ a = 1 }, \"a\", 0)", n(1)),
        ("lookup({ a = 1 }, \"b\", 0)", n(0)),
        ("concat([1], [], [2, 3])", list(vec![n(1), n(2), n(3)])),
        ("element([\"a\", \"b\"], 3)", s("b")),
        ("tostring(12)", s("12")),
        ("tonumber(\"3.0\")", n(3)),
        ("tobool(\"false\")", TfValue::Bool(false)),
        ("tolist([\"a\"])", list(vec![s("a")])),
        ("toset([\"b\", \"a\", \"b\"])", list(vec![s("a"), s("b")])),
        ("toset([3, 1, 3])", list(vec![n(1), n(3)])),
        ("length(\"héllo\")", n(5)),
        ("length({ a = 1, b = 2 })", n(2)),
        (
            "merge({ a = 1, b = 1 }, null, { b = 2 })",
            map(&[("a", n(1)), ("b", n(2))]),
        ),
        ("keys({ b = 1, a = 2 })", list(vec![s("a"), s("b")])),
        ("values({ b = 1, a = 2 })", list(vec![n(2), n(1)])),
        ("contains([\"a\", \"b\"], \"b\")", TfValue::Bool(true)),
        ("contains([\"a\"], \"z\")", TfValue::Bool(false)),
        ("coalesce(\"\", null, \"x\")", s("x")),
        ("coalescelist([], [1])", list(vec![n(1)])),
        ("replace(\"a-b-c\", \"-\", \"_\")", s("a_b_c")),
        ("lower(\"AbC\")", s("abc")),
        ("upper(\"AbC\")", s("ABC")),
        ("title(\"hello world\")", s("Hello World")),
        ("trimspace(\"  x \")", s("x")),
        ("trim(\"?!x?\", \"?!\")", s("x")),
        ("trimprefix(\"prefix-x\", \"prefix-\")", s("x")),
        ("trimsuffix(\"x.tf\", \".tf\")", s("x")),
        ("substr(\"hello\", 1, 3)", s("ell")),
        ("startswith(\"hello\", \"he\")", TfValue::Bool(true)),
        ("try([1][3], \"fallback\")", s("fallback")),
        ("try({ a = 1 }.b, { a = 1 }.a)", n(1)),
        ("can({ a = 1 }.b)", TfValue::Bool(false)),
        ("flatten([[1, [2]], [], [3]])", list(vec![n(1), n(2), n(3)])),
        ("distinct([1, 2, 1, 3])", list(vec![n(1), n(2), n(3)])),
        ("slice([1, 2, 3, 4], 1, 3)", list(vec![n(2), n(3)])),
        ("reverse([1, 2])", list(vec![n(2), n(1)])),
        (
            "compact([\"a\", \"\", null, \"b\"])",
            list(vec![s("a"), s("b")]),
        ),
        ("index([\"a\", \"b\"], \"b\")", n(1)),
        ("one([\"x\"])", s("x")),
        ("sort([\"b\", \"a\"])", list(vec![s("a"), s("b")])),
        (
            "sum([1, 2, 3.5])",
            TfValue::Number(serde_json::Number::from_f64(6.5).unwrap()),
        ),
        (
            "jsonencode({ b = [1, true, null], a = \"<x>\" })",
            s("{\"a\":\"\\u003cx\\u003e\",\"b\":[1,true,null]}"),
        ),
        (
            "jsondecode(\"{\\\"a\\\": [1]}\")",
            map(&[("a", list(vec![n(1)]))]),
        ),
        ("min(3, 1, 2)", n(1)),
        ("max(3, 1, 2)", n(3)),
        ("max([4, 5]...)", n(5)),
        (
            "zipmap([\"a\", \"b\"], [1, 2])",
            map(&[("a", n(1)), ("b", n(2))]),
        ),
        ("range(3)", list(vec![n(0), n(1), n(2)])),
        ("range(1, 7, 2)", list(vec![n(1), n(3), n(5)])),
        ("abs(-3)", n(3)),
        ("ceil(1.2)", n(2)),
        ("floor(1.8)", n(1)),
        (
            "chunklist([1, 2, 3], 2)",
            list(vec![list(vec![n(1), n(2)]), list(vec![n(3)])]),
        ),
        (
            "setunion([\"b\"], [\"a\", \"b\"])",
            list(vec![s("a"), s("b")]),
        ),
    ];
    let mut failures = Vec::new();
    for (expr, want) in cases {
        let got = eval(expr);
        if got != *want {
            failures.push(format!("{expr}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn functions_keep_what_they_can_of_unknown_arguments() {
    let prelude = "variable \"u\" {}\nresource \"aws_subnet\" \"p\" {\n  count = 2\n}";
    assert_eq!(eval_with(prelude, "length([var.u, var.u])"), n(2));
    assert_eq!(
        eval_with(prelude, "element(aws_subnet.p[*].id, 1)"),
        r("aws_subnet.p[1]", "id")
    );
    assert_eq!(
        eval_with(prelude, "concat(aws_subnet.p[*].id, [\"x\"])"),
        list(vec![
            r("aws_subnet.p[0]", "id"),
            r("aws_subnet.p[1]", "id"),
            s("x")
        ])
    );
    assert_eq!(
        eval_with(prelude, "flatten([aws_subnet.p[*].id, [\"x\"]])"),
        list(vec![
            r("aws_subnet.p[0]", "id"),
            r("aws_subnet.p[1]", "id"),
            s("x")
        ])
    );
    assert_eq!(
        eval_with(prelude, "keys({ a = var.u })"),
        list(vec![s("a")])
    );
    assert_unknown(
        &eval_with(prelude, "cidrsubnet(var.u, 8, 1)"),
        "cidrsubnet(var.u, 8, 1)",
        "variable `u` has no default",
    );
    assert_unknown(&eval_with(prelude, "var.u + 1"), "var.u + 1", "no default");
    assert_unknown(
        &eval_with(prelude, "contains([var.u], \"a\")"),
        "contains([var.u], \"a\")",
        "no default",
    );
    assert_unknown(
        &eval_with(prelude, "flatten([var.u])"),
        "flatten([var.u])",
        "no default",
    );
    assert_unknown(
        &eval_with(prelude, "var.u ? 1 : 2"),
        "var.u ? 1 : 2",
        "no default",
    );
    assert_unknown(
        &eval_with(prelude, "try(var.u, 1)"),
        "try(var.u, 1)",
        "no default",
    );
    assert_unknown(
        &eval_with(prelude, "timestamp()"),
        "timestamp()",
        "not evaluated offline",
    );
    assert_unknown(
        &eval_with(prelude, "no_such_function(1)"),
        "no_such_function(1)",
        "not evaluated offline",
    );
    assert_unknown(
        &eval_with(prelude, "provider::aws::arn_parse(\"x\")"),
        "provider::aws::arn_parse(\"x\")",
        "provider function",
    );
    assert_unknown(
        &eval_with(prelude, "replace(\"a\", \"/a/\", \"b\")"),
        "replace(\"a\", \"/a/\", \"b\")",
        "regular expression",
    );
    assert_unknown(
        &eval_with(prelude, "terraform.workspace"),
        "terraform.workspace",
        "workspace",
    );
    // A known `false &&` decides without the unknown.
    assert_eq!(eval_with(prelude, "false && var.u"), TfValue::Bool(false));
    // Elements stay known around an unknown one.
    let mixed = eval_with(prelude, "[\"a\", var.u]");
    assert_eq!(mixed.items()[0], s("a"));
    assert_unknown(&mixed.items()[1], "var.u", "no default");
}

// ---- blocks --------------------------------------------------------------------------

#[test]
fn nested_and_dynamic_blocks_are_lists_of_maps() {
    let config = read_ok(&[(
        "main.tf",
        r#"
variable "unknown_ports" {}
resource "aws_security_group" "sg" {
  name = "sg"
  ingress {
    from_port = 80
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port = 443
  }
  dynamic "egress" {
    for_each = [8080, 9090]
    content {
      from_port = egress.value
      index     = egress.key
    }
  }
  dynamic "rule" {
    for_each = { a = 1 }
    iterator = it
    content {
      name = it.key
    }
  }
  dynamic "unknown" {
    for_each = var.unknown_ports
    content { port = unknown.value }
  }
  lifecycle { create_before_destroy = true }
  timeouts { create = "5m" }
  depends_on = [aws_vpc.v]
  provider = aws.east
}
resource "aws_vpc" "v" {}
resource "aws_lb_target_group" "tg" {
  health_check {
    path = "/"
  }
}
"#,
    )]);
    let v = &res(&config, "aws_security_group.sg").values;
    assert_eq!(
        v["ingress"],
        list(vec![
            map(&[
                ("cidr_blocks", list(vec![s("0.0.0.0/0")])),
                ("from_port", n(80))
            ]),
            map(&[("from_port", n(443))]),
        ])
    );
    assert_eq!(
        v["egress"],
        list(vec![
            map(&[("from_port", n(8080)), ("index", n(0))]),
            map(&[("from_port", n(9090)), ("index", n(1))]),
        ])
    );
    assert_eq!(v["rule"], list(vec![map(&[("name", s("a"))])]));
    assert_unknown(&v["unknown"], "var.unknown_ports", "no default");
    for dropped in ["lifecycle", "timeouts", "depends_on", "provider"] {
        assert!(!v.contains_key(dropped), "{dropped} is dropped");
    }
    assert_eq!(
        res(&config, "aws_lb_target_group.tg").values["health_check"],
        list(vec![map(&[("path", s("/"))])]),
        "a single nested block is a list of one"
    );
}

// ---- modules -------------------------------------------------------------------------

const NET_MODULE: &str = r#"
variable "cidr" {}
variable "azs" { default = ["a"] }
variable "name" { default = "net" }
resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags = { Name = var.name, Dir = path.module }
}
resource "aws_subnet" "private" {
  count      = length(var.azs)
  vpc_id     = aws_vpc.this.id
  cidr_block = cidrsubnet(var.cidr, 8, count.index)
}
output "vpc_id" { value = aws_vpc.this.id }
output "subnet_ids" { value = aws_subnet.private[*].id }
output "vpc" { value = aws_vpc.this }
"#;

#[test]
fn local_modules_are_followed() {
    let config = read_ok(&[
        (
            "main.tf",
            r#"
module "net" {
  source = "./modules/net"
  cidr   = "10.0.0.0/16"
  azs    = ["a", "b"]
}
module "per_env" {
  source   = "./modules/net"
  for_each = { dev = "10.1.0.0/16" }
  cidr     = each.value
  name     = each.key
}
module "counted" {
  source = "./modules/net"
  count  = 1
  cidr   = "10.2.0.0/16"
}
resource "aws_lb" "nlb" {
  subnets     = module.net.subnet_ids
  vpc         = module.net.vpc_id
  via_object  = module.net.vpc.arn
  dev_vpc     = module.per_env["dev"].vpc_id
  counted_vpc = module.counted[0].vpc_id
  all         = module.counted[*].vpc_id
}
"#,
        ),
        ("modules/net/main.tf", NET_MODULE),
    ]);
    let vpc = &res(&config, "module.net.aws_vpc.this").values;
    assert_eq!(vpc["cidr_block"], s("10.0.0.0/16"));
    assert_eq!(
        vpc["tags"],
        map(&[("Dir", s("modules/net")), ("Name", s("net"))])
    );
    let subnet = &res(&config, "module.net.aws_subnet.private[1]").values;
    assert_eq!(subnet["vpc_id"], r("module.net.aws_vpc.this", "id"));
    assert_eq!(subnet["cidr_block"], s("10.0.1.0/24"));
    let dev = &res(&config, "module.per_env[\"dev\"].aws_vpc.this").values;
    assert_eq!(
        dev["tags"],
        map(&[("Dir", s("modules/net")), ("Name", s("dev"))])
    );
    res(&config, "module.counted[0].aws_subnet.private[0]");
    let lb = &res(&config, "aws_lb.nlb").values;
    assert_eq!(
        lb["subnets"],
        list(vec![
            r("module.net.aws_subnet.private[0]", "id"),
            r("module.net.aws_subnet.private[1]", "id"),
        ])
    );
    assert_eq!(lb["vpc"], r("module.net.aws_vpc.this", "id"));
    assert_eq!(lb["via_object"], r("module.net.aws_vpc.this", "arn"));
    assert_eq!(
        lb["dev_vpc"],
        r("module.per_env[\"dev\"].aws_vpc.this", "id")
    );
    assert_eq!(lb["counted_vpc"], r("module.counted[0].aws_vpc.this", "id"));
    assert_eq!(
        lb["all"],
        list(vec![r("module.counted[0].aws_vpc.this", "id")])
    );
    // Every resource remembers its own file.
    assert_eq!(
        res(&config, "module.net.aws_vpc.this")
            .location
            .file
            .as_deref(),
        Some("modules/net/main.tf")
    );
    assert!(config.skipped.is_empty());
}

#[test]
fn nested_modules_resolve_paths_relative_to_the_caller() {
    let config = read_ok(&[
        ("main.tf", "module \"app\" {\n  source = \"./app\"\n}\n"),
        (
            "app/main.tf",
            "module \"net\" {\n  source = \"../modules/net\"\n  cidr = \"10.9.0.0/16\"\n}\noutput \"vpc\" { value = module.net.vpc_id }\nresource \"test\" \"t\" { v = module.net.vpc_id }\n",
        ),
        ("modules/net/main.tf", NET_MODULE),
    ]);
    assert_eq!(
        res(&config, "module.app.test.t").values["v"],
        r("module.app.module.net.aws_vpc.this", "id")
    );
    res(&config, "module.app.module.net.aws_subnet.private[0]");
}

#[test]
fn registry_and_remote_modules_are_skipped_and_their_outputs_unknown() {
    let config = read_ok(&[(
        "main.tf",
        r#"
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}
module "git" {
  source = "git::https://example.com/net.git"
}
module "outside" {
  source = "../shared/net"
}
resource "aws_lb" "nlb" {
  subnets = module.vpc.private_subnets
}
"#,
    )]);
    let skipped: Vec<(&str, &str)> = config
        .skipped
        .iter()
        .map(|s| (s.name.as_str(), s.kind.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            ("module.vpc", "terraform-aws-modules/vpc/aws"),
            ("module.git", "git::https://example.com/net.git"),
            ("module.outside", "../shared/net"),
        ]
    );
    assert!(config.skipped[0].reason.contains("registry or remote"));
    assert!(config.skipped[2]
        .reason
        .contains("outside the configuration"));
    assert_unknown(
        &res(&config, "aws_lb.nlb").values["subnets"],
        "module.vpc.private_subnets",
        "registry or remote module",
    );
}

#[test]
fn provider_region_is_read() {
    let config = read_ok(&[(
        "main.tf",
        "variable \"region\" { default = \"eu-west-1\" }\nprovider \"aws\" {\n  alias = \"east\"\n  region = \"us-east-1\"\n}\nprovider \"aws\" {\n  region = var.region\n}\n",
    )]);
    assert_eq!(config.region, Some(s("eu-west-1")));
    let none = read_ok(&[("main.tf", "resource \"aws_vpc\" \"v\" {}\n")]);
    assert_eq!(none.region, None);
}

// ---- locations and errors ------------------------------------------------------------

#[test]
fn resources_remember_file_line_and_column() {
    let config = read_ok(&[
        ("a.tf", "\n\n  resource \"aws_vpc\" \"v\" {\n}\n"),
        (
            "b.tf",
            "# comment\nresource \"aws_subnet\" \"s\" {\n  count = 2\n}\n",
        ),
    ]);
    let v = &res(&config, "aws_vpc.v").location;
    assert_eq!(
        (v.file.as_deref(), v.line, v.column),
        (Some("a.tf"), Some(3), Some(3))
    );
    let s1 = &res(&config, "aws_subnet.s[1]").location;
    assert_eq!(
        (s1.file.as_deref(), s1.line, s1.column),
        (Some("b.tf"), Some(2), Some(1))
    );
}

fn read_err(pairs: &[(&str, &str)]) -> crate::import::ImportError {
    match read(&files(pairs)) {
        Ok(config) => panic!("expected an error, read {config:?}"),
        Err(err) => err,
    }
}

#[test]
fn syntax_errors_name_file_line_and_column() {
    let err = read_err(&[
        ("main.tf", "resource \"aws_vpc\" \"v\" {}\n"),
        (
            "network.tf",
            "resource \"aws_subnet\" \"s\" {\n  cidr_block = \n}\n",
        ),
    ]);
    assert_eq!((err.line, err.column), (Some(2), Some(16)));
    assert!(err.message.contains("network.tf"), "{err}");
    assert!(err.message.contains("syntax error"), "{err}");
    assert_eq!(err.format, crate::model::SourceFormat::Terraform);
    let err = read_err(&[("main.tf", "x = 1\n"), ("terraform.tfvars", "a = \n")]);
    assert_eq!((err.line, err.column), (Some(1), Some(5)));
    assert!(err.message.contains("terraform.tfvars"), "{err}");
}

#[test]
fn duplicates_name_both_places() {
    let err = read_err(&[
        ("a.tf", "resource \"aws_vpc\" \"v\" {}\n"),
        ("b.tf", "\n  resource \"aws_vpc\" \"v\" {}\n"),
    ]);
    assert_eq!((err.line, err.column), (Some(2), Some(3)));
    assert!(
        err.message.contains("duplicate resource `aws_vpc.v`"),
        "{err}"
    );
    assert!(
        err.message.contains("first declared in a.tf at line 1"),
        "{err}"
    );
    assert!(err.message.contains("(in b.tf)"), "{err}");
    for (text, what) in [
        (
            "variable \"x\" {}\nvariable \"x\" {}\n",
            "duplicate variable `x`",
        ),
        (
            "locals {\n  x = 1\n}\nlocals {\n  x = 2\n}\n",
            "duplicate local value `x`",
        ),
        (
            "output \"o\" { value = 1 }\noutput \"o\" { value = 2 }\n",
            "duplicate output `o`",
        ),
        (
            "data \"aws_vpc\" \"d\" {}\ndata \"aws_vpc\" \"d\" {}\n",
            "duplicate data source `data.aws_vpc.d`",
        ),
        (
            "module \"m\" { source = \"x/y/aws\" }\nmodule \"m\" { source = \"x/y/aws\" }\n",
            "duplicate module call `m`",
        ),
    ] {
        let err = read_err(&[("main.tf", text)]);
        assert!(err.message.contains(what), "{err}");
        assert!(err.line.is_some() && err.column.is_some());
    }
    // A resource and a data source may share type and name.
    read_ok(&[(
        "main.tf",
        "resource \"aws_vpc\" \"v\" {}\ndata \"aws_vpc\" \"v\" {}\n",
    )]);
}

#[test]
fn a_missing_module_directory_is_an_error_at_the_call() {
    let err = read_err(&[(
        "main.tf",
        "resource \"aws_vpc\" \"v\" {}\n\nmodule \"net\" {\n  source = \"./modules/nett\"\n}\n",
    )]);
    assert_eq!((err.line, err.column), (Some(3), Some(1)));
    assert!(err.message.contains("modules/nett"), "{err}");
    assert!(err.message.contains("main.tf"), "{err}");
}

#[test]
fn malformed_blocks_are_errors_with_a_place() {
    for text in [
        "resource \"aws_vpc\" {}\n",
        "variable {}\n",
        "module \"m\" {\n  source = var.x\n}\n",
    ] {
        let err = read_err(&[("main.tf", text)]);
        assert_eq!((err.line, err.column), (Some(1), Some(1)), "{err}");
    }
    let err = read_err(&[("modules/a/main.tf", "resource \"aws_vpc\" \"v\" {}\n")]);
    assert!(err.message.contains("no .tf files in the root"), "{err}");
}

#[test]
fn byte_order_marks_and_crlf_line_ends_are_read() {
    let config = read_ok(&[(
        "main.tf",
        "\u{feff}resource \"aws_vpc\" \"v\" {\r\n  cidr_block = \"10.0.0.0/16\"\r\n}\r\n\r\n  resource \"aws_vpc\" \"w\" {}\r\n",
    )]);
    assert_eq!(
        res(&config, "aws_vpc.v").values["cidr_block"],
        s("10.0.0.0/16")
    );
    let w = &res(&config, "aws_vpc.w").location;
    assert_eq!((w.line, w.column), (Some(5), Some(3)));
}

#[test]
fn file_names_may_start_with_dot_slash() {
    let config = read_ok(&[
        (
            "./main.tf",
            "module \"net\" {\n  source = \"./modules/net\"\n  cidr = \"10.0.0.0/16\"\n}\n",
        ),
        ("./modules/net/main.tf", NET_MODULE),
    ]);
    res(&config, "module.net.aws_vpc.this");
}

#[test]
fn override_and_json_files_are_not_read() {
    let config = read_ok(&[
        ("main.tf", "resource \"aws_vpc\" \"v\" {}\n"),
        ("override.tf", "resource \"aws_vpc\" \"v\" {}\n"),
        ("x_override.tf", "resource \"aws_vpc\" \"v\" {}\n"),
        ("main.tf.json", "{"),
        ("README.md", "resource \"aws_vpc\" \"v\" {"),
        ("examples/complete/main.tf", "not hcl {{{"),
    ]);
    assert_eq!(config.resources.len(), 1);
}

#[test]
fn file_reads_files_of_the_configuration() {
    let config = read_ok(&[
        (
            "main.tf",
            "resource \"test\" \"t\" {\n  policy = file(\"${path.module}/policy.json\")\n  missing = file(\"nope.json\")\n}\n",
        ),
        ("policy.json", "{\"Version\": \"2012-10-17\"}"),
    ]);
    let v = &res(&config, "test.t").values;
    assert_eq!(v["policy"], s("{\"Version\": \"2012-10-17\"}"));
    assert_unknown(&v["missing"], "file(\"nope.json\")", "not among the files");
}

// ---- real configurations -------------------------------------------------------------

/// The real-world project of the Terraform corpus, compiled in: the core's tests read no
/// files either.
fn real_world_project() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("main.tf".to_owned(), include_str!("../../../../../tests/corpus/terraform/aws-samples__serverless-patterns__apigw-rest-vpclink-pvt-alb-terraform/main.tf").to_owned()),
        ("outputs.tf".to_owned(), include_str!("../../../../../tests/corpus/terraform/aws-samples__serverless-patterns__apigw-rest-vpclink-pvt-alb-terraform/outputs.tf").to_owned()),
        ("variables.tf".to_owned(), include_str!("../../../../../tests/corpus/terraform/aws-samples__serverless-patterns__apigw-rest-vpclink-pvt-alb-terraform/variables.tf").to_owned()),
    ])
}

#[test]
fn the_real_world_rest_vpclink_alb_configuration_reads() {
    let files = real_world_project();
    assert_eq!(files.len(), 3);
    let config = read(&files).unwrap();
    assert_eq!(config.region, Some(s("us-east-1")));
    assert_eq!(config.resources.len(), 22);
    assert!(config.skipped.is_empty());
    let link = res(&config, "aws_apigatewayv2_vpc_link.vpclink");
    assert_eq!(link.location.file.as_deref(), Some("main.tf"));
    assert_eq!(
        link.values["security_group_ids"],
        list(vec![r("aws_security_group.vpclink_sg", "id")])
    );
    assert_unknown(
        &link.values["subnet_ids"],
        "var.private_subnets",
        "has no default",
    );
    let tg = &res(&config, "aws_lb_target_group.ecs_tg").values;
    assert_eq!(tg["port"], n(80));
    assert_eq!(
        tg["health_check"].items()[0].get("matcher"),
        Some(&s("200"))
    );
    let sg = &res(&config, "aws_security_group.vpclink_sg").values;
    assert_unknown(
        &sg["egress"].items()[0].get("cidr_blocks").unwrap().items()[0],
        "var.vpc_cidr",
        "no default",
    );
    let role = &res(&config, "aws_iam_role.ecs_task_role").values;
    assert_eq!(
        role["assume_role_policy"],
        s(
            r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"}}],"Version":"2012-10-17"}"#
        )
    );
    let deployment = &res(&config, "aws_api_gateway_deployment.deployment").values;
    assert!(deployment["triggers"]
        .get("redeployment")
        .unwrap()
        .is_unknown());
    assert!(!deployment.contains_key("lifecycle"));
}

fn unknowns_only_after_apply(v: &TfValue) -> bool {
    match v {
        TfValue::Unknown { reason, .. } => reason.contains("known only after apply"),
        TfValue::List(items) => items.iter().all(unknowns_only_after_apply),
        TfValue::Map(map) => map.values().all(unknowns_only_after_apply),
        _ => true,
    }
}

/// An exported example as a one-file configuration, compiled in.
fn export(text: &str) -> BTreeMap<String, String> {
    files(&[("main.tf", text)])
}

#[test]
fn the_exported_examples_read_back() {
    let config = read(&export(include_str!(
        "../../../../../examples/exports/three-tier.tf"
    )))
    .unwrap();
    assert_eq!(config.region, Some(s("us-east-1")));
    assert!(config.skipped.is_empty());
    assert!(config.resources.len() > 30, "{}", config.resources.len());
    let subnet = &res(&config, "aws_subnet.nlb_a").values;
    assert_eq!(subnet["vpc_id"], r("aws_vpc.app", "id"));
    assert_eq!(subnet["cidr_block"], s("10.0.101.0/24"));
    assert_eq!(
        subnet["tags"].get("vpclink:id"),
        Some(&s("nlb-a")),
        "quoted object keys"
    );
    let rule = &res(&config, "aws_network_acl_rule.nlb_ingress_110").values;
    assert_eq!(rule["rule_number"], n(110));
    assert_eq!(rule["egress"], TfValue::Bool(false));
    // The export writes only literals and references: what is unknown is unknown only
    // because it depends on another resource's attribute (a deployment's trigger hash).
    for resource in &config.resources {
        for (name, value) in &resource.values {
            assert!(
                unknowns_only_after_apply(value),
                "{}.{name} = {value:?}",
                resource.address
            );
        }
    }

    let config = read(&export(include_str!(
        "../../../../../examples/exports/http-api.tf"
    )))
    .unwrap();
    assert!(config.skipped.is_empty());
    let route_target = config
        .resources
        .iter()
        .filter(|r| r.kind == "aws_apigatewayv2_route")
        .filter_map(|r| r.values.get("target"))
        .next()
        .unwrap();
    assert!(route_target.is_unknown(), "{route_target:?}");
}

// ---- never panic ---------------------------------------------------------------------

mod properties {
    use proptest::prelude::*;

    use super::*;

    const THREE_TIER: &str = include_str!("../../../../../examples/exports/three-tier.tf");

    fn check(text: &str) {
        match read(&files(&[("main.tf", text)])) {
            Ok(_) => {}
            Err(err) => {
                assert!(
                    err.line.is_some() && err.column.is_some() || err.message.contains("root"),
                    "an error without a place: {err}"
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn truncated_real_configuration_never_panics(cut in 0usize..THREE_TIER.len()) {
            let mut end = cut;
            while !THREE_TIER.is_char_boundary(end) {
                end -= 1;
            }
            check(&THREE_TIER[..end]);
        }

        #[test]
        fn mutated_real_configuration_never_panics(
            at in 0usize..THREE_TIER.len(),
            insert in "[{}\\[\\]()\"$%~=.*,:?!<>\\n a-z0-9]{0,8}",
            remove in 0usize..8,
        ) {
            let mut start = at;
            while !THREE_TIER.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + remove).min(THREE_TIER.len());
            while !THREE_TIER.is_char_boundary(end) {
                end -= 1;
            }
            let text = format!("{}{insert}{}", &THREE_TIER[..start], &THREE_TIER[end..]);
            check(&text);
        }

        #[test]
        fn random_hcl_ish_text_never_panics(
            text in proptest::collection::vec(
                prop_oneof![
                    Just("resource \"aws_subnet\" \"s\" {\n".to_owned()),
                    Just("locals {\n".to_owned()),
                    Just("variable \"v\" {\n".to_owned()),
                    Just("module \"m\" {\n source = \"./\"\n".to_owned()),
                    Just("count = ".to_owned()),
                    Just("for_each = ".to_owned()),
                    Just("dynamic \"d\" {\n for_each = ".to_owned()),
                    Just("content {\n".to_owned()),
                    Just("}\n".to_owned()),
                    Just("a = ".to_owned()),
                    Just("local.a".to_owned()),
                    Just("var.v".to_owned()),
                    Just("aws_subnet.s[*].id".to_owned()),
                    Just("count.index".to_owned()),
                    Just("each.value".to_owned()),
                    Just("[for x in range(3) : x]".to_owned()),
                    Just("cidrsubnet(\"10.0.0.0/8\", 8, 1)".to_owned()),
                    Just("\"${".to_owned()),
                    Just("%{ for x in [1] }".to_owned()),
                    "[a-z_]{1,6}".prop_map(|s| s),
                    "[0-9]{1,12}".prop_map(|s| s),
                    "[ \\n+*/%(){}\\[\\],.:?=\"<>!&|-]{1,3}".prop_map(|s| s),
                ],
                0..40,
            )
        ) {
            check(&text.concat());
        }
    }

    #[test]
    fn pathological_configurations_stay_bounded() {
        // Doubling strings and lists, self-referencing modules, huge ranges: each ends
        // quickly with unknowns or skips.
        let mut doubling =
            String::from("locals {\n  s0 = \"xxxxxxxxxxxxxxxx\"\n  l0 = [1, 2]\n  n0 = [1]\n");
        for i in 1..64 {
            doubling.push_str(&format!(
                "  s{i} = \"${{local.s{p}}}${{local.s{p}}}\"\n  l{i} = concat(local.l{p}, local.l{p})\n  n{i} = [local.n{p}, local.n{p}]\n",
                p = i - 1
            ));
        }
        doubling.push_str("}\nresource \"test\" \"t\" {\n  s = local.s63\n  l = local.l63\n  n = local.n63\n  r = range(100000)\n}\n");
        let config = read_ok(&[("main.tf", &doubling)]);
        let v = &res(&config, "test.t").values;
        assert!(v["s"].is_unknown());
        assert!(v["l"].is_unknown());
        // The nested list stops growing at the size limit: its inner parts are unknown.
        assert!(super::super::value::blocker(&v["n"])
            .unwrap()
            .contains("more than 1000000"));
        assert!(v["r"].is_unknown());

        let config = read_ok(&[(
            "main.tf",
            "module \"loop\" {\n  source = \"./\"\n}\nresource \"aws_vpc\" \"v\" {}\n",
        )]);
        assert_eq!(
            config.resources.len(),
            super::super::eval::MAX_MODULE_DEPTH + 1
        );
        assert!(config
            .skipped
            .iter()
            .any(|s| s.reason.contains("nested more than")));
    }
}
