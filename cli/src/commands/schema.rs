//! `vpclink schema`: the topology JSON Schema, for editors and form validators.

use std::io;

use crate::outcome::{after_output, Outcome};
use crate::render::json;

pub fn run() -> io::Result<Outcome> {
    let schema = vpclink_core::schema::topology_schema();
    after_output(
        Outcome::Clean,
        json::write(&mut io::stdout().lock(), &schema),
    )
}
