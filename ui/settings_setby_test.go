package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"

	"hooklab/ui/dialogs/dialogstest"
	"hooklab/ui/widgets"
)

// settingsHints opens Settings, cancels, and returns each field's hint.
func settingsHints(t *testing.T, r *rig) map[string]string {
	t.Helper()
	hints := map[string]string{}
	r.dialogs.Answer = func(a dialogstest.Asked) bool {
		for _, it := range a.Items {
			hints[it.Text] = it.HintText
		}
		return false
	}
	r.ui.ShowSettings()
	if len(hints) == 0 {
		t.Fatal("Settings showed no fields")
	}
	return hints
}

// TestSettingsSayWhatAFlagSetForThisRun: a field whose setting a flag
// (or HOOKLAB_DATA_DIR) overrides for this run says so next to it,
// instead of when it applies; the others are as without flags. Here,
// without flags.
func TestSettingsSayWhatAFlagSetForThisRun(t *testing.T) {
	plain := settingsHints(t, newRig(t))
	want := map[string]string{
		"Catcher address": "Host:port; restart to apply",
		"Data directory":  "Absolute path; restart to apply",
		"Theme":           "",
		"Keep captures":   "The newest N; restart to apply",
	}
	for name, hint := range want {
		if plain[name] != hint {
			t.Errorf("without flags, %s says %q, want %q", name, plain[name], hint)
		}
	}

}

// TestSettingsSayWhatAFlagSetForThisRunWithFlags is the above with
// --theme dark, --addr, --retain and HOOKLAB_DATA_DIR.
func TestSettingsSayWhatAFlagSetForThisRunWithFlags(t *testing.T) {
	r := newRig(t, func(d *Deps, _ *string) {
		d.Theme = "dark"
		d.SetBy = SetBy{CatcherAddr: "--addr", DataDir: "HOOKLAB_DATA_DIR", Retain: "--retain"}
	})
	flagged := settingsHints(t, r)
	want := map[string]string{
		"Theme":             "Set by --theme for this run",
		"Catcher address":   "Host:port; set by --addr for this run",
		"Data directory":    "Absolute path; set by HOOKLAB_DATA_DIR for this run",
		"Keep captures":     "The newest N; set by --retain for this run",
		"Keep bodies (MiB)": "Restart to apply",
		"Sandbox":           "Restart to apply",
	}
	for name, hint := range want {
		if flagged[name] != hint {
			t.Errorf("with flags, %s says %q, want %q", name, flagged[name], hint)
		}
	}

	// Choosing light is kept for the starts without --theme; this run
	// stays dark, and the dialog says when it applies.
	r.dialogs.Answer = func(a dialogstest.Asked) bool {
		for _, it := range a.Items {
			if it.Text == "Theme" {
				it.Widget.(*widget.RadioGroup).SetSelected("light")
			}
		}
		return true
	}
	r.ui.ShowSettings()
	if r.ui.Settings().Theme != "light" {
		t.Errorf("the theme setting is %q, want light kept", r.ui.Settings().Theme)
	}
	if l, _ := widgets.LookOf(r.ui.app.Settings().Theme()); l.Variant != widgets.VariantDark {
		t.Error("--theme dark no longer wins for this run")
	}
	if a, _ := r.dialogs.Last(); a.Kind != dialogstest.Information || !strings.Contains(a.Message, "theme") {
		t.Errorf("saving a theme --theme overrides got %+v", a)
	}
}
