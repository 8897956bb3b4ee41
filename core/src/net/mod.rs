//! Network evaluation primitives: address/port coverage, security groups, network ACLs.
