package composer

import (
	"strings"

	"hooklab/requester/curl"
	"hooklab/ui/widgets"
)

// importCurl replaces the editor's request by the one cmd describes and
// reports whether cmd parsed; warnings show under the URL.
func (c *Composer) importCurl(cmd string) bool {
	r, warnings, err := curl.Parse(cmd)
	if err != nil {
		c.curlNote.SetText("Not imported as cURL: " + err.Error())
		c.curlNote.Show()
		return false
	}
	r.Name = c.Tabs.current().title
	c.Load(r)
	c.edited()
	if len(warnings) > 0 {
		c.curlNote.SetText("Imported from cURL. " + strings.Join(warnings, "; "))
		c.curlNote.Show()
	}
	return true
}

// CopyAsCurl puts the request, variables expanded where they are known,
// on the clipboard as a cURL command.
func (c *Composer) CopyAsCurl() string {
	cmd := curl.Generate(c.Request())
	widgets.CopyText(cmd)
	return cmd
}
