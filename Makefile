# Hooklab. Quick start: `make run` opens the window, `make test` runs every test.
# Both install what is missing first (see `deps`). `make package` leaves the
# .deb, the Linux tarball and the Windows installer in dist/ (see
# "Packages" below and docs/packaging.md).

GO      ?= go
# no_emoji leaves Fyne's bundled colour emoji font out: Fyne parses it
# once per text style, ~24 MB of resident memory at idle (emoji in
# bodies then come from the system's fonts; docs/performance.md).
TAGS    := migrated_fynedo,no_emoji
BIN     := hooklab
DISPLAY_NUM ?= :99
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# Packaging tools, pinned and run with `go run` (nothing installed globally).
FYNE    := fyne.io/tools/cmd/fyne@v1.7.4
NFPM    := github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.48.0

# The version has one source, FyneApp.toml; every build stamps it, with the
# commit (the short hash, "-dirty" when tracked files differ from it), into
# hooklab/requester.Version and .Commit.
VERSION := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
COMMIT  := $(shell c=$$(git rev-parse --short=12 HEAD 2>/dev/null) && { git diff --quiet HEAD -- 2>/dev/null || c=$$c-dirty; echo $$c; })
BUILD_NUM := $(shell sed -n 's/^Build *= *//p' FyneApp.toml)
DATE    := $(shell git log -1 --format=%cs 2>/dev/null || date +%F)
STAMP   := -X hooklab/requester.Version=$(VERSION)$(if $(COMMIT), -X hooklab/requester.Commit=$(COMMIT))
# Release builds: no paths of this machine, no symbol tables.
RELEASE := -tags $(TAGS) -trimpath -ldflags "-s -w $(STAMP)"

.PHONY: all deps run build test lint fuzz bench screenshot clean version
.PHONY: package package-deps package-linux deb tarball install uninstall package-windows windows-installer package-darwin

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
	$(GO) build -tags $(TAGS) -ldflags "$(STAMP)" -o $(BIN) .

# version prints what every build stamps: the version and the commit.
version:
	@echo "$(VERSION) $(COMMIT)"

run: build
	./$(BIN)

# The first build of Fyne with cgo takes ~5 minutes on 2 cores; the Go
# build cache keeps it, so nothing here ever cleans that cache.
test: deps
	$(GO) vet -tags $(TAGS) ./...
	$(GO) test -race -tags $(TAGS) -ldflags "$(STAMP)" -count=1 ./...

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

# fuzz runs every fuzz target for FUZZTIME each (default 10s); CI runs
# it. A crasher lands in the package's testdata/fuzz/ as a regression test.
fuzz: deps
	FUZZTIME=$(or $(FUZZTIME),10s) TAGS=$(TAGS) bash .ci/fuzz

# bench prints the figures docs/performance.md records. The catcher's
# benchmarks drive real loopback servers for a fixed time each, so one
# iteration (-benchtime 1x) is the measurement. The last line compares
# the idle app's resident memory with an empty Fyne window's, under
# Xvfb (skipped, saying so, without it).
bench: deps
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchtime 1x ./capture
	$(GO) test -tags $(TAGS) -run '^$$' -bench ListenMemory -benchtime 1x .
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -skip BurstToList -benchmem ./ui/...
	$(GO) test -tags $(TAGS) -run '^$$' -bench BurstToList -benchtime 1x ./ui/catcher
	TAGS=$(TAGS) bash .ci/idle-memory

# screenshot runs the real app under Xvfb, sends the example request and
# saves docs/screenshot.png (light) and docs/screenshot-dark.png. A fresh
# XDG_CONFIG_HOME: the window size, split and zoom your own runs
# remembered (Fyne's preferences) must not change the pictures.
screenshot: build
	@command -v Xvfb >/dev/null && command -v import >/dev/null || { \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq xvfb imagemagick >/dev/null; }
	@set -e; Xvfb $(DISPLAY_NUM) -screen 0 1400x900x24 >/dev/null 2>&1 & xvfb=$$!; \
	  trap 'kill $$xvfb 2>/dev/null' EXIT; sleep 1; \
	  for variant in light dark; do \
	    out=docs/screenshot.png; [ $$variant = dark ] && out=docs/screenshot-dark.png; \
	    DISPLAY=$(DISPLAY_NUM) XDG_CONFIG_HOME=$$(mktemp -d) FYNE_THEME=$$variant ./$(BIN) --demo --data-dir $$(mktemp -d) >/dev/null 2>&1 & app=$$!; \
	    sleep 5; DISPLAY=$(DISPLAY_NUM) import -window root $$out; \
	    kill $$app; wait $$app 2>/dev/null || true; echo "wrote $$out"; \
	  done

clean:
	rm -f $(BIN)
	rm -rf build dist


# ---------------------------------------------------------------- Packages
#
# make package          the .deb, the Linux tarball and the Windows installer, in dist/
# make package-linux    the .deb and the tarball
# make package-windows  the Windows app (cross-built with mingw-w64) and its NSIS installer
# make package-darwin   on macOS only: Hooklab.app in a .dmg
# make install          build and install under PREFIX (default /usr/local); make uninstall
#
# Windows signing: set HOOKLAB_SIGN_PKCS12 to a PKCS#12 file (key and
# certificate) and HOOKLAB_SIGN_PASSWORD to its password; osslsigncode then
# signs the app and the installer (HOOKLAB_SIGN_TIMESTAMP_URL adds a
# timestamp). Without them both are left unsigned, and the build says so.

ARCH_DEB    := amd64
LINUX_NAME  := hooklab-$(VERSION)-linux-amd64
DEB         := dist/hooklab_$(VERSION)_$(ARCH_DEB).deb
TARBALL     := dist/$(LINUX_NAME).tar.gz
SETUP       := dist/hooklab-$(VERSION)-windows-amd64-setup.exe
LINUX_BIN   := build/linux/hooklab
WIN_EXE     := build/windows/Hooklab.exe
ICON_SIZES  := 16 22 24 32 48 64 128 256 512
ICONS       := $(foreach n,$(ICON_SIZES),build/icons/$(n)x$(n)/io.hooklab.app.png)
GO_SOURCES  := $(shell git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './build/*')
MINGW_CC    := x86_64-w64-mingw32-gcc
SUDO        := $(if $(filter 0,$(shell id -u)),,sudo)

package: package-linux package-windows
	@ls -l dist

# package-deps installs, on Debian/Ubuntu, what the package targets run:
# the mingw-w64 C compiler for the Windows cgo build, NSIS, osslsigncode,
# appstream (appstreamcli) and desktop-file-utils to check the metadata,
# librsvg2-bin (rsvg-convert) and icoutils (icotool) for the icons,
# dpkg-dev (dpkg-shlibdeps) for the .deb's dependencies, and file.
package-deps: deps
	@missing=""; \
	for t in $(MINGW_CC):gcc-mingw-w64-x86-64 makensis:nsis osslsigncode:osslsigncode \
	         appstreamcli:appstream desktop-file-validate:desktop-file-utils rsvg-convert:librsvg2-bin \
	         icotool:icoutils dpkg-shlibdeps:dpkg-dev file:file xz:xz-utils; do \
	  command -v $${t%%:*} >/dev/null 2>&1 || missing="$$missing $${t#*:}"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	command -v apt-get >/dev/null 2>&1 || { echo "package-deps: install$$missing"; exit 1; }; \
	echo "package-deps: installing$$missing"; \
	$(SUDO) apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null

# build/stamp changes when the version or the commit does, so that the
# release binaries, which carry both, are rebuilt then and only then.
build/stamp: FORCE
	@mkdir -p build; echo '$(VERSION) $(COMMIT)' | cmp -s - $@ || echo '$(VERSION) $(COMMIT)' > $@
FORCE:

build/icons/%/io.hooklab.app.png: assets/icon.svg | package-deps
	@mkdir -p $(@D)
	n=$*; rsvg-convert -w $${n%%x*} -h $${n%%x*} assets/icon.svg -o $@

# --- Linux

$(LINUX_BIN): $(GO_SOURCES) go.mod go.sum FyneApp.toml assets/icon.png build/stamp | deps
	$(GO) build $(RELEASE) -o $@ .

# build/linux/root is the installed tree, shared by the .deb and the tarball.
linux-root: $(LINUX_BIN) $(ICONS) assets/linux/io.hooklab.app.desktop assets/linux/io.hooklab.app.metainfo.xml | package-deps
	rm -rf build/linux/root && mkdir -p build/linux/root
	install -Dm755 $(LINUX_BIN) build/linux/root/bin/hooklab
	install -Dm644 assets/linux/io.hooklab.app.desktop build/linux/root/share/applications/io.hooklab.app.desktop
	sed 's/@VERSION@/$(VERSION)/; s/@DATE@/$(DATE)/' assets/linux/io.hooklab.app.metainfo.xml > build/linux/io.hooklab.app.metainfo.xml
	install -Dm644 build/linux/io.hooklab.app.metainfo.xml build/linux/root/share/metainfo/io.hooklab.app.metainfo.xml
	for n in $(ICON_SIZES); do \
	  install -Dm644 build/icons/$${n}x$${n}/io.hooklab.app.png build/linux/root/share/icons/hicolor/$${n}x$${n}/apps/io.hooklab.app.png; done
	install -Dm644 assets/icon.svg build/linux/root/share/icons/hicolor/scalable/apps/io.hooklab.app.svg
	desktop-file-validate build/linux/root/share/applications/io.hooklab.app.desktop
	appstreamcli validate --no-net --pedantic build/linux/root/share/metainfo/io.hooklab.app.metainfo.xml
.PHONY: linux-root

package-linux: deb tarball

# deb: nfpm (assets/linux/nfpm.yaml) packs build/linux/root under /usr.
# The Depends it declares are checked against what dpkg-shlibdeps reads
# from the binary, so a new library cannot be missed.
deb: linux-root
	@mkdir -p dist build/shlibdeps/debian
	@printf 'Source: hooklab\n\nPackage: hooklab\nArchitecture: $(ARCH_DEB)\n' > build/shlibdeps/debian/control
	@deps=$$(cd build/shlibdeps && dpkg-shlibdeps -O ../../$(LINUX_BIN) 2>/dev/null | sed -n 's/^shlibs:Depends=//p' | tr ',' '\n' | sed 's/ *(.*//; s/^ *//'); \
	for d in $$deps; do \
	  grep -q "^  - $$d\b" assets/linux/nfpm.yaml || { echo "deb: dpkg-shlibdeps says hooklab needs $$d; add it to depends in assets/linux/nfpm.yaml"; exit 1; }; \
	done
	rm -f $(DEB)
	VERSION=$(VERSION) $(GO) run $(NFPM) package --config assets/linux/nfpm.yaml --packager deb --target $(DEB)

# tarball: the installed tree with a Makefile whose install and uninstall
# targets place and remove it under PREFIX (default /usr/local).
tarball: linux-root
	@mkdir -p dist
	rm -rf build/linux/$(LINUX_NAME) && mkdir -p build/linux/$(LINUX_NAME)
	cp -r build/linux/root/. build/linux/$(LINUX_NAME)/
	install -m644 assets/linux/Makefile.tarball build/linux/$(LINUX_NAME)/Makefile
	install -m644 LICENSE build/linux/$(LINUX_NAME)/LICENSE
	tar -C build/linux --owner=0 --group=0 --sort=name -czf $(TARBALL) $(LINUX_NAME)

# install and uninstall place Hooklab under PREFIX (default /usr/local;
# DESTDIR stages it), with the same Makefile the tarball carries.
install: linux-root
	$(MAKE) -f assets/linux/Makefile.tarball ROOT=$(CURDIR)/build/linux/root install
uninstall:
	$(MAKE) -f assets/linux/Makefile.tarball uninstall

# fyne_package GO-RUN-FLAGS,OS: fyne package -os OS for release, with the
# version and commit stamped through GOFLAGS (fyne passes its -ldflags on).
# fyne package also counts Build up in FyneApp.toml and rewrites the file;
# FyneApp.toml is put back as it was (content and time), whatever happens.
define fyne_package
	cp -p FyneApp.toml build/FyneApp.toml.keep; status=0; \
	GOFLAGS="$(GOFLAGS) -ldflags=-X=hooklab/requester.Version=$(VERSION)$(if $(COMMIT), -ldflags=-X=hooklab/requester.Commit=$(COMMIT))" \
	  $(GO) run $(1) $(FYNE) package -os $(2) -release -tags $(TAGS) || status=$$?; \
	cp -p build/FyneApp.toml.keep FyneApp.toml; exit $$status
endef

# --- Windows

# fyne package cross-builds the app with mingw-w64 (CGO, -H=windowsgui,
# -trimpath, -s -w, the release tag) and embeds the icon, a manifest and a
# version resource (FyneApp.toml's Version and Build). It takes extra
# linker flags from GOFLAGS; the mingw compiler goes only to the build it
# runs (go run -exec), not to the build of the fyne tool itself. While it
# runs it keeps fyne.syso and fyne_metadata_init.go in the source folder.
$(WIN_EXE): $(GO_SOURCES) go.mod go.sum FyneApp.toml assets/icon.png build/stamp | package-deps
	@mkdir -p $(@D)
	rm -f Hooklab.exe
	$(call fyne_package,-exec "env CC=$(MINGW_CC) GOARCH=amd64",windows)
	mv Hooklab.exe $@

build/windows/hooklab.ico: $(ICONS)
	icotool -c -o $@ $(foreach n,16 24 32 48 256,build/icons/$(n)x$(n)/io.hooklab.app.png)

package-windows: windows-installer

# windows-installer signs a copy of the app when a key is given, packs it
# with NSIS (assets/windows/installer.nsi), and signs the installer. It
# reruns on every call (it is quick) so that signing can be tried on the
# app already built.
windows-installer: $(WIN_EXE) build/windows/hooklab.ico | package-deps
	@mkdir -p dist build/windows/stage $(dir $(SETUP))
	cp $(WIN_EXE) build/windows/stage/Hooklab.exe
	@$(call sign,build/windows/stage/Hooklab.exe)
	makensis -V2 -DVERSION=$(VERSION) -DBUILD=$(BUILD_NUM) \
	  -DSTAGE=$(CURDIR)/build/windows/stage -DICON=$(CURDIR)/build/windows/hooklab.ico \
	  -DLICENSE=$(CURDIR)/LICENSE -DOUTFILE=$(CURDIR)/$(SETUP) assets/windows/installer.nsi
	@$(call sign,$(SETUP))

# sign FILE: osslsigncode with HOOKLAB_SIGN_PKCS12, or say it is unsigned.
define sign
	if [ -n "$$HOOKLAB_SIGN_PKCS12" ]; then \
	  osslsigncode sign -pkcs12 "$$HOOKLAB_SIGN_PKCS12" -pass "$$HOOKLAB_SIGN_PASSWORD" \
	    -n Hooklab -h sha256 $${HOOKLAB_SIGN_TIMESTAMP_URL:+-ts "$$HOOKLAB_SIGN_TIMESTAMP_URL"} \
	    -in $(1) -out $(1).signed >/dev/null && mv $(1).signed $(1) && echo "signed $(1)"; \
	else \
	  echo "$(1) is UNSIGNED: set HOOKLAB_SIGN_PKCS12 (and HOOKLAB_SIGN_PASSWORD) to sign it"; \
	fi
endef

# --- macOS (run on a Mac: see .github/workflows/release.yml)

package-darwin:
	@mkdir -p dist build/darwin
	rm -rf Hooklab.app build/darwin/Hooklab.app build/darwin/dmg
	$(call fyne_package,,darwin)
	mv Hooklab.app build/darwin/Hooklab.app
	mkdir -p build/darwin/dmg && cp -R build/darwin/Hooklab.app build/darwin/dmg/ && ln -s /Applications build/darwin/dmg/Applications
	hdiutil create -volname Hooklab -srcfolder build/darwin/dmg -ov -format UDZO \
	  dist/hooklab-$(VERSION)-macos-$(shell uname -m).dmg
