"""The command line of the Python package: `python -m vpclink COMMAND`.

`check` and `plan` print what the `vpclink` binary prints (JSON identical, text close to
it); `snapshot` and `apply` talk to AWS through vpclink.aws. Exit codes, as the binary's:
0 clean / done, 1 findings or a failed apply, 2 unusable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Dict, Optional, Sequence, TextIO

import vpclink

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNUSABLE = 2

PLAN_FORMATS = ("text", "json", "cli", "boto3", "cloudformation", "terraform", "mermaid")
# Formats that describe the topology rather than the plan (vpclink.render takes those).
TOPOLOGY_FORMATS = ("cloudformation", "terraform", "mermaid")
SEVERITIES = ("error", "warning", "info")


class _Unusable(Exception):
    """Input the command cannot work with: exit 2 with this message."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m vpclink",
        description="Check and plan private API paths (API Gateway → VPC link → NLB → targets), "
        "read them from AWS and apply plans with boto3.",
        epilog="Exit codes: 0 clean or done, 1 findings or a failed apply, 2 unusable input.",
    )
    parser.add_argument("--version", action="version", version=f"vpclink {vpclink.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate a topology and print the findings")
    check.add_argument("file", metavar="FILE", help="topology, CloudFormation template or live-state bundle; - reads stdin")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument(
        "--fail-on",
        choices=(*SEVERITIES, "never"),
        default="error",
        help="lowest severity that makes the exit code 1 (default: error)",
    )

    plan = commands.add_parser("plan", help="plan the AWS calls that build (or tear down) a topology")
    plan.add_argument("file", metavar="FILE", nargs="?", help="the desired topology; - reads stdin")
    plan.add_argument("--current", metavar="FILE", help="the topology as it exists now (with AWS ids)")
    plan.add_argument("--destroy", action="store_true", help="tear down --current (or FILE)")
    plan.add_argument("--format", choices=PLAN_FORMATS, default="text")
    plan.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")

    snap = commands.add_parser("snapshot", help="read the account into a live-state bundle (read-only calls)")
    snap.add_argument("--region", help="the Region (default: the profile's or AWS_REGION)")
    snap.add_argument("--vpc-id", action="append", dest="vpc_ids", metavar="VPC", help="only this VPC (repeatable)")
    snap.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    _aws_options(snap)

    apply = commands.add_parser("apply", help="apply a plan (from `plan --format json`) with boto3")
    apply.add_argument("plan", metavar="PLAN", help="the plan as JSON")
    apply.add_argument("--checkpoint", metavar="FILE", help="state file: written as the run goes, resumed from if it exists")
    apply.add_argument("--no-rollback", action="store_true", help="on failure, leave what was created in place")
    apply.add_argument("--max-attempts", type=int, metavar="N", help="answers with a retryable error a call may get")
    apply.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    _aws_options(apply)
    return parser


def _aws_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", help="the AWS profile to use")
    parser.add_argument("--endpoint-url", metavar="URL", help="send the calls there (a local emulator such as moto)")


def main(argv: Optional[Sequence[str]] = None, *, stdout: Optional[TextIO] = None, stderr: Optional[TextIO] = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args, out)
        if args.command == "plan":
            return _plan(args, out)
        if args.command == "snapshot":
            return _snapshot(args, out, err)
        return _apply(args, out, err)
    except _Unusable as exc:
        print(f"error: {exc}", file=err)
        return EXIT_UNUSABLE
    except vpclink.Error as exc:
        print(f"error: {exc}", file=err)
        return EXIT_UNUSABLE


# ------------------------------------------------------------------------------ check, plan


def _input(name: str) -> Any:
    """A file as the core reads it: a path (so errors name the file), or stdin's text."""
    if name == "-":
        return sys.stdin.read()
    path = Path(name)
    if not path.exists():
        raise _Unusable(f"{name}: no such file")
    return path


def _check(args: argparse.Namespace, out: TextIO) -> int:
    report = vpclink.validate(_input(args.file))
    if args.format == "json":
        _write_json(report, out)
    else:
        out.write(vpclink.report_text(report))
    threshold = args.fail_on
    failing = SEVERITIES[: SEVERITIES.index(threshold) + 1] if threshold != "never" else ()
    found = any(d.get("severity") in failing for d in report.get("diagnostics") or [])
    return EXIT_FINDINGS if found else EXIT_OK


def _plan(args: argparse.Namespace, out: TextIO) -> int:
    if args.destroy:
        if (args.file is None) == (args.current is None):
            raise _Unusable("--destroy tears down one topology: give FILE or --current, not both")
        target = _input(args.current or args.file)
        if args.format in TOPOLOGY_FORMATS:
            raise _Unusable(f"--format {args.format} exports a topology, not a teardown")
        text = vpclink.render_plan(vpclink.plan(target, destroy=True), args.format)
    else:
        if args.file is None:
            raise _Unusable("give the desired topology (FILE, or - for stdin)")
        desired = _input(args.file)
        if args.format in TOPOLOGY_FORMATS:
            if args.current is not None:
                raise _Unusable(f"--format {args.format} exports a topology; --current does not apply")
            text = vpclink.render(desired, args.format)
        else:
            current = _input(args.current) if args.current is not None else None
            text = vpclink.render_plan(vpclink.plan(desired, current=current), args.format)
    if not text.endswith("\n"):
        text += "\n"
    _emit(text, args.output, out)
    return EXIT_OK


# ------------------------------------------------------------------------------ AWS


def _aws() -> Any:
    """vpclink.aws, or exit 2 when boto3 is not installed."""
    try:
        import vpclink.aws as aws
    except ModuleNotFoundError as exc:
        raise _Unusable(str(exc)) from None
    return aws


def _session(args: argparse.Namespace, region: Optional[str]) -> Any:
    from .aws._boto import boto3

    try:
        return boto3.session.Session(profile_name=args.profile, region_name=region)
    except Exception as exc:  # botocore's ProfileNotFound and the like
        raise _Unusable(str(exc)) from None


def _snapshot(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    snapshot = _aws().snapshot
    from .aws.calls import classify
    from .aws.redact import Redactor

    session = _session(args, args.region)
    try:
        bundle = snapshot(session, args.region, args.vpc_ids, endpoint_url=args.endpoint_url)
    except ValueError as exc:
        raise _Unusable(str(exc)) from None
    except Exception as exc:
        answer = classify(exc, Redactor.for_session(session))
        if answer is None:
            raise
        code, message, _ = answer
        print(f"error: {code}: {message}", file=err)
        return EXIT_FINDINGS
    text = json.dumps(bundle, indent=2, sort_keys=True) + "\n"
    _emit(text, args.output, out)
    return EXIT_OK


def _apply(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    aws = _aws()
    from .aws._boto import botocore_exceptions
    from .aws.progress import LinePrinter

    path = Path(args.plan)
    try:
        plan: Dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _Unusable(f"{args.plan}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise _Unusable(f"{args.plan}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    if not isinstance(plan, dict) or "steps" not in plan:
        raise _Unusable(f"{args.plan}: not a plan (make one with `plan --format json`)")
    waves = len(plan.get("waves") or [])
    printer = None if args.quiet else LinePrinter(err, waves)
    options = {"max_attempts": args.max_attempts} if args.max_attempts else None
    session = _session(args, plan.get("region") if isinstance(plan.get("region"), str) else None)
    resume_hint = f"; run the same command again to continue from {args.checkpoint}" if args.checkpoint else ""
    try:
        summary = aws.apply(
            plan,
            session,
            checkpoint=args.checkpoint,
            rollback=not args.no_rollback,
            on_event=printer if printer is not None else _ignore,
            options=options,
            endpoint_url=args.endpoint_url,
        )
    except aws.ApplyError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_FINDINGS
    except ValueError as exc:
        raise _Unusable(str(exc)) from None
    except botocore_exceptions.BotoCoreError as exc:
        # Missing credentials or Region: nothing was answered; the checkpoint is intact.
        print(f"error: {exc}{resume_hint}", file=err)
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        print(f"interrupted{resume_hint}", file=err)
        return 130
    _write_json(summary, out)
    return EXIT_OK


def _ignore(event: Dict[str, Any]) -> None:
    del event


# ------------------------------------------------------------------------------ output


def _write_json(value: Any, out: TextIO) -> None:
    out.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def _emit(text: str, output: Optional[str], out: TextIO) -> None:
    if output is None:
        out.write(text)
        return
    Path(output).write_text(text, encoding="utf-8")
