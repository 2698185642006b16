package composer

import (
	"errors"
	"fmt"
	"strings"

	"hooklab/requester"
	"hooklab/requester/collection"
)

// sendable is the request of the collection file rel in root as Bruno
// sends it (see collection.Sendable), made from edited, the request as
// the tab holds it now (unsaved edits included), and the variables its
// folders and runtime.variables add. What the file says and the editor
// cannot show (auth: inherit, params of type path, runtime variables)
// comes from the file as loaded; an auth edited in the tab is the
// tab's own. The editor is not changed. An auth type Hooklab cannot
// send is a *collection.UnsupportedAuthError.
func (p *collectionsPanel) sendable(root, rel string, edited requester.Request) (requester.Request, []requester.Var, error) {
	coll := p.collByRoot(root)
	it := &collection.Item{Path: rel}
	if coll != nil {
		if x := collection.Lookup(coll.Items, rel); x != nil && x.Request != nil {
			cp := *x
			it = &cp
			if edited.Auth != x.Request.Auth {
				it.AuthType = authTypeOf(edited.Auth.Kind)
			}
		}
	}
	it.Request = &edited
	return collection.Sendable(coll, it)
}

// authTypeOf is the auth type as a request file writes it.
func authTypeOf(k requester.AuthKind) string {
	if k == requester.AuthNone {
		return "none"
	}
	return string(k)
}

// inheritedAuth says what the tab in view sends for auth while its
// editor says "No auth": the auth of its folder or collection, for a
// collection file with auth: inherit, or why it is not sent.
func (c *Composer) inheritedAuth() string {
	if c.Tabs == nil || c.sendable == nil {
		return ""
	}
	t := c.Tabs.current()
	if t.coll == "" {
		return ""
	}
	r := t.req
	r.Auth = requester.Auth{}
	sr, _, err := c.sendable(t.coll, t.rel, r)
	var ue *collection.UnsupportedAuthError
	switch {
	case errors.As(err, &ue):
		return "Inherited (auth: inherit): " + err.Error() + "."
	case err != nil || sr.Auth.Kind == requester.AuthNone:
		return ""
	}
	label := string(sr.Auth.Kind)
	for _, k := range authKinds {
		if k.kind == sr.Auth.Kind {
			label = k.label
		}
	}
	return "Inherited (auth: inherit): sent with the " + label + " auth of its folder or collection."
}

// withVars is vars with extra set over it, as collection.Resolve sets
// variables: disabled and nameless ones skipped, and secret ones
// without a value too.
func withVars(vars requester.Vars, extra []requester.Var) requester.Vars {
	for _, v := range extra {
		if v.Disabled || v.Name == "" || v.Secret && v.Value == "" {
			continue
		}
		vars[v.Name] = v.Value
	}
	return vars
}

// maxWarningLines is how many of a collection's warnings the sidebar's
// status line lists; the rest are counted.
const maxWarningLines = 4

// warningLines says what the collection holds that Hooklab does not do
// (auth types it cannot send, scripts it does not run), for the status
// line while a tab of that collection is in view.
func warningLines(coll *collection.Collection) []string {
	if coll == nil || len(coll.Warnings) == 0 {
		return nil
	}
	out := []string{fmt.Sprintf("Not supported in %s (%d):", coll.Name, len(coll.Warnings))}
	for i, w := range coll.Warnings {
		if i == maxWarningLines {
			out = append(out, fmt.Sprintf("  … and %d more", len(coll.Warnings)-i))
			break
		}
		out = append(out, "  "+strings.TrimSpace(w.Error()))
	}
	return out
}
