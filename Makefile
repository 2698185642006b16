# Hooklab. Quick start: `make run` opens the window, `make test` runs every test.
# Both install what is missing first (see `deps`).

GO      ?= go
TAGS    := migrated_fynedo
BIN     := hooklab
DISPLAY_NUM ?= :99
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: all deps run build test lint bench screenshot clean

all: build

# deps installs the C headers Fyne's OpenGL/X11 driver needs when
# pkg-config cannot find them. Debian/Ubuntu: apt-get (sudo when not
# root); macOS and Windows: prints what to install.
deps:
	@if [ "$$(uname -s)" = "Linux" ]; then \
	  if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists gl x11 xcursor xrandr xinerama xi xxf86vm; then \
	    exit 0; \
	  fi; \
	  if command -v apt-get >/dev/null 2>&1; then \
	    SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO="sudo"; \
	    echo "deps: installing OpenGL/X11 headers for Fyne (libgl1-mesa-dev xorg-dev pkg-config)"; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libgl1-mesa-dev xorg-dev pkg-config >/dev/null || exit 1; \
	  else \
	    echo "deps: install the OpenGL and X11 development headers (e.g. mesa-libGL-devel libXcursor-devel libXrandr-devel libXinerama-devel libXi-devel libXxf86vm-devel) and pkg-config"; exit 1; \
	  fi; \
	elif [ "$$(uname -s)" = "Darwin" ]; then \
	  xcode-select -p >/dev/null 2>&1 || { echo "deps: install the Xcode command line tools: xcode-select --install"; exit 1; }; \
	else \
	  command -v gcc >/dev/null 2>&1 || { echo "deps: install a C compiler for cgo, e.g. MSYS2 with: pacman -S mingw-w64-x86_64-toolchain, and add its bin folder to PATH"; exit 1; }; \
	fi

build: deps
	$(GO) build -tags $(TAGS) -o $(BIN) .

run: build
	./$(BIN)

# The first build of Fyne with cgo takes ~5 minutes on 2 cores; the Go
# build cache keeps it, so nothing here ever cleans that cache.
test: deps
	$(GO) vet -tags $(TAGS) ./...
	$(GO) test -race -tags $(TAGS) -count=1 ./...

lint: deps
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) run $(STATICCHECK) -tags $(TAGS) ./...
	@# The layers below the window never import Fyne (docs/architecture.md).
	@if $(GO) list -tags $(TAGS) -deps ./capture/... ./requester/... ./sandbox/... ./workspace/... | grep -q '^fyne.io/'; then \
	  echo "a package below ui/ imports Fyne:"; \
	  for p in $$($(GO) list -tags $(TAGS) ./capture/... ./requester/... ./sandbox/... ./workspace/...); do \
	    $(GO) list -tags $(TAGS) -deps $$p | grep -q '^fyne.io/' && echo "  $$p"; done; exit 1; fi
	@# Files are split by concern before they grow past ~600 lines.
	@big=$$(for f in $$(git ls-files '*.go' | grep -v '_test.go$$'); do n=$$(wc -l < $$f); [ $$n -gt 600 ] && echo "$$f ($$n lines)"; done); \
	  if [ -n "$$big" ]; then echo "over 600 lines, split by concern:"; echo "$$big"; exit 1; fi

# bench prints the figures docs/performance.md records. The catcher's
# benchmarks drive real loopback servers for a fixed time each, so one
# iteration (-benchtime 1x) is the measurement.
bench: deps
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchtime 1x ./capture
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem ./ui/...

# screenshot runs the real app under Xvfb, sends the example request and
# saves docs/screenshot.png (light) and docs/screenshot-dark.png.
screenshot: build
	@command -v Xvfb >/dev/null && command -v import >/dev/null || { \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq xvfb imagemagick >/dev/null; }
	@set -e; Xvfb $(DISPLAY_NUM) -screen 0 1400x900x24 >/dev/null 2>&1 & xvfb=$$!; \
	  trap 'kill $$xvfb 2>/dev/null' EXIT; sleep 1; \
	  for variant in light dark; do \
	    out=docs/screenshot.png; [ $$variant = dark ] && out=docs/screenshot-dark.png; \
	    DISPLAY=$(DISPLAY_NUM) FYNE_THEME=$$variant ./$(BIN) --demo --data-dir $$(mktemp -d) >/dev/null 2>&1 & app=$$!; \
	    sleep 5; DISPLAY=$(DISPLAY_NUM) import -window root $$out; \
	    kill $$app; wait $$app 2>/dev/null || true; echo "wrote $$out"; \
	  done

clean:
	rm -f $(BIN)
