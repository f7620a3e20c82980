# The C ABI (issue 7): libringback, include/ringback.h, the C example and the C test suite.
#
#   make test-c      header drift check, build, C example, C/C++ tests under valgrind
#   make c-header    regenerate include/ringback.h after changing ffi/src
#   make c-example   build and run examples/c/decide.c (shared and static library)
#
# cbindgen is pinned and installed into target/tools by cargo (nothing from outside the
# registries). The tests and the example link the release build: what users ship.

# Rules here must not become the Makefile's default goal (this file is included before
# `test:`): remember the goal and restore it at the end.
c_mk_default_goal := $(.DEFAULT_GOAL)

CC        ?= cc
CXX       ?= g++
CBINDGEN_VERSION := 0.29.4
CBINDGEN  := target/tools/bin/cbindgen
CBINDGEN_STAMP := target/tools/cbindgen-$(CBINDGEN_VERSION).stamp
C_OUT     := target/c
C_LIBDIR  := target/release
C_SO      := $(C_LIBDIR)/libringback.so
C_A       := $(C_LIBDIR)/libringback.a
C_STRICT  := -std=c11 -Wall -Wextra -Werror -g -Iinclude -Itests/c -Itests/c/vendor/cjson
C_LINK    := -L$(C_LIBDIR) -lringback -lpthread
C_STATIC_LIBS := -lpthread -ldl -lm
C_RUN     := env LD_LIBRARY_PATH=$(C_LIBDIR) RUST_BACKTRACE=0
VALGRIND  := valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect \
             --show-leak-kinds=definite,indirect --error-exitcode=1

PREFIX    ?= /usr/local
C_VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)

.PHONY: test-c c-lib c-header c-header-check c-example c-tests c-bench c-install

EXTRA_TESTS += test-c

test-c: c-header-check c-example c-tests
	@echo "test-c: C ABI checks passed"

$(CBINDGEN_STAMP):
	$(CARGO) install cbindgen --locked --version $(CBINDGEN_VERSION) --root target/tools
	touch $@

# Regenerate the header into target/ and fail on any difference with the committed one.
c-header-check: $(CBINDGEN_STAMP)
	@mkdir -p $(C_OUT)
	$(CBINDGEN) --quiet --config ffi/cbindgen.toml --crate ringback-ffi --output $(C_OUT)/ringback.h ffi
	@diff -u include/ringback.h $(C_OUT)/ringback.h || \
	  { echo "include/ringback.h is stale: run 'make c-header' and commit it"; exit 1; }

c-header: $(CBINDGEN_STAMP)
	$(CBINDGEN) --quiet --config ffi/cbindgen.toml --crate ringback-ffi --output include/ringback.h ffi

c-lib:
	$(CARGO) build --release -p ringback-ffi --lib

# Installs the header, both libraries and ringback.pc under $(DESTDIR)$(PREFIX).
c-install: c-lib
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 include/ringback.h $(DESTDIR)$(PREFIX)/include/ringback.h
	install -m 755 $(C_SO) $(DESTDIR)$(PREFIX)/lib/libringback.so
	install -m 644 $(C_A) $(DESTDIR)$(PREFIX)/lib/libringback.a
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(C_VERSION)|' ffi/ringback.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/ringback.pc

$(C_OUT)/cJSON.o: tests/c/vendor/cjson/cJSON.c tests/c/vendor/cjson/cJSON.h
	@mkdir -p $(C_OUT)
	$(CC) -std=c99 -O1 -g -c $< -o $@

# The example: C99 and -pedantic, linked once against the shared and once against the
# static library; both run on the example inputs.
c-example: c-lib
	@mkdir -p $(C_OUT)
	$(CC) -std=c99 -Wall -Wextra -Wpedantic -Werror -Iinclude examples/c/decide.c $(C_LINK) -o $(C_OUT)/decide
	$(CC) -std=c99 -Wall -Wextra -Wpedantic -Werror -Iinclude examples/c/decide.c $(C_A) $(C_STATIC_LIBS) -o $(C_OUT)/decide-static
	$(C_RUN) $(VALGRIND) $(C_OUT)/decide examples/c/policy.json examples/c/event.json examples/c/crm.json > $(C_OUT)/decide.out
	grep -q '"status":"follow_up"' $(C_OUT)/decide.out
	$(C_OUT)/decide-static examples/c/policy.json examples/c/event.json examples/c/crm.json | cmp - $(C_OUT)/decide.out
	@# As the README says: install with a prefix, build with pkg-config.
	$(MAKE) --no-print-directory c-install PREFIX=$(abspath $(C_OUT))/prefix
	$(CC) -std=c11 -Wall -Wextra -Werror examples/c/decide.c \
	  $$(PKG_CONFIG_PATH=$(C_OUT)/prefix/lib/pkgconfig pkg-config --cflags --libs ringback) -o $(C_OUT)/decide-pc
	env LD_LIBRARY_PATH=$(C_OUT)/prefix/lib $(C_OUT)/decide-pc examples/c/policy.json examples/c/event.json \
	  examples/c/crm.json | cmp - $(C_OUT)/decide.out
	@head -c 300 $(C_OUT)/decide.out; echo " ..."
	$(CC) -std=c99 -Wall -Wextra -Wpedantic -Werror -Iinclude examples/c/crm_sync.c $(C_LINK) -o $(C_OUT)/crm_sync
	$(C_RUN) $(VALGRIND) $(C_OUT)/crm_sync salesforce examples/c/policy.json examples/c/event.json \
	  < examples/c/crm_answers.jsonl > $(C_OUT)/crm_sync.out
	tail -n 1 $(C_OUT)/crm_sync.out | grep -q '"state":"done"'
	@tail -n 1 $(C_OUT)/crm_sync.out | head -c 300; echo " ..."

c-tests: c-lib $(C_OUT)/cJSON.o
	$(CC) $(C_STRICT) tests/c/test_api.c $(C_OUT)/cJSON.o $(C_LINK) -o $(C_OUT)/test_api
	$(CC) $(C_STRICT) tests/c/test_ingest.c $(C_OUT)/cJSON.o $(C_LINK) -o $(C_OUT)/test_ingest
	$(CC) $(C_STRICT) tests/c/test_corpus.c $(C_OUT)/cJSON.o $(C_LINK) -o $(C_OUT)/test_corpus
	$(CC) $(C_STRICT) tests/c/test_threads.c $(C_LINK) -o $(C_OUT)/test_threads
	$(CC) $(C_STRICT) tests/c/test_replayer.c $(C_OUT)/cJSON.o $(C_LINK) -o $(C_OUT)/test_replayer
	$(CC) $(C_STRICT) -D_POSIX_C_SOURCE=200809L tests/c/test_crm.c $(C_LINK) -o $(C_OUT)/test_crm
	$(CXX) -std=c++17 -Wall -Wextra -Werror -Iinclude tests/c/header_cpp.cpp $(C_LINK) -o $(C_OUT)/header_cpp
	$(C_RUN) $(VALGRIND) $(C_OUT)/header_cpp
	$(C_RUN) $(VALGRIND) $(C_OUT)/test_api
	$(C_RUN) $(VALGRIND) $(C_OUT)/test_corpus tests/corpus
	$(C_RUN) $(VALGRIND) $(C_OUT)/test_threads $(DEMO)
	$(C_RUN) $(VALGRIND) $(C_OUT)/test_ingest tests
	$(C_RUN) $(VALGRIND) $(C_OUT)/test_replayer . $(C_OUT)/replay-demo.jsonl
	$(C_RUN) $(VALGRIND) $(C_OUT)/test_crm
	@# The replayed demo week is the shared case's output byte for byte (its SHA-256).
	@want=$$(sed -n 's/.*"jsonl_sha256": "\([0-9a-f]*\)".*/\1/p' tests/replay/demo_week.json); \
	  got=$$(sha256sum $(C_OUT)/replay-demo.jsonl | cut -d' ' -f1); \
	  test -n "$$want" && test "$$got" = "$$want" || \
	  { echo "C replay of the demo week: sha256 $$got, want $$want"; exit 1; }

c-bench:
	$(CARGO) bench -p ringback-ffi --bench c_abi

.DEFAULT_GOAL := $(c_mk_default_goal)
