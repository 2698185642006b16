package curl

import (
	"strconv"
	"strings"

	"hooklab/requester"
)

// globFirst expands curl's URL globbing, {a,b,c} sets and [1-10] or
// [a-z] ranges (with an optional :step), to the first URL curl would
// request, and counts the URLs the whole pattern makes (0 or 1 when
// there is no pattern). Hooklab's {{variables}} are not patterns. A
// malformed pattern is left as it is, counted as one URL: curl would
// refuse it, and the send says what is wrong with the URL.
func globFirst(u string) (string, int) {
	var b strings.Builder
	count := 1
	bad := false
	_ = requester.EachVar(u, func(text string, isVar bool) error {
		if isVar {
			b.WriteString(text)
			return nil
		}
		for len(text) > 0 {
			i := strings.IndexAny(text, "{[")
			if i < 0 {
				b.WriteString(text)
				break
			}
			b.WriteString(text[:i])
			text = text[i:]
			first, n, rest, ok := globItem(text, b.String())
			if !ok {
				bad = true
				b.WriteString(text)
				break
			}
			b.WriteString(first)
			count = min(count*n, 1<<30)
			text = rest
		}
		return nil
	})
	if bad {
		return u, 1
	}
	return b.String(), count
}

// globItem reads the pattern at the start of s: its first expansion,
// how many it makes, and what follows it. before is the URL so far: a
// "[" in the host (an IPv6 address) is not a range.
func globItem(s, before string) (first string, n int, rest string, ok bool) {
	switch s[0] {
	case '{':
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return "", 0, "", false
		}
		alts := strings.Split(s[1:end], ",")
		return alts[0], len(alts), s[end+1:], true
	default: // '['
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", 0, "", false
		}
		inner := s[1:end]
		if inHost(before) && strings.Contains(inner, ":") && !strings.Contains(inner, "-") {
			return s[:end+1], 1, s[end+1:], true // an IPv6 literal
		}
		first, n, ok := globRange(inner)
		return first, n, s[end+1:], ok
	}
}

// inHost reports whether text appended to before lands in a URL's host.
func inHost(before string) bool {
	rest := before
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	return !strings.ContainsAny(rest, "/?#")
}

// globRange reads "1-10", "001-100", "a-z" with an optional ":step".
func globRange(r string) (string, int, bool) {
	r, stepText, hasStep := strings.Cut(r, ":")
	step := 1
	if hasStep {
		s, err := strconv.Atoi(stepText)
		if err != nil || s <= 0 {
			return "", 0, false
		}
		step = s
	}
	lo, hi, ok := strings.Cut(r, "-")
	if !ok || lo == "" || hi == "" {
		return "", 0, false
	}
	if a, errA := strconv.Atoi(lo); errA == nil {
		z, errZ := strconv.Atoi(hi)
		if errZ != nil || z < a || a < 0 {
			return "", 0, false
		}
		return lo, (z-a)/step + 1, true
	}
	if len(lo) == 1 && len(hi) == 1 && isLetter(lo[0]) && isLetter(hi[0]) && lo[0] <= hi[0] {
		return lo, int(hi[0]-lo[0])/step + 1, true
	}
	return "", 0, false
}
