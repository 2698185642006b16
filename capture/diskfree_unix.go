//go:build linux || darwin

package capture

import "syscall"

// freeBytes is the room left to an unprivileged writer on the file
// system holding path; ok is false when it cannot be told.
func freeBytes(path string) (free int64, ok bool) {
	var st syscall.Statfs_t
	if syscall.Statfs(path, &st) != nil {
		return 0, false
	}
	return int64(st.Bavail) * int64(st.Bsize), true
}
