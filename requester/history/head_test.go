package history_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hooklab/capture"
	"hooklab/requester"
	"hooklab/requester/har"
	"hooklab/requester/history"
)

// openShared opens a capture store in dir and the history on its
// database, as the workspace does; both are closed when t ends.
func openShared(t *testing.T, dir string) (*history.Store, *capture.SQLiteStore) {
	t.Helper()
	cs, _, err := capture.OpenSQLite(dir, capture.SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := history.New(historyDB(cs), history.Options{})
	if err != nil {
		cs.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		cs.Close()
	})
	return s, cs
}

func historyDB(cs *capture.SQLiteStore) history.DB {
	return history.DB{
		Name: cs.Path(),
		Read: cs.ReadDB(),
		Write: func(ctx context.Context, fn func(context.Context, history.Tx) error) error {
			return cs.WriteTx(ctx, func(ctx context.Context, tx capture.Tx) error { return fn(ctx, tx) })
		},
	}
}

// exportedHeaders exports entries as HAR and returns the request headers
// of each entry, "name: value", in the order written, with the HAR text.
func exportedHeaders(t *testing.T, entries ...history.Entry) ([][]string, string) {
	t.Helper()
	data, err := har.ExportHistory(entries, "test")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Log struct {
			Entries []struct {
				Request struct {
					Headers []struct{ Name, Value string }
				}
			}
		}
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, e := range f.Log.Entries {
		var hs []string
		for _, h := range e.Request.Headers {
			hs = append(hs, h.Name+": "+h.Value)
		}
		out = append(out, hs)
	}
	return out, string(data)
}

// before reports whether a comes before b in list, both in it.
func before(list []string, a, b string) bool {
	ia, ib := -1, -1
	for i, s := range list {
		if s == a && ia < 0 {
			ia = i
		}
		if s == b && ib < 0 {
			ib = i
		}
	}
	return ia >= 0 && ib > ia
}

// TestHistoryKeepsHeadAsSent: a request sent with x-api-key then
// OpenAI-Beta comes back from the history with its head as it went on
// the wire (masked in what the history shows and exports, as sent when
// reopened), and exports with its headers in that order and case.
func TestHistoryKeepsHeadAsSent(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	r := requester.Request{Method: "POST", URL: srv.URL + "/v1/responses?api_key=sk_query_77&page=2",
		Headers: []requester.Header{{Name: "x-api-key", Value: "sk_live_abc"}, {Name: "OpenAI-Beta", Value: "assistants=v2"}},
		Auth:    requester.Auth{Kind: requester.AuthBearer, Token: "tok_secret_1"},
		Body:    requester.Body{Kind: requester.BodyJSON, Text: `{"n":1}`}}
	resp, err := requester.NewClient().Send(context.Background(), r, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Close()
	sent := resp.Request.Head
	if !strings.Contains(sent, "\r\nx-api-key: sk_live_abc\r\nOpenAI-Beta: assistants=v2\r\n") {
		t.Fatalf("the head as sent lacks the names as written:\n%s", sent)
	}

	s, cs := openShared(t, t.TempDir())
	id, err := s.Add(history.FromExchange("", r, resp, nil, time.Unix(1_700_000_000, 0)))
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{"sk_live_abc", "tok_secret_1", "sk_query_77"}

	// What the history table holds, as anything but reopening reads it.
	var visible string
	if err := cs.ReadDB().QueryRow(`SELECT sent_head FROM history WHERE id = ?`, id).Scan(&visible); err != nil {
		t.Fatal(err)
	}
	for _, sec := range secrets {
		if strings.Contains(visible, sec) {
			t.Errorf("the stored head shows the secret %q:\n%s", sec, visible)
		}
	}
	for _, want := range []string{"\r\nAuthorization: Bearer " + history.Mask + "\r\n",
		"\r\nx-api-key: " + history.Mask + "\r\nOpenAI-Beta: assistants=v2\r\n", "?api_key=" + history.Mask + "&page=2 HTTP/1.1\r\n"} {
		if !strings.Contains(visible, want) {
			t.Errorf("the stored head lacks %q:\n%s", want, visible)
		}
	}

	// Shown from the history: the head masked, as stored.
	got, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if shown, err := got.Response(); err != nil || shown.Request.Head != visible {
		t.Errorf("Get's response head = %q, %v; want the stored head %q", shown.Request.Head, err, visible)
	}
	// Reopened: the head exactly as it went on the wire.
	un, err := s.Unmasked(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	reopened, err := un.Response()
	if err != nil || reopened.Request.Head != sent {
		t.Errorf("reopened head = %q, %v\nwant as sent %q", reopened.Request.Head, err, sent)
	}

	// Exported: the header lines as sent, masked.
	headers, data := exportedHeaders(t, got)
	if !before(headers[0], "x-api-key: "+history.Mask, "OpenAI-Beta: assistants=v2") {
		t.Errorf("exported headers not as written, in order: %q", headers[0])
	}
	if !before(headers[0], "Authorization: Bearer "+history.Mask, "x-api-key: "+history.Mask) {
		t.Errorf("exported headers lack the masked Authorization before the rows: %q", headers[0])
	}
	for _, sec := range secrets {
		if strings.Contains(data, sec) {
			t.Errorf("the export shows the secret %q", sec)
		}
	}
}

// The layout of version 2 of the history tables, as Hooklab made it.
const schemaV2 = `
CREATE TABLE history_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE history (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	time        INTEGER NOT NULL,
	name        TEXT NOT NULL,
	method      TEXT NOT NULL,
	url         TEXT NOT NULL,
	status      INTEGER NOT NULL,
	duration    INTEGER NOT NULL,
	resp_size   INTEGER NOT NULL,
	err         TEXT NOT NULL,
	search      TEXT NOT NULL,
	request     BLOB NOT NULL,
	sent_header BLOB,
	sent_body   BLOB,
	sent_size   INTEGER NOT NULL,
	status_text TEXT NOT NULL,
	proto       TEXT NOT NULL,
	remote_addr TEXT NOT NULL,
	resp_header BLOB,
	resp_body   BLOB,
	truncated   INTEGER NOT NULL,
	timings     BLOB NOT NULL
);
CREATE TABLE history_secrets (
	id      INTEGER PRIMARY KEY,
	request BLOB NOT NULL
);
CREATE INDEX history_time_search ON history (time, search);
INSERT INTO history_meta (key, value) VALUES ('schema_version', '2');`

// TestHistoryVersion2Upgraded: a version 2 history opens, upgraded in
// place; its entries, without a head, open and export from their header
// map, keep their secrets for reopening, and new entries keep a head.
func TestHistoryVersion2Upgraded(t *testing.T) {
	dir := t.TempDir()
	cs, _, err := capture.OpenSQLite(dir, capture.SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	orig := requester.Request{Method: "GET", URL: "http://api.test/v1/items",
		Auth: requester.Auth{Kind: requester.AuthBearer, Token: "tok_v2_secret"}}
	masked := orig
	masked.Auth.Token = history.Mask
	req, _ := json.Marshal(masked)
	secret, _ := json.Marshal(orig)
	sentHeader := `{"Authorization":["Bearer ` + history.Mask + `"],"X-Trace":["t1"],"Accept":["*/*"]}`
	err = cs.WriteTx(context.Background(), func(ctx context.Context, tx capture.Tx) error {
		if _, err := tx.ExecContext(ctx, schemaV2); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO history (id, time, name, method, url, status, duration, resp_size, err, search,
			request, sent_header, sent_body, sent_size, status_text, proto, remote_addr, resp_header, resp_body, truncated, timings)
			VALUES (7, 1700000000000000000, 'old', 'GET', 'http://api.test/v1/items', 200, 0, 2, '', 'old get http://api.test/v1/items 200',
			?, ?, NULL, 0, '200 OK', 'HTTP/1.1', '127.0.0.1:80', '{"Content-Type":["text/plain"]}', 'ok', 0, '{}')`, req, sentHeader); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO history_secrets (id, request) VALUES (7, ?)`, secret)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	s, err := history.New(historyDB(cs), history.Options{})
	if err != nil {
		t.Fatalf("a version 2 history did not open: %v", err)
	}
	defer s.Close()
	var v string
	if err := cs.ReadDB().QueryRow(`SELECT value FROM history_meta WHERE key = 'schema_version'`).Scan(&v); err != nil || v != "3" {
		t.Errorf("schema version after opening = %q, %v; want 3", v, err)
	}

	old, err := s.Get(7)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := old.Response()
	if err != nil || resp.Request.Head != "" || resp.Request.Header.Get("X-Trace") != "t1" || string(resp.Body) != "ok" {
		t.Errorf("the old entry's response = %+v, %v; want no head and its header map", resp, err)
	}
	un, err := s.Unmasked(context.Background(), 7)
	if err != nil || un.Request.Auth.Token != "tok_v2_secret" || un.SentHead != "" {
		t.Errorf("the old entry reopened = %+v head %q, %v", un.Request.Auth, un.SentHead, err)
	}
	headers, _ := exportedHeaders(t, old)
	want := []string{"Accept: */*", "Authorization: Bearer " + history.Mask, "X-Trace: t1"}
	if strings.Join(headers[0], "\n") != strings.Join(want, "\n") {
		t.Errorf("the old entry exports headers %q; want %q", headers[0], want)
	}

	// A new entry keeps its head, secrets apart.
	head := "GET /v2 HTTP/1.1\r\nHost: api.test\r\nAuthorization: Bearer tok_new\r\nx-Trace: t2\r\n\r\n"
	id, err := s.Add(history.Entry{Method: "GET", URL: "http://api.test/v2", SentHead: head, Status: 200, StatusText: "200 OK",
		Request: requester.Request{URL: "http://api.test/v2", Auth: requester.Auth{Kind: requester.AuthBearer, Token: "{{token}}"}}})
	if err != nil {
		t.Fatal(err)
	}
	if e, err := s.Get(id); err != nil || e.SentHead != strings.Replace(head, "tok_new", history.Mask, 1) {
		t.Errorf("a new entry's head = %q, %v", e.SentHead, err)
	}
	if e, err := s.Unmasked(context.Background(), id); err != nil || e.SentHead != head || e.Request.Auth.Token != "{{token}}" {
		t.Errorf("a new entry reopened: head %q, auth %+v, %v", e.SentHead, e.Request.Auth, err)
	}
}
