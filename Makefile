# The README's test command is `make test`; .ci/run calls it after starting PostgreSQL.
GO ?= go
FUZZTIME ?= 10s

.PHONY: test deps vet race fuzz demo build bench

test: deps vet race fuzz

# What the tests need besides Go and PostgreSQL: Debian's Chromium for the UI's
# browser test, with CJK fonts so its screenshots are readable.
deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing chromium and fonts-noto-cjk"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else \
	    echo "the browser test needs Chromium: sudo apt-get install chromium fonts-noto-cjk"; exit 1; \
	  fi; \
	fi

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...

race:
	$(GO) test -race -count=1 ./...

# Each fuzz target runs briefly so CI keeps finding new inputs; corpora live in testdata/fuzz.
# .ci/fuzz also tells Go 1.26's end-of-fuzztime race (no failing input) from a real failure.
fuzz:
	GO=$(GO) ./.ci/fuzz $(FUZZTIME)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

build:
	$(GO) build -o bayu ./cmd/bayu

demo:
	$(GO) run ./cmd/bayu demo
