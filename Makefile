# Thin wrapper around CMake. `make run` and `make test` install what is missing first.
BUILD      ?= build
BUILD_TYPE ?= RelWithDebInfo
WERROR     ?= OFF
SANITIZE   ?= OFF
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)

# Debian packages the build and the tests need (node and npm: API, OpenAPI and browser tests;
# nginx and openssl: the shipped proxy config tested in front of the binary, over TLS;
# postgresql and postgresql-contrib: the throwaway cluster of the PostgreSQL suites, pg_trgm).
DEB_BUILD := cmake make gcc pkg-config libcivetweb-dev libsqlite3-dev libcjson-dev \
             libcurl4-openssl-dev libsodium-dev libcmocka-dev \
             libpng-dev libjpeg62-turbo-dev libcairo2-dev \
             libxml2-dev libssl-dev libzip-dev libpango1.0-dev libdeflate-dev fonts-nanum \
             libpq-dev
DEB_TEST  := nodejs npm chromium epubcheck nginx openssl clang-format \
             postgresql postgresql-contrib
# Fuzzing (`make fuzz`): clang's libFuzzer and sanitizer runtimes.
DEB_FUZZ  := clang libclang-rt-14-dev
FUZZ_SECONDS ?= 60
# The benchmark (`make bench`): load generator, database checks, readiness polling, and node
# for the attack scenarios (bench/attack.mjs: many client addresses, dribbling connections).
DEB_BENCH := wrk sqlite3 curl nodejs

ifeq ($(SANITIZE),ON)
  BUILD := build-asan
  BUILD_TYPE := Debug
  SAN_FLAGS := -DENABLE_ASAN=ON -DENABLE_UBSAN=ON
endif
# ThreadSanitizer: the concurrency tests (bus, view buffer, scheduler, workers, storage, HTTP load)
ifeq ($(SANITIZE),thread)
  BUILD := build-tsan
  BUILD_TYPE := Debug
  SAN_FLAGS := -DENABLE_TSAN=ON
endif

.PHONY: all build run test deps deps-test clean bench fuzz

all: build

# Installs missing Debian packages: as root with apt-get, otherwise prints the line to run.
define install_missing
	@missing=""; \
	for p in $(1); do \
	  case $$p in nodejs) command -v node >/dev/null 2>&1 && continue;; \
	              npm) command -v npm >/dev/null 2>&1 && continue;; esac; \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "missing packages; run: sudo apt-get update && sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi
endef

deps:
	$(call install_missing,$(DEB_BUILD))

deps-test: deps
	$(call install_missing,$(DEB_TEST))
	@if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch node_modules; fi

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DWERROR=$(WERROR) $(SAN_FLAGS)

build: $(BUILD)/CMakeCache.txt
	cmake -S . -B $(BUILD) -DWERROR=$(WERROR) $(SAN_FLAGS) >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

run: deps build
	./$(BUILD)/walking-library serve --demo

test: deps-test build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

bench: deps
	$(call install_missing,$(DEB_BENCH))
	bench/run.sh

# Every libFuzzer target in tests/fuzz for FUZZ_SECONDS each (CI: a short run).
fuzz: deps
	$(call install_missing,$(DEB_FUZZ))
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DENABLE_FUZZ=ON -DWERROR=$(WERROR) >/dev/null
	cmake --build build-fuzz -j$(JOBS)
	tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

clean:
	rm -rf build build-asan build-tsan build-fuzz
