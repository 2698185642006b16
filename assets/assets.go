// Package assets holds what Hooklab bundles into its binary.
package assets

import _ "embed"

// IconPNG is the app icon, 512×512 (drawn from icon.svg).
//
//go:embed icon.png
var IconPNG []byte
