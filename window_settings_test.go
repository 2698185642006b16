package main

import (
	"io"
	"testing"

	"hooklab/ui"
)

// TestFlagsWinOverSettings: a flag given on the command line wins over
// its setting; a flag left out takes the setting.
func TestFlagsWinOverSettings(t *testing.T) {
	s := ui.Settings{CatcherAddr: "127.0.0.1:9000", DataDir: "/tmp/from-settings", Retain: 7, RetainMB: 8, ViewCapMB: 3, Sandbox: false}
	t.Setenv("HOOKLAB_DATA_DIR", "")

	fs, a := newFlagSet("hooklab", io.Discard)
	viewCap := fs.Int("view-cap-mb", 10, "")
	if err := fs.Parse([]string{"--addr", "127.0.0.1:7000", "--retain", "5"}); err != nil {
		t.Fatal(err)
	}
	noSandbox := applySettings(fs, a, viewCap, s)
	if a.addr != "127.0.0.1:7000" || a.retain != 5 {
		t.Errorf("flags lost: addr %s, retain %d", a.addr, a.retain)
	}
	if a.dataDir != "/tmp/from-settings" || a.retainMB != 8 || *viewCap != 3 || !noSandbox {
		t.Errorf("settings not taken: dir %q, retain-mb %d, view cap %d, no sandbox %v", a.dataDir, a.retainMB, *viewCap, noSandbox)
	}

	fs, a = newFlagSet("hooklab", io.Discard)
	viewCap = fs.Int("view-cap-mb", 10, "")
	if err := fs.Parse([]string{"--sandbox-addr", "127.0.0.1:0"}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOOKLAB_DATA_DIR", "/tmp/from-env")
	if applySettings(fs, a, viewCap, s) || a.dataDir != "" {
		t.Errorf("--sandbox-addr should run the sandbox and HOOKLAB_DATA_DIR win over the setting: dir %q", a.dataDir)
	}
}

// TestSettingsSetByNamesTheFlagsGiven: the Settings dialog is told which
// flags (and HOOKLAB_DATA_DIR) set a setting for this run; flags left
// out name nothing.
func TestSettingsSetByNamesTheFlagsGiven(t *testing.T) {
	t.Setenv("HOOKLAB_DATA_DIR", "")
	fs, _ := newFlagSet("hooklab", io.Discard)
	fs.Int("view-cap-mb", 10, "")
	if err := fs.Parse([]string{"--addr", "127.0.0.1:7000", "--retain-mb", "5", "--sandbox-addr", "127.0.0.1:0"}); err != nil {
		t.Fatal(err)
	}
	want := ui.SetBy{CatcherAddr: "--addr", RetainMB: "--retain-mb", Sandbox: "--sandbox-addr"}
	if got := settingsSetBy(fs); got != want {
		t.Errorf("set by %+v, want %+v", got, want)
	}
	t.Setenv("HOOKLAB_DATA_DIR", "/tmp/from-env")
	if got := settingsSetBy(fs); got.DataDir != "HOOKLAB_DATA_DIR" {
		t.Errorf("the data directory is set by %q, want HOOKLAB_DATA_DIR", got.DataDir)
	}
	fs, _ = newFlagSet("hooklab", io.Discard)
	if err := fs.Parse([]string{"--data-dir", "/tmp/d"}); err != nil {
		t.Fatal(err)
	}
	if got := settingsSetBy(fs); got.DataDir != "--data-dir" {
		t.Errorf("--data-dir wins over HOOKLAB_DATA_DIR, yet the data directory is set by %q", got.DataDir)
	}
}
