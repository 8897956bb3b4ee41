//! The parts of the boto3 responses the importer reads, as serde types. Unknown fields are
//! ignored (responses carry many more), and datetimes are never read, so a collector may
//! write them as strings. Casing follows each service: `apigateway` is lowerCamel, the
//! others UpperCamel (facts §10).

pub mod apigateway;
pub mod apigatewayv2;
pub mod cloudwatch;
pub mod ec2;
pub mod elbv2;
