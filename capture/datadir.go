package capture

import (
	"fmt"
	"os"
	"path/filepath"
)

// DataDirEnv names the environment variable that overrides DataDir.
const DataDirEnv = "HOOKLAB_DATA_DIR"

// DataDir returns the directory for Hooklab's data: $HOOKLAB_DATA_DIR if
// set, else os.UserConfigDir()/Hooklab (Linux: ~/.config/Hooklab; macOS:
// ~/Library/Application Support/Hooklab; Windows: %AppData%\Hooklab).
// It does not create the directory; OpenSQLite does.
func DataDir() (string, error) {
	if dir := os.Getenv(DataDirEnv); dir != "" {
		return dir, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no data directory: set %s or the user config directory: %w", DataDirEnv, err)
	}
	return filepath.Join(base, "Hooklab"), nil
}
