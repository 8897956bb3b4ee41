# Two entry points the README promises work on a fresh machine:
#   make run   — check the built-in three-tier example
#   make test  — every test, with the lints CI enforces
CARGO ?= cargo

.PHONY: run reach test test-rust test-external lint fmt build bench regenerate

run:
	$(CARGO) run --quiet --locked -p vpclink -- check

reach:
	$(CARGO) run --quiet --locked -p vpclink -- reach

test: lint test-rust test-external

test-rust:
	$(CARGO) test --workspace --locked

# AWS CLI script against moto's server, cfn-lint on the CloudFormation export, live-state
# recording; installs its Python tools into target/py on first use.
test-external:
	scripts/test-external

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

fmt:
	$(CARGO) fmt --all

build:
	$(CARGO) build --workspace --release --locked

bench:
	$(CARGO) bench -p vpclink-core --bench engine

regenerate:
	scripts/regenerate
