package requester

import "runtime/debug"

// Version is Hooklab's version. Its one source is FyneApp.toml: the
// Makefile reads it there and stamps it into every build with
// -ldflags "-X hooklab/requester.Version=…". A build made without the
// Makefile (go build, go test) says "devel".
var Version = "devel"

// Commit is the commit Hooklab was built from: stamped by the Makefile
// (-X hooklab/requester.Commit=…), else the revision go build recorded
// (vcs.revision, "-dirty" added for uncommitted changes), else "unknown".
var Commit string

func init() {
	if Commit == "" {
		info, _ := debug.ReadBuildInfo()
		Commit = commitOf(info)
	}
}

// commitOf reads the revision go build records from version control.
func commitOf(info *debug.BuildInfo) string {
	rev, dirty := "", false
	if info != nil {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if rev == "" {
		return "unknown"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return rev
}
