package highlight

import (
	"image/color"
	"sync"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/styles"
)

// Chroma styles matched to the app's light and dark themes.
const (
	LightStyle = "github"
	DarkStyle  = "github-dark"
)

// TokenStyle is how one token type is drawn.
type TokenStyle struct {
	Color        color.Color // nil: the theme's foreground
	Bold, Italic bool
}

// Palette maps token types to styles for one chroma style; it is built
// once per style and shared, so every cell of a type shares one style.
type Palette struct {
	Background color.Color
	styles     map[chroma.TokenType]TokenStyle
	style      *chroma.Style
	mu         sync.Mutex
}

var (
	palettesMu sync.Mutex
	palettes   = map[bool]*Palette{}
)

// PaletteFor returns the shared palette for the dark or light theme.
func PaletteFor(dark bool) *Palette {
	palettesMu.Lock()
	defer palettesMu.Unlock()
	if p, ok := palettes[dark]; ok {
		return p
	}
	name := LightStyle
	if dark {
		name = DarkStyle
	}
	st := styles.Get(name)
	p := &Palette{style: st, styles: map[chroma.TokenType]TokenStyle{}}
	if bg := st.Get(chroma.Background).Background; bg.IsSet() {
		p.Background = toColor(bg)
	}
	palettes[dark] = p
	return p
}

// Style returns the style of token type t.
func (p *Palette) Style(t chroma.TokenType) TokenStyle {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s, ok := p.styles[t]; ok {
		return s
	}
	e := p.style.Get(t)
	var s TokenStyle
	if e.Colour.IsSet() && t != chroma.Text && t != chroma.TextWhitespace {
		s.Color = toColor(e.Colour)
	}
	s.Bold = e.Bold == chroma.Yes
	s.Italic = e.Italic == chroma.Yes
	p.styles[t] = s
	return s
}

func toColor(c chroma.Colour) color.Color {
	return color.NRGBA{R: c.Red(), G: c.Green(), B: c.Blue(), A: 0xff}
}
