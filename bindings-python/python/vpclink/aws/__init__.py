"""vpclink on AWS: read an account into a live-state bundle, and apply a plan with boto3.

Pure Python on top of boto3 (`pip install 'vpclink[aws]'`); the decisions (what to call in
which order, retries, waits, rollback, resuming) are the core executor's, this package only
makes the calls.

    import boto3, vpclink, vpclink.aws

    session = boto3.Session(region_name="us-east-1")
    plan = vpclink.plan("examples/three-tier.json")
    summary = vpclink.aws.apply(plan, session, checkpoint="deploy.checkpoint.json")

    bundle = vpclink.aws.snapshot(session, vpc_ids=["vpc-0123"])
    report = vpclink.validate(vpclink.import_aws(bundle))

`snapshot` needs only the read permissions in `READ_PERMISSIONS`; `apply` needs whatever
the plan's calls need. Credentials never appear in events, exceptions, progress lines or
checkpoints.
"""

from .driver import apply
from .errors import ApplyError
from .bundle import BUNDLE_FORMAT, READ_PERMISSIONS, snapshot

__all__ = ["ApplyError", "BUNDLE_FORMAT", "READ_PERMISSIONS", "apply", "snapshot"]
