package capture

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestDataDirFromEnv(t *testing.T) {
	want := filepath.Join(t.TempDir(), "custom")
	t.Setenv(DataDirEnv, want)
	got, err := DataDir()
	if err != nil || got != want {
		t.Fatalf("DataDir() = %q, %v; want %q", got, err, want)
	}
}

func TestDataDirDefault(t *testing.T) {
	t.Setenv(DataDirEnv, "")
	home := t.TempDir()
	// os.UserConfigDir reads these; set all so the test holds on every OS.
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("AppData", filepath.Join(home, "AppData"))
	want := map[string]string{
		"linux":   filepath.Join(home, ".config", "Hooklab"),
		"darwin":  filepath.Join(home, "Library", "Application Support", "Hooklab"),
		"windows": filepath.Join(home, "AppData", "Hooklab"),
	}[runtime.GOOS]
	if want == "" {
		t.Skipf("no expected default on %s", runtime.GOOS)
	}
	got, err := DataDir()
	if err != nil || got != want {
		t.Fatalf("DataDir() = %q, %v; want %q", got, err, want)
	}
	if _, err := os.Stat(got); !os.IsNotExist(err) {
		t.Fatalf("DataDir created %s (stat: %v); creating it is OpenSQLite's job", got, err)
	}
}

func TestDataDirNoHome(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("how UserConfigDir fails is OS-specific")
	}
	t.Setenv(DataDirEnv, "")
	t.Setenv("HOME", "")
	t.Setenv("XDG_CONFIG_HOME", "")
	if dir, err := DataDir(); err == nil {
		t.Fatalf("DataDir() = %q with neither HOME nor %s set; want an error", dir, DataDirEnv)
	}
}
