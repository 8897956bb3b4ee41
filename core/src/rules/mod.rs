//! The rule catalogue: one rule per file, grouped by family; a registry lists them all.
//!
//! A rule reads the resolved [`Graph`] through a [`Context`] and emits [`Diagnostic`]s.
//! Rules never parse or resolve anything themselves, and never panic.

pub mod context;
pub mod cost;
pub mod fixes;
pub mod integration;
pub mod load_balancer;
pub mod network;
pub mod observability;
pub mod vpc_link;

#[cfg(test)]
pub mod testing;

pub use context::Context;

use crate::diagnostic::{Diagnostic, RuleMeta};

/// One rule: its metadata and its check.
pub struct Rule {
    pub meta: RuleMeta,
    pub check: fn(&Context<'_, '_>, &mut Vec<Diagnostic>),
}

/// Every rule, family by family, in code order.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    vpc_link::RULES
        .iter()
        .chain(load_balancer::RULES)
        .chain(network::RULES)
        .chain(integration::RULES)
        .chain(observability::RULES)
        .chain(cost::RULES)
        .copied()
}

/// Finds any code's metadata — rules and reference codes alike — by code (`VL101`) or
/// name (`vpc-link-single-target`), ignoring case.
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    catalogue().into_iter().find(|m| {
        m.code.eq_ignore_ascii_case(code_or_name) || m.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// Metadata of every code the engine can report, references included, in code order.
pub fn catalogue() -> Vec<&'static RuleMeta> {
    let mut metas: Vec<&'static RuleMeta> = crate::graph::REFERENCE_CODES.to_vec();
    metas.extend(all().map(|r| &r.meta));
    metas.sort_by_key(|m| m.code);
    metas
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let metas = catalogue();
        let codes: BTreeSet<_> = metas.iter().map(|m| m.code).collect();
        let names: BTreeSet<_> = metas.iter().map(|m| m.name).collect();
        assert_eq!(codes.len(), metas.len(), "duplicate code");
        assert_eq!(names.len(), metas.len(), "duplicate name");
        for m in metas {
            assert!(m.code.len() == 5 && m.code.starts_with("VL"), "{}", m.code);
            let family_digit = match m.family {
                crate::diagnostic::Family::Model => '0',
                crate::diagnostic::Family::VpcLink => '1',
                crate::diagnostic::Family::LoadBalancer => '2',
                crate::diagnostic::Family::Network => '3',
                crate::diagnostic::Family::Integration => '4',
                crate::diagnostic::Family::Observability => '5',
                crate::diagnostic::Family::Cost => '6',
            };
            assert_eq!(
                m.code.chars().nth(2),
                Some(family_digit),
                "{} in wrong family",
                m.code
            );
            assert!(
                m.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                m.name
            );
            assert!(
                !m.title.ends_with('.'),
                "{}: titles do not end with a period",
                m.code
            );
            assert!(
                !m.rationale.is_empty() && !m.source.is_empty(),
                "{}",
                m.code
            );
        }
    }
}
