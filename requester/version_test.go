package requester

import (
	"runtime/debug"
	"testing"
)

func TestCommitOf(t *testing.T) {
	rev := func(kv ...string) *debug.BuildInfo {
		info := &debug.BuildInfo{}
		for i := 0; i < len(kv); i += 2 {
			info.Settings = append(info.Settings, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return info
	}
	cases := []struct {
		info *debug.BuildInfo
		want string
	}{
		{nil, "unknown"},
		{rev(), "unknown"},
		{rev("vcs.revision", "d219d0b0123456789abcdef0123456789abcdef0", "vcs.modified", "false"), "d219d0b01234"},
		{rev("vcs.revision", "d219d0b0123456789abcdef0123456789abcdef0", "vcs.modified", "true"), "d219d0b01234-dirty"},
		{rev("vcs.revision", "abc"), "abc"},
	}
	for _, tc := range cases {
		if got := commitOf(tc.info); got != tc.want {
			t.Errorf("commitOf(%v) = %q, want %q", tc.info, got, tc.want)
		}
	}
}

func TestUserAgentCarriesTheVersion(t *testing.T) {
	if UserAgent != "Hooklab/"+Version || Commit == "" {
		t.Fatalf("UserAgent %q, Version %q, Commit %q", UserAgent, Version, Commit)
	}
}
