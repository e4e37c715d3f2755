# Parley: the two commands are `make run` and `make test`.
SWIFT ?= swift
SHELL := /bin/bash

.PHONY: run test setup build build-release unit-test e2e-test clean bench

setup:
	@scripts/setup.sh

build-release: setup
	@echo "==> building release binaries"
	$(SWIFT) build -c release --product roomd
	$(SWIFT) build -c release --product signald
	$(SWIFT) build -c release --product mediad

## Installs what is missing, builds release binaries and runs all three services (Ctrl-C stops them).
run: build-release
	@scripts/run-all.sh "$$($(SWIFT) build -c release --show-bin-path)"

build: setup
	@echo "==> building debug binaries and tests"
	$(SWIFT) build --build-tests

unit-test: build
	@echo "==> swift unit tests"
	$(SWIFT) test --skip-build

e2e-test: build
	@echo "==> end-to-end tests with real peers"
	PARLEY_BIN="$$($(SWIFT) build --show-bin-path)" .venv/bin/python -m pytest -v Tests/e2e

## Installs what is missing, builds, and runs every test.
test: unit-test e2e-test

clean:
	rm -rf .build test-output

## Benchmarks (prints tables, asserts nothing; not part of `make test`): release builds
## in their own scratch path, mediad pinned to core 1, load generator on core 0.
BENCH_SCRATCH ?= .build-perf
BENCH_ARGS ?=
bench: setup
	@echo "==> release builds for benchmarks ($(BENCH_SCRATCH))"
	for product in loadgen roomd signald mediad; do \
		$(SWIFT) build -c release --scratch-path $(BENCH_SCRATCH) --product $$product || exit 1; done
	python3 Tools/bench/bench.py "$$($(SWIFT) build -c release --scratch-path $(BENCH_SCRATCH) --show-bin-path)" $(BENCH_ARGS)
