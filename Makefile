# ferry's build, test and benchmark entry points. README explains them.

GO       ?= go
BIN      ?= bin/ferry
PKGS     := ./...
# Interop tests against real servers: "required" fails when a server
# cannot start (CI sets it); otherwise those tests skip with a hint.
FERRY_INTEROP ?=
export FERRY_INTEROP

.PHONY: all build test test-short servers bench bench-smoke lint fmt clean demo fuzz fuzz-short soak \
	man completions install uninstall

# Where make install puts things: $(DESTDIR)$(PREFIX)/bin/ferry, the man
# pages in share/man/man1 and the completion scripts where bash, zsh and
# fish look for them. DESTDIR stages an install for a package.
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
MAN1DIR  = $(PREFIX)/share/man/man1
BASHDIR  = $(PREFIX)/share/bash-completion/completions
ZSHDIR   = $(PREFIX)/share/zsh/site-functions
FISHDIR  = $(PREFIX)/share/fish/vendor_completions.d
# Where the pages and scripts are made before they are installed.
MANOUT  ?= bin/man
COMPOUT ?= bin/completion

all: build man completions

build:
	$(GO) build -o $(BIN) ./cmd/ferry

# test runs every test with the race detector, after vet and a gofmt
# check, and after installing the real FTP servers the interop tests use
# (unpacked from Debian packages into a cache folder; see README); the
# tests of peak memory, which the race detector would swamp, and those
# that start the ferry binary dozens of times (parity of the front ends,
# README's examples), once more without it; then every fuzz target briefly and every benchmark scenario once on small
# data, so that neither rots.
test: servers lint
	$(GO) test -race -count=1 -timeout 20m $(PKGS)
	$(GO) test -count=1 -run '^(TestMemory|TestParity|TestReadmeExamples)' ./cmd/
	$(MAKE) --no-print-directory fuzz-short
	$(MAKE) --no-print-directory bench-smoke

# test-short skips the interop and soak tests.
test-short:
	$(GO) test -race -short $(PKGS)

# fuzz runs every fuzz target (each func FuzzX in a _test.go file) for
# FUZZTIME each, one after another: `make fuzz FUZZTIME=10m` for a long
# run. A failing input is written to testdata/fuzz/FuzzX/ in the target's
# package; commit it with the fix, as a regression seed. fuzz-short runs
# each target for 2 s (about a minute in all). scripts/fuzz.sh explains
# the "flake" lines of a loaded machine.
FUZZTIME ?= 60s
fuzz:
	FUZZTIME=$(FUZZTIME) GO=$(GO) sh scripts/fuzz.sh

fuzz-short:
	FUZZTIME=2s GO=$(GO) sh scripts/fuzz.sh

# soak runs the full soak tests: ten rounds of a parallel mirror of 2,000
# files both ways against the in-process server with dropped data
# connections and 421 replies, and the same over 32 connections against
# vsftpd; each checks the trees, goroutines, file descriptors and memory.
# `make test` runs a short form of both (2 rounds of 300 files).
soak: servers
	FERRY_SOAK=full $(GO) test -race -count=1 -timeout 60m -run Soak -v ./transfer/ ./internal/interop/

servers:
	$(GO) run ./internal/realserver/cmd/realserver install

# demo starts ferry's own test server with sample files and runs a few
# commands against it; nothing outside this machine is needed.
demo:
	$(GO) run ./internal/demo

# bench runs the micro-benchmarks, then measures ferry against lftp, curl
# and wget on vsftpd (root needed; see internal/bench) and writes
# BENCHMARKS.md: on loopback, then at 20 and 100 ms round trips through
# internal/bench/relay. It takes about an hour.
bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./client/
	$(GO) run ./internal/bench/cmd/bench -ferry $(BIN) -o BENCHMARKS.md

# bench-smoke runs every scenario of bench once on small data, in seconds,
# so that the harness keeps working; its report goes to bin/.
bench-smoke: build
	$(GO) run ./internal/bench/cmd/bench -smoke -ferry $(BIN) -o bin/bench-smoke.md

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

fmt:
	gofmt -w .

clean:
	rm -rf bin

# install builds what is missing or older than the sources, so that
# `make && sudo make install` runs no Go as root, then copies. uninstall
# removes exactly what install put there: the man pages by the names in
# $(MANOUT).
GOSRC := $(shell find . -name '*.go' -not -path './bin/*') go.mod go.sum
COMPLETIONS := $(COMPOUT)/ferry $(COMPOUT)/_ferry $(COMPOUT)/ferry.fish

install: $(BIN) $(MANOUT)/ferry.1 $(COMPLETIONS)
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MAN1DIR)" \
		"$(DESTDIR)$(BASHDIR)" "$(DESTDIR)$(ZSHDIR)" "$(DESTDIR)$(FISHDIR)"
	install -m 0755 $(BIN) "$(DESTDIR)$(BINDIR)/ferry"
	install -m 0644 $(MANOUT)/*.1 "$(DESTDIR)$(MAN1DIR)"
	install -m 0644 $(COMPOUT)/ferry "$(DESTDIR)$(BASHDIR)/ferry"
	install -m 0644 $(COMPOUT)/_ferry "$(DESTDIR)$(ZSHDIR)/_ferry"
	install -m 0644 $(COMPOUT)/ferry.fish "$(DESTDIR)$(FISHDIR)/ferry.fish"

uninstall: $(MANOUT)/ferry.1
	rm -f "$(DESTDIR)$(BINDIR)/ferry" "$(DESTDIR)$(BASHDIR)/ferry" \
		"$(DESTDIR)$(ZSHDIR)/_ferry" "$(DESTDIR)$(FISHDIR)/ferry.fish"
	for f in $(MANOUT)/*.1; do rm -f "$(DESTDIR)$(MAN1DIR)/$${f##*/}"; done

# man writes the man pages (ferry.1, ferry-get.1, ...) to $(MANOUT), from
# the command tree; SOURCE_DATE_EPOCH fixes their date.
man: $(MANOUT)/ferry.1

$(MANOUT)/ferry.1: $(GOSRC)
	rm -rf $(MANOUT).tmp
	$(GO) run ./internal/mangen -dir $(MANOUT).tmp
	rm -rf $(MANOUT)
	mv $(MANOUT).tmp $(MANOUT)

# completions writes the bash, zsh and fish scripts that ferry completion
# prints to $(COMPOUT).
completions: $(COMPLETIONS)

$(COMPOUT)/ferry: $(BIN)
	@mkdir -p $(COMPOUT)
	$(BIN) completion bash > $@.tmp && mv $@.tmp $@
$(COMPOUT)/_ferry: $(BIN)
	@mkdir -p $(COMPOUT)
	$(BIN) completion zsh > $@.tmp && mv $@.tmp $@
$(COMPOUT)/ferry.fish: $(BIN)
	@mkdir -p $(COMPOUT)
	$(BIN) completion fish > $@.tmp && mv $@.tmp $@

$(BIN): $(GOSRC)
	$(GO) build -o $(BIN) ./cmd/ferry
