package catcher

import (
	"os"
	"path/filepath"

	"hooklab/workspace"
)

// replaySelected hands the shown capture, as a request, to OnReplay.
func (c *Catcher) replaySelected() {
	cp := c.detail.shown
	if cp == nil || c.OnReplay == nil {
		return
	}
	r, err := workspace.ReplayRequest(cp, c.replayDir())
	if err != nil {
		c.showError("Cannot replay this capture", err)
		return
	}
	c.OnReplay(r)
}

// replayDir is where Replay writes bodies that go as files: the data
// directory's replays folder, beside tabs.json, which may refer to them
// after a restart (the window prunes it). Without a data directory no
// tab is kept either, so the OS's temporary folder does.
func (c *Catcher) replayDir() string {
	if dir := c.ws.Dir(); dir != "" {
		return filepath.Join(dir, workspace.ReplaysFolder)
	}
	return filepath.Join(os.TempDir(), "hooklab-replays")
}
