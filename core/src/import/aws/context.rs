//! The importer's working state: the topology being built, the map from AWS ids to
//! topology ids, and what is recorded in the origin (sources, unknowns, skipped).

use std::collections::{HashMap, HashSet};

use crate::import::ImportError;
use crate::model::{
    Arn, Id, Observed, Origin, SkippedResource, SourceFormat, SourceLocation, Topology,
    UnknownValue,
};
use crate::pointer::JsonPointer;

use super::bundle::Bundle;
use super::names;

/// AWS id (or ARN) → topology id, per kind.
#[derive(Debug, Default)]
pub struct Refs {
    pub vpcs: HashMap<String, Id>,
    pub subnets: HashMap<String, Id>,
    pub security_groups: HashMap<String, Id>,
    pub network_acls: HashMap<String, Id>,
    pub instances: HashMap<String, Id>,
    /// By ARN and by CloudWatch dimension (`net/<name>/<id>`).
    pub load_balancers: HashMap<String, Id>,
    pub load_balancer_dimensions: HashMap<String, Id>,
    pub target_groups: HashMap<String, Id>,
    pub target_group_dimensions: HashMap<String, Id>,
    /// Listener ARN → load balancer id and port.
    pub listeners: HashMap<String, (Id, u16)>,
    pub vpc_links: HashMap<String, Id>,
    pub rest_apis: HashMap<String, Id>,
    pub http_apis: HashMap<String, Id>,
}

pub struct Importer<'b> {
    pub bundle: &'b Bundle,
    pub topo: Topology,
    pub origin: Origin,
    pub observed: Observed,
    pub refs: Refs,
    /// Origin source key → where the resource is in the bundle, to add line and column when
    /// the bundle came as text.
    pub located: Vec<(String, JsonPointer)>,
}

/// `/responses/<service>/<operation>/<page>/response`.
pub fn response_at(service: &str, operation: &str, page: usize) -> JsonPointer {
    JsonPointer::root()
        .key("responses")
        .key(service)
        .key(operation)
        .index(page)
        .key("response")
}

/// `/responses/<service>/<operation>/<page>/request/<field>`.
pub fn request_at(service: &str, operation: &str, page: usize, field: &str) -> JsonPointer {
    JsonPointer::root()
        .key("responses")
        .key(service)
        .key(operation)
        .index(page)
        .key("request")
        .key(field)
}

/// An error in the bundle's shape at `at` (no path for the whole document).
pub fn shape_error(at: &JsonPointer, message: impl Into<String>) -> ImportError {
    ImportError {
        format: SourceFormat::Aws,
        message: message.into(),
        path: (!at.as_str().is_empty()).then(|| at.as_str().to_owned()),
        line: None,
        column: None,
    }
}

/// A resource of one kind read from the bundle, before it has a topology id.
pub struct Found<'a, T> {
    pub item: &'a T,
    pub at: JsonPointer,
    pub aws_id: &'a str,
    pub name: Option<&'a str>,
}

/// Drops repeats of the same AWS id (overlapping pages or calls), keeping the first.
pub fn dedupe<T>(found: Vec<Found<'_, T>>) -> Vec<Found<'_, T>> {
    let mut seen = HashSet::new();
    found
        .into_iter()
        .filter(|f| seen.insert(f.aws_id.to_owned()))
        .collect()
}

/// Topology ids for `found`, in order; an AWS id that is no valid id is a shape error.
pub fn assign_ids<T>(found: &[Found<'_, T>], id_field: &str) -> Result<Vec<Id>, ImportError> {
    let pairs: Vec<(&str, Option<&str>)> = found.iter().map(|f| (f.aws_id, f.name)).collect();
    names::assign(&pairs)
        .into_iter()
        .zip(found)
        .map(|(id, f)| {
            id.ok_or_else(|| {
                shape_error(
                    &f.at.clone().key(id_field),
                    format!("`{}` cannot serve as an id: it is empty, longer than 255 characters or holds a control character", f.aws_id),
                )
            })
        })
        .collect()
}

impl<'b> Importer<'b> {
    pub fn new(bundle: &'b Bundle) -> Self {
        let mut topo = Topology::empty(bundle.region.clone());
        topo.account = bundle.account.clone();
        Importer {
            bundle,
            topo,
            origin: Origin {
                format: SourceFormat::Aws,
                file: None,
                sources: Default::default(),
                unknowns: Vec::new(),
                skipped: Vec::new(),
            },
            observed: Observed::default(),
            refs: Refs::default(),
            located: Vec::new(),
        }
    }

    /// Remembers that `/<collection>/<id>` came from the AWS resource `name` at `at`.
    pub fn source(&mut self, pointer: JsonPointer, name: &str, at: &JsonPointer) {
        let key = pointer.as_str().to_owned();
        self.origin.sources.insert(
            key.clone(),
            SourceLocation {
                name: name.to_owned(),
                file: None,
                line: None,
                column: None,
            },
        );
        self.located.push((key, at.clone()));
    }

    pub fn unknown(
        &mut self,
        path: JsonPointer,
        expression: impl Into<String>,
        reason: impl Into<String>,
    ) {
        self.origin.unknowns.push(UnknownValue {
            path,
            expression: expression.into(),
            reason: reason.into(),
        });
    }

    pub fn skip(&mut self, name: impl Into<String>, kind: &str, reason: impl Into<String>) {
        self.origin.skipped.push(SkippedResource {
            name: name.into(),
            kind: kind.to_owned(),
            reason: reason.into(),
        });
    }

    /// Maps a list of AWS ids to topology ids; ids not in the bundle are left out and
    /// recorded as unknowns at `list_path` (`what` names the kind and the operation).
    pub fn map_ids(
        &mut self,
        aws_ids: &[&str],
        known: fn(&Refs) -> &HashMap<String, Id>,
        list_path: &JsonPointer,
        what: &str,
    ) -> Vec<Id> {
        let mut out = Vec::new();
        for aws_id in aws_ids {
            match known(&self.refs).get(*aws_id) {
                Some(id) => {
                    if !out.contains(id) {
                        out.push(id.clone());
                    }
                }
                None => self.unknown(
                    list_path.clone(),
                    *aws_id,
                    format!("{what} `{aws_id}` is not in the bundle, so it is left out here"),
                ),
            }
        }
        out
    }
}

/// Registers a load balancer or target group ARN with its CloudWatch dimension form.
pub fn dimension_of(arn: &Arn) -> String {
    arn.dimension_suffix().to_owned()
}
