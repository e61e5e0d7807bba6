# Ferry — top-level build.
#   make            build build/ferry (-O2, warnings are errors)
#   make run        install what is missing, build, start a single node on conf/
#   make check      install test dependencies, build, run unit + regress + client tests
#   make asan       build build-asan/ferry with AddressSanitizer + UBSan
#   make check-asan the whole suite against the ASan build

BUILD   ?= build
CC      ?= cc
OPT     ?= -O2 -g
SAN     ?=
# GCC 12 reports false "null format string" truncation warnings under UBSan.
SANWARN := $(if $(SAN),-Wno-format-truncation -Wno-maybe-uninitialized,)
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

.PHONY: all run check check-asan asan unit regress clients deps test-deps clean format

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

unit-bins: $(UNIT_BINS)

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" all unit-bins

check-asan: test-deps asan
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 scripts/check.sh build-asan

format:
	clang-format -i $$(find $(MODULES) tests -name '*.[ch]')

clean:
	rm -rf build build-asan

-include $(DEPS)
