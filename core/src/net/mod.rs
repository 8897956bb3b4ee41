//! Network evaluation primitives: address/port coverage, security groups, network ACLs.
//! Pure functions over the model; the flows that use them live in [`crate::reach`].

pub mod nacl;
pub mod sg;
pub mod space;

pub use nacl::{NaclBlocker, NaclVerdict};
pub use sg::{Direction, Endpoint, SgVerdict};
pub use space::{Space, Span};
