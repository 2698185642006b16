package capture

import (
	"bytes"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"unicode/utf8"

	"modernc.org/sqlite"
)

// Full-text search. Filter.Text matches a capture when each word is a
// substring of its lowered search text (indexText). Captures up to
// state.indexed_through have their text in the FTS5 table search,
// a trigram index (rowid = seq), unless the text cannot go into it
// (indexable), which search_skipped records; newer captures are not
// indexed yet. The
// idle writer indexes them a few at a time (indexStep), so a burst of
// captures is never slowed down by the index; until then, and for the
// skipped ones, a search scans them with hooklab_match.

const (
	// ftsSchema is the index. It keeps its own copy of the text, which
	// makes deleting a row cheap (tombstones in a contentless table cost
	// several times more here) and lets every match be checked against
	// it. case_sensitive 1: the text and the words are lowered in Go, so
	// matching is exactly Filter.Match's strings.ToLower, and FTS5 serves
	// GLOB. detail=none: the index holds which rows have a trigram, not
	// where; since every match is checked on the text anyway, positions
	// would only make indexing slower (by 1.7×) and the index twice as
	// large.
	ftsSchema = `CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5 (text, tokenize = 'trigram case_sensitive 1', detail = none)`
	// indexStepBytes bounds the text indexed in one transaction (about
	// 10 ms of FTS5 work here), which is the longest an Add arriving
	// while the writer indexes waits for it.
	indexStepBytes = 64 << 10
	// maxIndexedText is the largest search text put into the index (see
	// indexable).
	maxIndexedText = 64 << 10
	// collectStepRows bounds the index rows of pruned captures deleted in
	// one transaction; deleting one costs about what indexing it did.
	collectStepRows = 64
)

// indexText is the lowered text searches look in: Capture.searchText,
// with the body decoded when its Content-Encoding says so (what the
// Body tab shows), leaving out a body that is not UTF-8 (its bytes make
// no words and would only fill the index).
//
// The decoded text is what goes into the index, so a compressed body is
// decoded once, when the idle writer indexes it, not at each search;
// only the captures not indexed yet or left out of the index are
// decoded again by a search that scans them (BenchmarkIndexText).
func indexText(c *Capture) string {
	if body, ok := searchBody(c); ok {
		decoded := *c
		decoded.Body = body
		c = &decoded
	}
	if utf8.Valid(c.Body) {
		return strings.ToLower(c.searchText())
	}
	textless := *c
	textless.Body = nil
	return strings.ToLower(textless.searchText())
}

// searchDecodeCap bounds the decoded text of one body a search looks
// in: a small compressed body can expand to megabytes, and a capture
// left out of the index is decoded again at every search.
const searchDecodeCap = 1 << 20

// searchBody is c's body as searched: decoded (its first
// searchDecodeCap bytes) when its Content-Encoding names codings
// DecodeBody knows; as stored, and decoded false, when there are none
// or it does not decode.
func searchBody(c *Capture) (body []byte, decoded bool) {
	if len(c.Body) == 0 || len(c.Header) == 0 {
		return c.Body, false
	}
	var codings []string
	for _, v := range c.Header.Values("Content-Encoding") {
		for _, cd := range strings.Split(v, ",") {
			switch cd = strings.ToLower(strings.TrimSpace(cd)); cd {
			case "", "identity":
			case "x-gzip":
				codings = append(codings, "gzip")
			case "gzip", "deflate", "br", "zstd":
				codings = append(codings, cd)
			default:
				return c.Body, false // not decodable: searched as stored
			}
		}
	}
	if len(codings) == 0 || len(codings) > maxCodings {
		return c.Body, false
	}
	var r io.Reader = bytes.NewReader(c.Body)
	for i := len(codings) - 1; i >= 0; i-- {
		if i < len(codings)-1 {
			r = &capReader{r: r, n: MaxDecodedBody}
		}
		next, closeFn, err := newDecoder(codings[i], r)
		if err != nil {
			return c.Body, false
		}
		if closeFn != nil {
			defer closeFn()
		}
		r = next
	}
	out, err := io.ReadAll(&capReader{r: r, n: searchDecodeCap})
	if err != nil && !errors.Is(err, ErrDecodedTooLarge) {
		return c.Body, false
	}
	return out, true
}

// indexable reports whether text goes into the index. A larger one than
// maxIndexedText would hold the writer too long; in one holding a NUL,
// GLOB, which sees a C string, would miss every word after it.
func indexable(text string) bool {
	return len(text) <= maxIndexedText && !strings.ContainsRune(text, 0)
}

// containsAll reports whether text holds each newline-separated word.
func containsAll(text, words string) bool {
	for w := range strings.SplitSeq(words, "\n") {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

func boolValue(b bool) driver.Value {
	if b {
		return int64(1)
	}
	return int64(0)
}

var registerOnce = sync.OnceValue(func() error {
	// hooklab_contains(text, words): containsAll on a stored search text.
	// strings.Contains is exact on the lowered text, and faster than
	// instr() or LIKE in the transpiled SQLite.
	err := sqlite.RegisterFunction("hooklab_contains", &sqlite.FunctionImpl{
		NArgs:         2,
		Deterministic: true,
		VolatileArgs:  true, // no argument outlives the call
		Scalar: func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			text, _ := args[0].(string)
			words, _ := args[1].(string)
			return boolValue(containsAll(text, words)), nil
		},
	})
	if err != nil {
		return err
	}
	// hooklab_match(path, raw_query, header, body, words): containsAll on
	// the search text of a captures row, made on the fly.
	return sqlite.RegisterFunction("hooklab_match", &sqlite.FunctionImpl{
		NArgs:         5,
		Deterministic: true,
		VolatileArgs:  true, // indexText copies what it keeps
		Scalar: func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			c := &Capture{}
			c.Path, _ = args[0].(string)
			c.RawQuery, _ = args[1].(string)
			header, _ := args[2].([]byte)
			c.Body, _ = args[3].([]byte)
			words, _ := args[4].(string)
			// A header that does not decode is searched as absent.
			c.Header, _ = decodeHeader(header)
			return boolValue(containsAll(indexText(c), words)), nil
		},
	})
})

func registerFunctions() error {
	if err := registerOnce(); err != nil {
		return fmt.Errorf("register SQLite functions: %w", err)
	}
	return nil
}

// globEscaper makes a word match itself in a GLOB pattern.
var globEscaper = strings.NewReplacer("*", "[*]", "?", "[?]", "[", "[[]")

// textCond matches captures c whose search text holds every word, the
// lowered fields of Filter.Text. In the index, each word of 3 or more
// characters is a GLOB '*word*' on the text: FTS5 finds the rows that
// have all its trigrams, and SQLite checks the pattern on each, so the
// match is exact. Shorter words make no trigram; they are checked with
// hooklab_contains, on the rows the longer words found or on every row.
// Captures not in the index are scanned with hooklab_match.
func (s *SQLiteStore) textCond(words []string) (string, []any) {
	all := strings.Join(words, "\n")
	var parts []string
	var args []any
	if s.fts {
		var conds, short []string
		for _, w := range words {
			// A NUL would end the pattern early.
			if utf8.RuneCountInString(w) >= 3 && !strings.ContainsRune(w, 0) {
				conds = append(conds, `text GLOB ?`)
				args = append(args, "*"+globEscaper.Replace(w)+"*")
			} else {
				short = append(short, w)
			}
		}
		if len(short) > 0 {
			conds = append(conds, `hooklab_contains(text, ?)`)
			args = append(args, strings.Join(short, "\n"))
		}
		parts = append(parts, `SELECT rowid FROM search WHERE `+strings.Join(conds, ` AND `))
	}
	parts = append(parts,
		`SELECT u.seq FROM captures u WHERE u.seq > (SELECT indexed_through FROM state)
			AND hooklab_match(u.path, u.raw_query, u.header, u.body, ?)`,
		`SELECT u.seq FROM search_skipped k CROSS JOIN captures u WHERE u.seq = k.seq
			AND hooklab_match(u.path, u.raw_query, u.header, u.body, ?)`)
	args = append(args, all, all)
	return `c.seq IN (` + strings.Join(parts, ` UNION ALL `) + `)`, args
}

// indexStep indexes the oldest captures past indexed_through, about
// indexStepBytes of text. It reports whether it found any.
func (w *writer) indexStep() (found bool, err error) {
	total := 0
	err = w.tx(func() error {
		var through int64
		if err := w.conn.QueryRowContext(w.ctx, `SELECT indexed_through FROM state`).Scan(&through); err != nil {
			return err
		}
		// A body too large to index is not read: 64 of 10 MiB would take
		// the writer hundreds of MiB to find them unindexable.
		rows, err := w.conn.QueryContext(w.ctx, `SELECT seq, path, raw_query, header,
			CASE WHEN length(body) <= ? THEN body END, coalesce(length(body), 0) > ? FROM captures
			WHERE seq > ? ORDER BY seq LIMIT 64`, maxIndexedText, maxIndexedText, through)
		if err != nil {
			return err
		}
		type doc struct {
			seq   int64
			text  string
			index bool
		}
		var docs []doc
		for total < indexStepBytes && rows.Next() {
			var d doc
			var c Capture
			var header []byte
			var big bool
			if err := rows.Scan(&d.seq, &c.Path, &c.RawQuery, &header, &c.Body, &big); err != nil {
				rows.Close()
				return err
			}
			c.Header, _ = decodeHeader(header) // searched as absent if it does not decode
			// A body past the limit is searched by scanning, as any
			// text past it is.
			d.text = indexText(&c)
			d.index = !big && indexable(d.text)
			if d.index {
				total += len(d.text)
			}
			docs = append(docs, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(docs) == 0 {
			return err
		}
		for _, d := range docs {
			var err error
			if d.index {
				_, err = w.s.stmts.indexText.ExecContext(w.ctx, d.seq, d.text)
			} else {
				_, err = w.s.stmts.skipText.ExecContext(w.ctx, d.seq)
			}
			if err != nil {
				return err
			}
		}
		found = true
		_, err = w.s.stmts.indexedUpTo.ExecContext(w.ctx, docs[len(docs)-1].seq)
		return err
	})
	w.wrote()
	return found && err == nil, err
}

// collectStep deletes up to collectStepRows index rows of pruned
// captures: those below the oldest capture kept (Delete and Clear remove
// their index rows at once). It reports whether there may be more.
func (w *writer) collectStep() (bool, error) {
	var floor int64
	if err := w.conn.QueryRowContext(w.ctx, `SELECT coalesce(min(seq), ?) FROM captures`, int64(math.MaxInt64)).Scan(&floor); err != nil {
		return false, err
	}
	var n int64
	err := w.tx(func() error {
		res, err := w.exec(`DELETE FROM search WHERE rowid IN (SELECT rowid FROM search WHERE rowid < ? ORDER BY rowid LIMIT ?)`, floor, collectStepRows)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return err == nil && n == collectStepRows, err
}
