# Ferry — top-level build.
#   make            build build/ferry (-O2, warnings are errors)
#   make run        install what is missing, build, start a single node on conf/
#   make check      install test dependencies, build, run unit + regress + client tests
#   make asan       build build-asan/ferry with AddressSanitizer + UBSan
#   make check-asan the whole suite against the ASan build
#   make fuzz       build build-fuzz/fuzz_* (clang libFuzzer + ASan/UBSan) and their seed corpora
#   make fuzz-run   run every fuzz target FUZZ_SECONDS (default 20) seconds; fails on any finding
#   make slt        the sqllogictest corpus (../shared/fixtures/slt) against build/ferry (tests/slt/)

BUILD   ?= build
CC      ?= cc
OPT     ?= -O2 -g
SAN     ?=
# GCC 12 reports false "null format string" truncation warnings under UBSan (clang
# knows neither option, and -Werror would turn its complaint into an error).
SANWARN := $(if $(SAN),$(if $(findstring clang,$(CC)),,-Wno-format-truncation -Wno-maybe-uninitialized),)
CFLAGS  += -std=gnu11 $(OPT) $(SAN) $(SANWARN) -Wall -Wextra -Werror -Wno-unused-parameter \
           -Wno-missing-field-initializers -pthread -I. -I/usr/include/postgresql -I/usr/include/libxml2 -D_GNU_SOURCE
LDFLAGS += $(SAN) -pthread
LIBS    := -lpg_query -lprotobuf-c -levent -levent_pthreads -levent_openssl -ljansson \
           -lpq -lcurl -lxml2 -lssl -lcrypto -lzstd -lsnappy -lz -llz4 -lbrotlidec -lbrotlienc -lm

MODULES := $(wildcard common storage formats exec planner connectors pgwire gateway)
SRCS    := $(filter-out gateway/main.c,$(shell find $(MODULES) -name '*.c' | sort))
OBJS    := $(SRCS:%.c=$(BUILD)/obj/%.o)
DEPS    := $(OBJS:.o=.d) $(BUILD)/obj/gateway/main.d
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all run check check-asan asan unit regress clients deps test-deps clean format fuzz fuzz-bins fuzz-run slt

all: $(BUILD)/ferry

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libferry.a: $(OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/ferry: $(BUILD)/obj/gateway/main.o $(BUILD)/libferry.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libferry.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libferry.a $(LDFLAGS) $(LIBS) -lcmocka

unit: $(UNIT_BINS)
	@scripts/run-unit.sh $(UNIT_BINS)

deps:
	@scripts/deps.sh

test-deps:
	@scripts/deps.sh --test

run: deps all
	$(BUILD)/ferry --etc-dir conf

check: test-deps
	@$(MAKE) --no-print-directory all unit-bins
	@scripts/check.sh $(BUILD)

unit-bins: $(UNIT_BINS) $(BUILD)/tools/parquet_dump
$(BUILD)/tools/%: tests/tools/%.c $(BUILD)/libferry.a
	@mkdir -p $(dir $@) && $(CC) $(CFLAGS) -o $@ $< $(BUILD)/libferry.a $(LDFLAGS) $(LIBS)

slt: all
	@tests/slt/run.sh $(BUILD)

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" all unit-bins

check-asan: test-deps asan
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 scripts/check.sh build-asan

# --- fuzzing (fuzz/README.md) ---------------------------------------------------------
# The library is rebuilt by clang into build-fuzz/ with coverage instrumentation
# (fuzzer-no-link) and ASan/UBSan; each fuzz/fuzz_*.c links against it with libFuzzer's main.
FUZZ_BUILD   := build-fuzz
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 20
FUZZ_SRCS    := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BINS    := $(FUZZ_SRCS:fuzz/%.c=$(BUILD)/%)
FUZZ_SEEDLIBS := -lz -lzstd -lsnappy -llz4 -lbrotlienc

fuzz:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" fuzz-bins

fuzz-bins: $(FUZZ_BINS) $(BUILD)/seeds/.stamp

$(BUILD)/fuzz_%: fuzz/fuzz_%.c $(BUILD)/libferry.a
	$(CC) $(CFLAGS) -fsanitize=fuzzer -MMD -MP -o $@ $< $(BUILD)/libferry.a $(LDFLAGS) $(LIBS)

# Seeds are generated (never copied from fixtures) by an uninstrumented helper.
$(BUILD)/gen_seeds: fuzz/gen_seeds.c fuzz/pq_build.h fuzz/pq_templates.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -I. -o $@ $< $(FUZZ_SEEDLIBS)

$(BUILD)/seeds/.stamp: $(BUILD)/gen_seeds
	@rm -rf $(BUILD)/seeds
	$(BUILD)/gen_seeds $(BUILD)/seeds
	@touch $@

fuzz-run: fuzz
	@scripts/fuzz-run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

format:
	clang-format -i $$(find $(MODULES) tests fuzz -name '*.[ch]')

clean:
	rm -rf build build-asan build-fuzz

-include $(DEPS) $(FUZZ_BINS:=.d)
