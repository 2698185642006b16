package workspace

import (
	"strings"

	"hooklab/requester"
)

// Where the catcher and the sandbox listen unless told otherwise
// (--addr, --sandbox-addr).
const (
	DefaultAddr        = "127.0.0.1:8088"
	DefaultSandboxAddr = "127.0.0.1:8089"
)

// Vars returns the built-in variables for a catcher and a sandbox at
// these URLs: {{webhook_url}} is catcherURL as it is (with its trailing
// slash, so "{{webhook_url}}payments" reads right), {{sandbox_url}} is
// sandboxURL without its trailing slash ("{{sandbox_url}}/v1/payments").
func Vars(catcherURL, sandboxURL string) requester.Vars {
	return requester.Vars{
		"webhook_url": catcherURL,
		"sandbox_url": strings.TrimSuffix(sandboxURL, "/"),
	}
}

// DefaultVars returns Vars for the default addresses, for requests sent
// without a catcher or sandbox running here (hooklab run).
func DefaultVars() requester.Vars {
	return Vars(urlFor(DefaultAddr), urlFor(DefaultSandboxAddr))
}

// Vars returns the built-in variables for where the catcher and the
// sandbox listen (DefaultVars before Serve).
func (w *Workspace) Vars() requester.Vars {
	if s := w.services(); s != nil {
		return Vars(s.urls.CatcherURL, s.urls.SandboxURL)
	}
	return DefaultVars()
}

// urlFor is the URL of a server listening on addr, as capture.URLFor
// gives it for a listener.
func urlFor(addr string) string { return "http://" + addr + "/" }
