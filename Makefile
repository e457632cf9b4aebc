# sconn — a userspace SCTP stack in Go. `make demo` and `make test` do all set-up.
GO        ?= go
GOBIN     := $(shell $(GO) env GOPATH)/bin
APT_PKGS  := libusrsctp-dev libusrsctp-examples tshark
FUZZTIME  ?= 60s
SOAKTIME  ?= 10m
# Packages whose tests also run under the race detector in `make test`.
RACE_PKGS := $(strip $(foreach d,assoc conn dcep,$(if $(wildcard $(d)/*.go),./$(d)/...)))
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all demo test unit race fuzz soak bench lint fmt-check vet staticcheck deps interop

all: test

## demo: the main job, self-contained: two stacks over a lossy link and a PlainTransport-style UDP host next to RTP
demo:
	$(GO) run ./cmd/sconndemo

## test: everything CI runs — set-up, lint, unit tests, race tests
test: deps fmt-check vet staticcheck unit race interop
	@echo "make test: all passed"

unit:
	$(GO) test -count=1 ./...

race:
	$(if $(RACE_PKGS),$(GO) test -race -count=1 $(RACE_PKGS),@echo "race: no engine packages yet")

## interop: tests against real peers (usrsctp through cgo, pion/sctp) in the interop module
interop: deps
	cd interop && $(GO) vet ./... && $(GO) test -race -count=1 ./...

## fuzz: every fuzz target for FUZZTIME each (FUZZTIME=5m make fuzz)
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$t ($(FUZZTIME))"; \
	    $(GO) test $$pkg -run XXX -fuzz "^$$t$$" -fuzztime $(FUZZTIME); \
	  done; \
	done

## soak: long runs: tests with the soak tag, repeated race runs, and longer fuzzing
soak:
	$(GO) test -tags soak -count=1 -timeout 2h ./...
	$(GO) test -race -count=3 ./...
	$(MAKE) fuzz FUZZTIME=$(SOAKTIME)

## bench: benchmarks (benchstat-friendly: make bench > new.txt)
bench:
	$(GO) test -run XXX -bench . -benchmem -count=$${COUNT:-1} ./...

lint: fmt-check vet staticcheck

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

staticcheck:
	@[ -x $(GOBIN)/staticcheck ] || $(GO) install honnef.co/go/tools/cmd/staticcheck@latest
	$(GOBIN)/staticcheck ./...
	cd interop && $(GOBIN)/staticcheck ./...

## deps: install the Debian packages the tests need, when missing
deps:
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
