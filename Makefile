# oms: order management for apparel brands, as small C Unix filters.

VERSION   = 0.1.0
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
DESTDIR  ?=

CC       ?= cc
WERROR   ?= -Werror
WARN      = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes $(WERROR)
CFLAGS   ?= -O2 -g
JANSSON_CFLAGS := $(shell pkg-config --cflags jansson 2>/dev/null)
JANSSON_LIBS   := $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson)
ALL_CFLAGS = $(WARN) -D_POSIX_C_SOURCE=200809L -DOMS_VERSION='"$(VERSION)"' \
             $(LIB_INC) $(JANSSON_CFLAGS) $(CFLAGS)
LDLIBS    = $(JANSSON_LIBS) -lcsv

# Build trees: bin/ for the normal build, build/san for ASan+UBSan.
# Objects wait for deps (order-only): under make -j the compiler ran while
# apt-get was still installing jansson on a fresh machine.
OUT      ?= build/release
BIN      ?= bin

TOOLS     = oms-import oms-allocate oms-split oms-backorder
# lib/ in layers, the pipeline from the bottom up: a file includes headers
# of its own layer and the layers below it (tools' layers not each other's).
LAYERS    = base records stream ref import allocate split backorder
LIB_SRC   = $(wildcard $(LAYERS:%=lib/%/*.c))
LIB_HDR   = $(wildcard $(LAYERS:%=lib/%/*.h))
LIB_INC   = $(LAYERS:%=-Ilib/%)
LIB_OBJ   = $(LIB_SRC:lib/%.c=$(OUT)/lib/%.o)
LIB_A     = $(OUT)/liboms.a
BINS      = $(TOOLS:%=$(BIN)/%)
MAN1      = $(TOOLS:%=man/%.1)
MAN       = $(MAN1) man/oms.7 man/oms-records.5

SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=all
FUZZ_CC  ?= clang
FUZZ_SECONDS ?= 30
FUZZERS   = $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
# C unit tests of lib/: tests/unit/<name>_test.c, each a program on liboms.a.
UNITDIR  ?= build/unit
UNITS     = $(patsubst tests/unit/%.c,$(UNITDIR)/%,$(wildcard tests/unit/*_test.c))

.PHONY: all test unit check memcheck fuzz bench identity demo install uninstall clean lint deps

all: deps $(BINS)

deps:
	@sh scripts/deps.sh build

$(OUT)/lib/%.o: lib/%.c $(LIB_HDR) | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB_A): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(BIN)/%: cmd/%.c $(LIB_A) $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB_A) $(LDFLAGS) $(LDLIBS)

$(UNITDIR)/%_test: tests/unit/%_test.c tests/unit/check.h $(LIB_A) $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB_A) $(LDFLAGS) $(LDLIBS)

# Each prints "unit: <name> N checks ok", or its failed checks and exits 1.
unit: deps $(UNITS)
	@for t in $(UNITS); do $$t || exit 1; done

# The generator shares only the calendar arithmetic of liboms.
bench/gen: bench/gen.c lib/base/date.c lib/base/date.h
	$(CC) $(WARN) -D_POSIX_C_SOURCE=200809L -Ilib/base $(CFLAGS) -o $@ bench/gen.c lib/base/date.c

# Makes one call on a tool's outputs fail, for tests/faults.bats (LD_PRELOAD).
FAULTSHIM = build/faultshim.so
$(FAULTSHIM): tests/helpers/faultshim.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -Wall -Wextra $(WERROR) -O1 -g -shared -fPIC -o $@ $< -ldl

test: all unit bench/gen $(FAULTSHIM)
	@sh scripts/deps.sh test
	sh scripts/layers.sh
	bats tests

# The unit tests and the whole suite again, built with AddressSanitizer and UBSan.
check: deps bench/gen $(FAULTSHIM)
	@sh scripts/deps.sh test
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    $(MAKE) --no-print-directory OUT=build/san BIN=build/san/bin \
	    UNITDIR=build/san/unit CFLAGS="$(SAN_FLAGS)" \
	    LDFLAGS="-fsanitize=address,undefined" $(TOOLS:%=build/san/bin/%) unit
	OMS_BIN=$(CURDIR)/build/san/bin \
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 bats tests

memcheck: all $(UNITS) bench/gen
	@sh scripts/deps.sh test
	sh tests/memcheck.sh

fuzz: deps
	@sh scripts/deps.sh fuzz
	@mkdir -p build/fuzz
	@for f in $(FUZZERS); do \
	    $(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=c11 \
	        -D_POSIX_C_SOURCE=200809L $(LIB_INC) -Ifuzz $(JANSSON_CFLAGS) \
	        -o build/fuzz/$$f fuzz/$$f.c fuzz/harness.c $(LIB_SRC) $(LDLIBS) || exit 1; \
	    mkdir -p build/fuzz/corpus-$$f; \
	    echo "fuzz: $$f for $(FUZZ_SECONDS)s"; \
	    build/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	        -artifact_prefix=build/fuzz/$$f- \
	        -print_final_stats=0 build/fuzz/corpus-$$f fuzz/corpus/$$f \
	        2> build/fuzz/$$f.log || { tail -50 build/fuzz/$$f.log; exit 1; }; \
	done

bench: all bench/gen
	@sh scripts/deps.sh bench
	sh bench/run.sh

# The sha256 of every output of every tool on generated books: equal lists
# before and after a change prove it altered no output.
identity: all bench/gen
	@sh bench/identity.sh

demo: all
	sh examples/pipeline.sh

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	cp $(BINS) $(DESTDIR)$(BINDIR)/
	cp $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	cp man/oms-records.5 $(DESTDIR)$(MANDIR)/man5/
	cp man/oms.7 $(DESTDIR)$(MANDIR)/man7/

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(BINDIR)/%) $(MAN1:man/%=$(DESTDIR)$(MANDIR)/man1/%) \
	    $(DESTDIR)$(MANDIR)/man5/oms-records.5 $(DESTDIR)$(MANDIR)/man7/oms.7

lint:
	sh scripts/layers.sh
	clang-format --dry-run --Werror $(LIB_SRC) $(LIB_HDR) cmd/*.c fuzz/*.c bench/*.c tests/unit/*.c
	cppcheck --quiet --error-exitcode=1 --inline-suppr --enable=warning,portability \
	    --suppress=missingIncludeSystem --include=/usr/include/jansson.h $(LIB_INC) lib cmd
	mandoc -Tlint -W warning $(MAN)

clean:
	rm -rf build bin bench/gen
