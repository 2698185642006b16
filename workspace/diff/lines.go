package diff

import (
	"fmt"
	"slices"
	"strings"
)

// MaxLines bounds the lines of each side Text compares; the rest are
// left out, and its note says so.
const MaxLines = 20_000

// MaxEdits bounds the lines removed and added that Text aligns; past
// it the differing middle is shown as removed then added (aligning
// keeps a trace that grows as its square).
const MaxEdits = 2000

// Text is a line diff of two texts: every line of both, in order, the
// ones only in a marked '-' and those only in b '+'. Lines common to
// the start and the end are matched first; the middle is aligned by
// a longest common subsequence (Myers) when at most MaxEdits lines
// differ, else shown as all removed then all added, as the note says.
func Text(a, b string) (lines []Line, note string) {
	la, cutA := splitLines(a)
	lb, cutB := splitLines(b)
	var notes []string
	if cutA || cutB {
		notes = append(notes, fmt.Sprintf("compared the first %d lines of each body only", MaxLines))
	}
	pre := 0
	for pre < len(la) && pre < len(lb) && la[pre] == lb[pre] {
		pre++
	}
	suf := 0
	for suf < len(la)-pre && suf < len(lb)-pre && la[len(la)-1-suf] == lb[len(lb)-1-suf] {
		suf++
	}
	for _, l := range la[:pre] {
		lines = append(lines, Line{Op: ' ', Text: l})
	}
	ma, mb := la[pre:len(la)-suf], lb[pre:len(lb)-suf]
	if mid, ok := myers(ma, mb, MaxEdits); ok {
		lines = append(lines, mid...)
	} else {
		notes = append(notes, fmt.Sprintf("more than %d lines differ, too many to align: the old ones are shown removed, then the new ones added", MaxEdits))
		for _, l := range ma {
			lines = append(lines, Line{Op: '-', Text: l})
		}
		for _, l := range mb {
			lines = append(lines, Line{Op: '+', Text: l})
		}
	}
	for _, l := range la[len(la)-suf:] {
		lines = append(lines, Line{Op: ' ', Text: l})
	}
	return lines, strings.Join(notes, "; ")
}

// splitLines splits s at "\n" (a "\r" before it dropped), at most
// MaxLines; cut is true when there were more.
func splitLines(s string) (lines []string, cut bool) {
	if s == "" {
		return nil, false
	}
	lines = strings.SplitN(strings.TrimSuffix(s, "\n"), "\n", MaxLines+1)
	if len(lines) > MaxLines {
		lines, cut = lines[:MaxLines], true
	}
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines, cut
}

// myers aligns a and b by Myers' O((N+M)D) algorithm: lines of a not
// in the longest common subsequence removed, lines of b not in it added.
// false when more than maxD lines would have to be removed or added
// (the trace it keeps grows as D²).
func myers(a, b []string, maxD int) ([]Line, bool) {
	n, m := len(a), len(b)
	off := n + m + 1
	v := make([]int32, 2*off+1) // furthest x on each diagonal k, at v[off+k]
	var trace [][]int32         // v on diagonals -d..d before round d
	for d := 0; d <= n+m; d++ {
		if d > maxD {
			return nil, false
		}
		trace = append(trace, append([]int32(nil), v[off-d:off+d+1]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = int(v[off+k+1]) // down: a line of b added
			} else {
				x = int(v[off+k-1]) + 1 // right: a line of a removed
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = int32(x)
			if x >= n && y >= m {
				return backtrack(trace, a, b), true
			}
		}
	}
	return backtrack(trace, a, b), true // not reached: d = n+m always ends
}

// backtrack walks the trace back from the end, the lines in reverse,
// then puts them in order.
func backtrack(trace [][]int32, a, b []string) []Line {
	out := make([]Line, 0, len(a)+len(b))
	x, y := len(a), len(b)
	for d := len(trace) - 1; d >= 0; d-- {
		v := trace[d]
		at := func(k int) int { return int(v[k+d]) }
		k := x - y
		prevX, prevY := 0, 0 // round 0 starts at the top left
		if d > 0 {
			prevK := k - 1
			if k == -d || (k != d && at(k-1) < at(k+1)) {
				prevK = k + 1
			}
			prevX = at(prevK)
			prevY = prevX - prevK
		}
		for x > prevX && y > prevY {
			out = append(out, Line{Op: ' ', Text: a[x-1]})
			x--
			y--
		}
		if d > 0 {
			if x == prevX {
				out = append(out, Line{Op: '+', Text: b[y-1]})
			} else {
				out = append(out, Line{Op: '-', Text: a[x-1]})
			}
		}
		x, y = prevX, prevY
	}
	slices.Reverse(out)
	return out
}
