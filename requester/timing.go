package requester

import (
	"net"
	"net/url"
	"time"

	"github.com/go-resty/resty/v2"
)

// Phase is one phase of an exchange. NA marks a phase that did not happen,
// such as DNS on a reused connection, as opposed to one that took no time.
type Phase struct {
	Duration time.Duration
	NA       bool
}

// Timings are the phases of one exchange. Total runs from the start of the
// send until the body was fully read, so it covers every phase.
type Timings struct {
	DNS, Connect, TLS, ServerWait, Download Phase
	Total                                   time.Duration
	ConnReused                              bool
}

// timingsFrom maps resty's trace onto Timings. final is the URL of the last
// hop after redirects, which is the hop the trace mostly describes.
func timingsFrom(ti resty.TraceInfo, final *url.URL, download, total time.Duration) Timings {
	reused := ti.IsConnReused
	return Timings{
		// An IP literal is dialled without a lookup; resty still reports 0.
		DNS:        phase(ti.DNSLookup, reused || net.ParseIP(final.Hostname()) != nil),
		Connect:    phase(ti.TCPConnTime, reused),
		TLS:        phase(ti.TLSHandshake, reused || final.Scheme != "https"),
		ServerWait: Phase{Duration: ti.ServerTime},
		Download:   Phase{Duration: download},
		Total:      total,
		ConnReused: reused,
	}
}

func phase(d time.Duration, na bool) Phase {
	if na {
		return Phase{NA: true}
	}
	return Phase{Duration: d}
}
