# Two entry points the README promises work on a fresh machine:
#   make run   — check the built-in three-tier example
#   make test  — every test, with the lints CI enforces
CARGO ?= cargo

.PHONY: run reach test test-rust test-external test-python test-wasm test-demo demo npm lint fmt build bench regenerate

run:
	$(CARGO) run --quiet --locked -p vpclink -- check

reach:
	$(CARGO) run --quiet --locked -p vpclink -- reach

test: lint test-rust test-external test-python test-wasm test-demo

test-rust:
	$(CARGO) test --workspace --locked

# AWS CLI script against moto's server, cfn-lint on the CloudFormation export, live-state
# recording; installs its Python tools into target/py on first use.
test-external:
	scripts/test-external

# The Python package: wheel built and installed into target/pyb, mypy --strict, stubtest,
# pytest (conformance vectors, API, the boto3 driver against moto's server).
test-python:
	scripts/test-python

# The npm package: wasm build, wasm-bindgen-test in Node and headless Chromium, the packed
# tarball in a fresh project (conformance vectors), tsc --strict on the usage example.
test-wasm:
	scripts/test-wasm

# The designer: unit tests, production build, end-to-end tests in headless Chromium.
test-demo:
	scripts/test-demo

# Builds the npm package into bindings-wasm/pkg.
npm:
	scripts/build-npm

# Builds the designer and serves it on http://127.0.0.1:5173.
demo:
	scripts/demo

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
