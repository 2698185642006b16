package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"hooklab/requester"
	"hooklab/workspace/poll"
)

// TestMain lets a test run this test binary as the hooklab command
// (HOOKLAB_TEST_AS_COMMAND=1): package inits, Fyne's among them, run in
// that process as they do in the real program.
func TestMain(m *testing.M) {
	if os.Getenv("HOOKLAB_TEST_AS_COMMAND") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// command runs hooklab args in a process of its own whose locale is
// locale ("LANG=C.UTF-8"), with nothing else set that names a language.
func command(t testing.TB, locale string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name == "LANG" || name == "LANGUAGE" || strings.HasPrefix(name, "LC_") || name == "HOOKLAB_DATA_DIR" {
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	cmd.Env = append(cmd.Env, "HOOKLAB_TEST_AS_COMMAND=1", "HOOKLAB_DATA_DIR="+t.TempDir(), locale)
	return cmd
}

// TestQuietOnStderr: no command prints Fyne's "Error parsing user
// locale" under the locales containers and CI have (C, POSIX, C.UTF-8,
// through LANG, LC_ALL or LC_MESSAGES), and in normal operation version,
// help, import and run print nothing on stderr at all, export only its
// count, listen only where it listens. The locale is read in package
// inits, the same for every command, so each locale is tried with
// version and every command with C.UTF-8, the one that used to fail.
func TestQuietOnStderr(t *testing.T) {
	for _, locale := range []string{"LANG=C", "LC_ALL=C", "LANG=POSIX", "LC_ALL=C.utf8", "LC_MESSAGES=C.UTF-8", "LANG=en_US.UTF-8"} {
		var stderr bytes.Buffer
		cmd := command(t, locale, "version")
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil || stderr.Len() > 0 {
			t.Errorf("%s hooklab version: %v, stderr %q", locale, err, stderr.String())
		}
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	coll := filepath.Join(t.TempDir(), "api")
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"version"}, ""},
		{[]string{"help"}, ""},
		{[]string{"import", "curl", "curl " + srv.URL + "/ping", "--into", coll, "--name", "Ping"}, ""},
		{[]string{"run", coll}, ""},
		{[]string{"export", "--format", "har"}, "exported 0 captures\n"},
	} {
		var stdout, stderr bytes.Buffer
		cmd := command(t, "LANG=C.UTF-8", tc.args...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v\nstderr: %s", tc.args[0], err, stderr.String())
		}
		if stderr.String() != tc.stderr {
			t.Errorf("%s printed on stderr %q, want %q", tc.args[0], stderr.String(), tc.stderr)
		}
		if stdout.Len() == 0 {
			t.Errorf("%s printed nothing on stdout", tc.args[0])
		}
	}
	t.Run("listen", func(t *testing.T) {
		var stderr syncBuffer
		cmd := command(t, "LANG=C.UTF-8", "listen", "--addr", "127.0.0.1:0", "--sandbox-addr", "127.0.0.1:0")
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		poll.Until(t, "listen to start", func() bool { return strings.Contains(stderr.String(), "Press Ctrl+C to stop.\n") }, stderr.String)
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Wait(); err != nil {
			t.Fatalf("listen: %v\nstderr: %s", err, stderr.String())
		}
		banner := regexp.MustCompile(`^Catching webhooks at http://127\.0\.0\.1:\d+/\nSandbox API at http://127\.0\.0\.1:\d+/\nPress Ctrl\+C to stop\.\n$`)
		if !banner.MatchString(stderr.String()) {
			t.Errorf("listen printed on stderr %q, want only where it listens", stderr.String())
		}
	})
}

// TestVersionAgreesWithFyneAppToml: the version a stamped build shows is
// FyneApp.toml's, with the commit. `make test` stamps the test binary as
// it stamps every build; a plain `go test` leaves it unstamped ("devel").
func TestVersionAgreesWithFyneAppToml(t *testing.T) {
	toml, err := os.ReadFile("FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^Version\s*=\s*"([^"]+)"`).FindSubmatch(toml)
	if m == nil {
		t.Fatal("FyneApp.toml has no Version")
	}
	var out bytes.Buffer
	if code := run([]string{"version"}, &out, &bytes.Buffer{}); code != 0 {
		t.Fatalf("version exited %d", code)
	}
	want := "hooklab " + requester.Version + " (commit " + requester.Commit + ")\n"
	if out.String() != want || requester.Commit == "" {
		t.Fatalf("version printed %q, want %q", out.String(), want)
	}
	if requester.Version == "devel" {
		t.Skip("unstamped build: `make test` stamps the version from FyneApp.toml")
	}
	if requester.Version != string(m[1]) {
		t.Fatalf("hooklab version says %s, FyneApp.toml %s", requester.Version, m[1])
	}
}
