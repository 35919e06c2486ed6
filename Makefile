# distill — two commands for a new machine: `make demo` and `make test`.
SWIFT ?= swift
RELEASE_BIN := .build/release
# Release binaries carry the Swift runtime and Foundation inside them: no symbol lookups across 14 more shared
# libraries at every start (`distill --version`: 12.3 ms of CPU linked in, 18.7 ms shared; a warm `sbom` is mostly start-up).
RELEASE_FLAGS := -c release --static-swift-stdlib

.PHONY: all build release test demo bench deps clean fuzz soak

all: build

deps:
	@scripts/install-deps.sh build

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build $(RELEASE_FLAGS)

## Installs what is missing (skopeo, umoci, runc, libarchive…) and runs every test.
test:
	@scripts/install-deps.sh test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-xctest --no-parallel

## Runs every fuzz target (libFuzzer + AddressSanitizer, a separate build in .build-fuzz) for FUZZ_SECONDS (default 60).
fuzz:
	@scripts/install-deps.sh build
	scripts/fuzz.sh

## The long reliability runs: 30+ SIGKILLs of build, pull and db import, the hostile inputs, the fuzz replay with more mutants.
soak:
	@scripts/install-deps.sh test
	$(SWIFT) build --build-tests
	DISTILL_SOAK=1 DISTILL_FUZZ_SMOKE_RUNS=20000 $(SWIFT) test --skip-build --disable-xctest \
		--filter 'CrashSafetyTests|HostileInputTests|FuzzReplayTests|FuzzRegressionTests'

## Builds the example image from the live Debian mirror and runs it.
demo:
	@scripts/install-deps.sh demo
	$(SWIFT) build $(RELEASE_FLAGS) --product distill
	scripts/demo.sh $(RELEASE_BIN)/distill

## Measures distill against its peers in the same run; writes bench/results.md.
bench:
	@scripts/install-deps.sh bench
	$(SWIFT) build $(RELEASE_FLAGS)
	@mkdir -p bench
	$(RELEASE_BIN)/distill-bench | tee bench/results.md

clean:
	rm -rf .build build
