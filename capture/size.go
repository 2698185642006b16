package capture

import "fmt"

// FormatSize renders a byte count for people, as the window and the
// messages of Replay show sizes: "0 B", "812 B", "1.2 KB", "10.0 MB".
func FormatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "KMGTPE"[exp])
}
