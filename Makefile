# distill — two commands for a new machine: `make demo` and `make test`.
SWIFT ?= swift
RELEASE_BIN := .build/release

.PHONY: all build release test demo bench deps clean

all: build

deps:
	@scripts/install-deps.sh build

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## Installs what is missing (skopeo, umoci, runc, libarchive…) and runs every test.
test:
	@scripts/install-deps.sh test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-xctest --no-parallel

## Builds the example image from the live Debian mirror and runs it.
demo:
	@scripts/install-deps.sh demo
	$(SWIFT) build -c release --product distill
	scripts/demo.sh $(RELEASE_BIN)/distill

## Measures distill against its peers in the same run; writes bench/results.md.
bench:
	@scripts/install-deps.sh bench
	$(SWIFT) build -c release
	@mkdir -p bench
	$(RELEASE_BIN)/distill-bench | tee bench/results.md

clean:
	rm -rf .build build
