package capture

import (
	"encoding/json"

	"hooklab/capture/signature"
)

// Verdict is what a signature check said about a capture, in the form it
// is stored, listed and written to JSON lines.
type Verdict struct {
	Scheme string `json:"scheme"`
	Valid  bool   `json:"valid"`
	// Reason is a signature.Reason: "" when valid, else why not
	// ("no signature header", "timestamp outside tolerance", …).
	Reason string `json:"reason"`
	// Detail says more: the header, how far the timestamp is off.
	Detail string `json:"detail,omitempty"`
}

// VerdictOf turns a signature check's result into a Verdict.
func VerdictOf(r signature.Result) *Verdict {
	return &Verdict{Scheme: string(r.Scheme), Valid: r.Valid, Reason: string(r.Reason), Detail: r.Detail}
}

// Signed reports whether the capture carried a signature at all: a
// verdict of "no signature header" is "not signed", not "invalid".
func (v *Verdict) Signed() bool {
	return v != nil && v.Reason != string(signature.NoSignature)
}

// String is "valid", "not signed" or "invalid: why".
func (v *Verdict) String() string {
	switch {
	case v == nil:
		return ""
	case v.Valid:
		return "valid"
	case !v.Signed():
		return "not signed"
	case v.Detail != "":
		return "invalid: " + v.Reason + " (" + v.Detail + ")"
	}
	return "invalid: " + v.Reason
}

// encodeVerdict is v as the signature column holds it: JSON, or "" for
// no verdict.
func encodeVerdict(v *Verdict) string {
	if v == nil {
		return ""
	}
	b, _ := json.Marshal(v) // four plain fields: cannot fail
	return string(b)
}

// decodeVerdict reads the signature column; text it cannot read counts
// as no verdict rather than failing the read of the capture.
func decodeVerdict(s string) *Verdict {
	if s == "" {
		return nil
	}
	var v Verdict
	if json.Unmarshal([]byte(s), &v) != nil {
		return nil
	}
	return &v
}
