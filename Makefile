# creneau — set-up and everyday commands. Each target says what it does.
#   make demo   build, then solve the bundled demo lycée (writes out/)
#   make test   build and run the whole test suite, then fmt, clippy and doc checks
#   make setup  install the system tools the build needs (cmake, libclang), if missing

CARGO ?= cargo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup demo test lint bench clean

setup:
	@if command -v cmake >/dev/null 2>&1 && ls /usr/lib/llvm-*/lib/libclang*.so* >/dev/null 2>&1; then \
		echo "setup: cmake and libclang present"; \
	else \
		echo "setup: installing cmake and libclang (needed to build HiGHS, the MILP solver) with apt-get"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq cmake libclang-dev >/dev/null; \
	fi

demo: setup
	@mkdir -p out
	$(CARGO) run --release -q -p creneau-cli -- solve datasets/demo/lycee-demo.json --time-limit 30s --threads 2 \
		-o out/lycee-demo.solution.json --html out/html
	@echo "Open out/html/index.html to see the timetables of every class, teacher and room."

test: setup
	$(CARGO) test --workspace
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc -p creneau --no-deps -q

bench: setup
	$(CARGO) bench -p creneau-benches --bench moves

clean:
	$(CARGO) clean
	rm -rf out
