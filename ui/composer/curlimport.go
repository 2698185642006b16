package composer

import (
	"fmt"
	"strings"

	"hooklab/requester"
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

// CopyAsCurl puts the request on the clipboard as a cURL command to run
// in a shell, as a send would send it (a collection file with the auth,
// headers and variables it inherits): its variables filled in, so no
// {{braces}} are left for curl to choke on. A variable that is not
// known copies nothing and is named under the URL. It returns what was
// copied.
func (c *Composer) CopyAsCurl() string {
	_, vars := c.vars()
	// As a send would send it: a collection file with what it inherits.
	r, vars, err := c.asSent(c.Tabs.current(), c.Request(), vars)
	if err == nil {
		r, err = requester.ExpandRequest(r, vars)
	}
	if err != nil {
		c.showInline(fmt.Errorf("not copied: %w", err))
		return ""
	}
	cmd := curl.Generate(r)
	widgets.CopyText(cmd)
	c.flashNote("Copied as cURL, variables filled in")
	return cmd
}

// CopyAsCurlTemplate puts the request on the clipboard as a cURL command
// with its {{variables}} as they are written, to keep or share.
func (c *Composer) CopyAsCurlTemplate() string {
	cmd := curl.Generate(c.Request())
	widgets.CopyText(cmd)
	c.flashNote("Copied as cURL template, {{variables}} kept")
	return cmd
}
