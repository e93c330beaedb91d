# Cadence: plain Makefile, libraries found with pkg-config.
# `make` builds build/cadence and build/strava-sandbox; `make run` and
# `make test` install what is missing first (scripts/deps.sh).

CC	?= cc
BUILD	?= build
PKGS	 = fcgi libpq jansson libcurl libpcre2-8 libsodium libxml-2.0 zlib
WARN	 = -Wall -Wextra -Wformat=2 -Wshadow -Wmissing-prototypes \
	   -Wstrict-prototypes -Wpointer-arith -Wcast-qual -Wvla \
	   -Wno-unused-parameter -Werror
OPT	?= -O2 -g
SAN	?=
CFLAGS	+= -std=c11 -D_GNU_SOURCE -fno-strict-aliasing $(OPT) $(WARN) $(SAN) \
	   -Iapp $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS	+= $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
TEST_LDLIBS = $(shell pkg-config --libs criterion 2>/dev/null)

-include Makefile.local

# The application library: everything in app/ but main.c and the sandbox.
LIB_SRC	 = $(sort $(wildcard app/core/*.c app/web/*.c app/server/*.c app/db/*.c \
	   app/view/*.c app/domain/*.c app/pages/*.c app/strava/*.c app/jobs/*.c \
	   app/cmd/*.c app/mail/*.c app/files/*.c app/garmin/*.c \
	   app/training/*.c))
LIB_OBJ	 = $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
SANDBOX_SRC = $(sort $(wildcard app/sandbox/*.c))
SANDBOX_OBJ = $(SANDBOX_SRC:%.c=$(BUILD)/obj/%.o)
# The Garmin sandbox shares the Strava sandbox's HTTP server and delivery thread.
GSANDBOX_SRC = $(sort $(wildcard app/garmin_sandbox/*.c))
GSANDBOX_OBJ = $(GSANDBOX_SRC:%.c=$(BUILD)/obj/%.o) \
	   $(patsubst %,$(BUILD)/obj/app/sandbox/%.o,http webhook splits store tz)
UNIT_SRC = $(sort $(wildcard tests/unit/*.c))
UNIT_OBJ = $(UNIT_SRC:%.c=$(BUILD)/obj/%.o)
INTEG_SRC = $(sort $(wildcard tests/integration/*.c))
INTEG_OBJ = $(INTEG_SRC:%.c=$(BUILD)/obj/%.o)
BENCH_SRC = $(sort $(wildcard bench/*.c))
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

all: $(BUILD)/cadence $(BUILD)/strava-sandbox $(BUILD)/garmin-sandbox

# `make V=1` shows the full commands.
Q	 = $(if $(V),,@)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libcadence.a: $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/cadence: $(BUILD)/obj/app/main.o $(BUILD)/libcadence.a
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/strava-sandbox: $(SANDBOX_OBJ) $(BUILD)/libcadence.a
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/garmin-sandbox: $(GSANDBOX_OBJ) $(BUILD)/libcadence.a
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/test-unit: $(UNIT_OBJ) $(BUILD)/libcadence.a
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TEST_LDLIBS)

$(BUILD)/test-integration: $(INTEG_OBJ) $(BUILD)/libcadence.a
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TEST_LDLIBS)

$(BUILD)/bench/%: bench/%.c $(BUILD)/libcadence.a
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

deps:
	@bash scripts/deps.sh test

# ASan + UBSan build in build/sanitize (used by CI's sanitizer pass).  At
# -O1 with the sanitizers GCC reports maybe-uninitialized false positives
# the -O2 build does not; the -O2 build keeps that warning an error.
sanitize:
	$(MAKE) BUILD=build/sanitize OPT="-O1 -g" \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -Wno-maybe-uninitialized" \
	    build/sanitize/cadence build/sanitize/strava-sandbox build/sanitize/garmin-sandbox

run:
	@bash scripts/deps.sh run
	@$(MAKE) --no-print-directory all
	@bash scripts/run.sh

stop:
	@bash scripts/stop.sh

test:
	@bash scripts/deps.sh test
	@$(MAKE) --no-print-directory all $(BUILD)/test-unit $(BUILD)/test-integration $(BENCH_BIN)
	@$(MAKE) --no-print-directory sanitize
	@bash scripts/test.sh

unit: $(BUILD)/test-unit
	$(BUILD)/test-unit
	@bash tests/lint/layers.sh

# SQL only in app/db/, no include cycle between app/ directories.
lint:
	@bash tests/lint/layers.sh

bench:
	@bash scripts/deps.sh test
	@$(MAKE) --no-print-directory all $(BENCH_BIN)
	@bash bench/run.sh

# One web worker and one job worker under valgrind, thousands of requests:
# no memory error, no definitely lost byte (tests/leaks/valgrind.sh).
leaks: all
	@bash tests/leaks/valgrind.sh

# libFuzzer drivers (tests/fuzz/); FUZZ_SECONDS=N per driver, default 60.
fuzz:
	@bash scripts/deps.sh test
	@bash tests/fuzz/run.sh

clean:
	rm -rf build

.PHONY: all deps sanitize run stop test unit lint bench fuzz leaks clean

-include $(LIB_OBJ:.o=.d) $(SANDBOX_OBJ:.o=.d) $(GSANDBOX_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(INTEG_OBJ:.o=.d) $(BUILD)/obj/app/main.d
