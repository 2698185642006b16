package diff

import (
	"fmt"
	"strings"
)

// MaxLines bounds the lines of each side Text compares; the rest are
// left out, and its note says so.
const MaxLines = 20_000

// maxCells bounds the table the alignment of the differing middle
// takes (one int32 a cell); past it the middle is shown as removed
// then added.
const maxCells = 4_000_000

// Text is a line diff of two texts: every line of both, in order, the
// ones only in a marked '-' and those only in b '+'. Lines common to
// the start and the end are matched first; the middle is aligned by
// longest common subsequence when it is small enough, else shown as
// all removed then all added, as the note says.
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
	if (len(ma)+1)*(len(mb)+1) <= maxCells {
		lines = append(lines, lcs(ma, mb)...)
	} else {
		notes = append(notes, "too many differing lines to align: the old ones are shown removed, then the new ones added")
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

// lcs aligns a and b by a longest common subsequence: lines of a not in
// it removed, lines of b not in it added, a removal before the addition
// that takes its place.
func lcs(a, b []string) []Line {
	n, m := len(a), len(b)
	w := m + 1
	t := make([]int32, (n+1)*w) // t[i*w+j]: LCS length of a[i:], b[j:]
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				t[i*w+j] = t[(i+1)*w+j+1] + 1
			} else {
				t[i*w+j] = max(t[(i+1)*w+j], t[i*w+j+1])
			}
		}
	}
	out := make([]Line, 0, n+m)
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			out = append(out, Line{Op: ' ', Text: a[i]})
			i++
			j++
		case t[(i+1)*w+j] >= t[i*w+j+1]:
			out = append(out, Line{Op: '-', Text: a[i]})
			i++
		default:
			out = append(out, Line{Op: '+', Text: b[j]})
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, Line{Op: '-', Text: a[i]})
	}
	for ; j < m; j++ {
		out = append(out, Line{Op: '+', Text: b[j]})
	}
	return out
}
