package catcher

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // DecodeConfig reads the size of the images the Image tab shows
	_ "image/jpeg"
	_ "image/png"
	"mime"
	"net/http"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"hooklab/capture"
	"hooklab/ui/widgets"
)

// imageView is the Image tab: the image at its own size (1:1) when it
// fits, scaled down to fit when it does not, never blown up; under it
// its size in pixels, type and size in bytes.
type imageView struct {
	img     *canvas.Image
	info    *fyne.Container
	infoTxt *widget.RichText
	fit     *naturalSize
	content fyne.CanvasObject
}

func newImageView() *imageView {
	v := &imageView{img: &canvas.Image{FillMode: canvas.ImageFillContain, ScaleMode: canvas.ImageScaleSmooth}}
	v.fit = &naturalSize{}
	v.infoTxt = widgets.NewMutedFull("", fyne.TextStyle{})
	v.info = container.NewCenter(v.infoTxt)
	v.content = container.NewBorder(nil, v.info, nil, nil, container.New(v.fit, v.img))
	return v
}

// show shows data, an image of type mediaType, named name.
func (v *imageView) show(name, mediaType string, data []byte) {
	v.img.Resource = fyne.NewStaticResource(name, data)
	v.fit.w, v.fit.h = 0, 0
	info := []string{}
	if cfg, format, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		v.fit.w, v.fit.h = float32(cfg.Width), float32(cfg.Height)
		info = append(info, fmt.Sprintf("%d×%d", cfg.Width, cfg.Height))
		if mediaType == "" {
			mediaType = "image/" + format
		}
	}
	if mediaType != "" {
		info = append(info, strings.ToUpper(strings.TrimSuffix(strings.TrimPrefix(mediaType, "image/"), "+xml")))
	}
	info = append(info, capture.FormatSize(int64(len(data))))
	widgets.SetMuted(v.infoTxt, strings.Join(info, " · "))
	v.img.Refresh()
	v.info.Refresh()
}

// Info is the line under the image: "16×16 · PNG · 120 B".
func (v *imageView) Info() string { return widgets.MutedText(v.infoTxt) }

// naturalSize places its one object centred at w×h, scaled down to fit
// the space (keeping its proportions) but never up; with no size known
// (an SVG) it fills the space.
type naturalSize struct{ w, h float32 }

func (n *naturalSize) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w, h := size.Width, size.Height
	if n.w > 0 && n.h > 0 {
		scale := min(1, size.Width/n.w, size.Height/n.h)
		w, h = n.w*scale, n.h*scale
	}
	for _, o := range objs {
		o.Resize(fyne.NewSize(w, h))
		o.Move(fyne.NewPos((size.Width-w)/2, (size.Height-h)/2))
	}
}

func (n *naturalSize) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(32, 32) }

// imageOf returns the image a capture shows in its Image tab: its body
// when that is an image, else the first image part of a multipart
// body; ok is false when there is none.
func imageOf(contentType string, body []byte, parts []capture.Part) (mediaType string, data []byte, name string, ok bool) {
	if isImage(contentType, body) {
		mt, _, _ := mime.ParseMediaType(contentType)
		return mt, body, "body" + imageExt(contentType), true
	}
	for _, p := range parts {
		ct := p.ContentType
		if ct == "" {
			ct = http.DetectContentType(p.Body)
		}
		if isImage(ct, p.Body) {
			mt, _, _ := mime.ParseMediaType(ct)
			name := p.Filename
			if name == "" {
				name = p.Name + imageExt(ct)
			}
			return mt, p.Body, name, true
		}
	}
	return "", nil, "", false
}
