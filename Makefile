# Parley: the two commands are `make run` and `make test`.
SWIFT ?= swift
SHELL := /bin/bash

.PHONY: run test setup build build-release unit-test e2e-test clean fuzz fuzz-build fuzz-smoke soak bench bench-setup bench-alloc alloc-check

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

## Installs what is missing, builds, and runs every test (the fuzz smoke run last).
test: unit-test e2e-test alloc-check fuzz-smoke

clean:
	rm -rf .build test-output

## libFuzzer runs of the STUN, SDP, RTP/RTCP and Wire-frame parsers: FUZZ_RUNS executions each
## (default 1e6, inputs up to FUZZ_MAX_LEN bytes, at most FUZZ_MAX_SECONDS per target), seeded
## from the test fixtures; crash inputs land in test-output/fuzz/ and fail the run.
FUZZ_RUNS ?= 1000000
FUZZ_MAX_LEN ?= 4096
FUZZ_MAX_SECONDS ?= 3600
FUZZ_TARGETS := FuzzStun FuzzSdp FuzzRtp FuzzWireFrame
FUZZ_SCRATCH := .build-fuzz
FUZZ_BUILD := $(SWIFT) build -c debug --scratch-path $(FUZZ_SCRATCH) -Xswiftc -sanitize=fuzzer,address

fuzz-build:
	@for target in $(FUZZ_TARGETS); do $(FUZZ_BUILD) --product $$target || exit 1; done

fuzz: fuzz-build
	@rm -rf $(FUZZ_SCRATCH)/seeds && python3 Tools/Fuzz/make_seeds.py $(FUZZ_SCRATCH)/seeds
	@mkdir -p test-output/fuzz
	@bin="$$($(FUZZ_BUILD) --show-bin-path)"; for target in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_SCRATCH)/corpus/$$target; \
		echo "==> $$target: $(FUZZ_RUNS) runs"; \
		"$$bin/$$target" -runs=$(FUZZ_RUNS) -max_len=$(FUZZ_MAX_LEN) -max_total_time=$(FUZZ_MAX_SECONDS) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
			-artifact_prefix=test-output/fuzz/$$target- $(FUZZ_SCRATCH)/corpus/$$target $(FUZZ_SCRATCH)/seeds/$$target \
			2>&1 | grep -E "^(Done|INFO: Seed|==[0-9]+==|SUMMARY|stat::number_of_executed_units|Fatal|.*ERROR)" ; \
		test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done

## The smoke run `make test` ends with: 1e5 executions per target (capped at 5 minutes each).
fuzz-smoke:
	@echo "==> fuzz smoke run (sanitized build in $(FUZZ_SCRATCH))"
	@$(MAKE) --no-print-directory fuzz FUZZ_RUNS=100000 FUZZ_MAX_LEN=1024 FUZZ_MAX_SECONDS=300

## 50 participants (loadgen; SOAK_CLIENT=aiortc for Python peers) in 5 rooms for SOAK_MINUTES (default 30)
## on release binaries; not part of `make test`.
soak: build-release
	$(SWIFT) build -c release --product loadgen
	PARLEY_BIN="$$($(SWIFT) build -c release --show-bin-path)" .venv/bin/python Tools/soak.py

## Benchmarks (prints tables, asserts nothing; not part of `make test`): release builds
## in their own scratch path, mediad pinned to core 1, load generator on core 0.
BENCH_SCRATCH ?= .build-perf
BENCH_ARGS ?=
## Janus AudioBridge for the side-by-side runs (from the Debian mirror; skipped with BENCH_ARGS=--no-janus).
bench-setup:
	@if [[ "$(BENCH_ARGS)" != *--no-janus* ]] && ! command -v janus >/dev/null; then \
		echo "==> installing janus for the Parley/Janus comparison"; \
		apt-get install -y janus || echo "janus is not installable: the benchmarks run without it"; fi

bench: setup bench-setup
	@echo "==> release builds for benchmarks ($(BENCH_SCRATCH))"
	for product in loadgen roomd signald mediad; do \
		$(SWIFT) build -c release --scratch-path $(BENCH_SCRATCH) --product $$product || exit 1; done
	python3 Tools/bench/bench.py "$$($(SWIFT) build -c release --scratch-path $(BENCH_SCRATCH) --show-bin-path)" $(BENCH_ARGS)

## Heap allocations per packet and per mixer tick in the media core's steady state
## (malloc-interposer preloaded), plus its CPU per participant per frame without sockets.
bench-alloc: setup
	$(SWIFT) build -c release --scratch-path $(BENCH_SCRATCH) --product allocbench
	bin="$$($(SWIFT) build -c release --scratch-path $(BENCH_SCRATCH) --show-bin-path)"; \
		LD_PRELOAD="$$bin/libMallocInterposerSwift.so" "$$bin/allocbench" $(ALLOC_ARGS)

## In `make test`: the media core's steady state must not allocate per packet (release
## build, since -Onone allocates where the optimiser would not; rooms wired in memory).
alloc-check: setup
	@echo "==> allocation check of the packet path (release build in $(BENCH_SCRATCH))"
	$(SWIFT) build -c release --scratch-path $(BENCH_SCRATCH) --product allocbench
	bin="$$($(SWIFT) build -c release --scratch-path $(BENCH_SCRATCH) --show-bin-path)"; \
		LD_PRELOAD="$$bin/libMallocInterposerSwift.so" "$$bin/allocbench" --rooms 4 --warmup-frames 250 --frames 200 --require-zero-per-packet
