# The README's test command is `make test`; .ci/run calls it after starting PostgreSQL.
GO ?= go
FUZZTIME ?= 10s

.PHONY: test vet race fuzz demo build bench

test: vet race fuzz

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...

race:
	$(GO) test -race -count=1 ./...

# Each fuzz target runs briefly so CI keeps finding new inputs; corpora live in testdata/fuzz.
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for f in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/^func //'); do \
	    echo "fuzz $$pkg $$f"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

build:
	$(GO) build -o bayu ./cmd/bayu

demo:
	$(GO) run ./cmd/bayu demo
