package requester

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"hooklab/workspace/poll"
)

// tempFiles lists the response files in dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "hooklab-resp-*"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestSendLargeBodyToTempFile(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	payload := pattern(50)
	srv, _ := recorder(t, func(w http.ResponseWriter, r *http.Request) { w.Write(payload) })
	tests := []struct {
		name              string
		memLimit, maxBody int64
		wantBody          int
		wantFile          int // bytes in BodyFile; -1 means no file
	}{
		{"under the limit", 100, 0, 50, -1},
		{"at the limit", 50, 0, 50, -1},
		{"over the limit", 16, 0, 16, 50},
		{"file capped", 16, 30, 16, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewClient()
			c.MemLimit, c.maxBody = tt.memLimit, tt.maxBody
			resp := send(t, c, Request{URL: srv.URL}, nil)
			if !bytes.Equal(resp.Body, payload[:tt.wantBody]) || resp.Size != 50 || resp.Truncated != (tt.wantBody < 50) {
				t.Errorf("Body %d bytes, Size %d, Truncated %v", len(resp.Body), resp.Size, resp.Truncated)
			}
			if tt.wantFile < 0 {
				if resp.BodyFile != "" || len(tempFiles(t, tmp)) != 0 {
					t.Errorf("BodyFile %q; want no file", resp.BodyFile)
				}
				return
			}
			if filepath.Dir(resp.BodyFile) != tmp {
				t.Fatalf("BodyFile %q not in the temp dir", resp.BodyFile)
			}
			data, err := os.ReadFile(resp.BodyFile)
			if err != nil || !bytes.Equal(data, payload[:tt.wantFile]) {
				t.Errorf("BodyFile holds %d bytes (%v); want the first %d", len(data), err, tt.wantFile)
			}
			if err := resp.Close(); err != nil || resp.BodyFile != "" || len(tempFiles(t, tmp)) != 0 {
				t.Errorf("Close: %v; files left %v", err, tempFiles(t, tmp))
			}
			if err := resp.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
		})
	}
}

func TestClientZeroValue(t *testing.T) {
	var c Client // usable as is, with the default limits
	if c.memLimit() != DefaultMemLimit || c.maxBodyBytes() != MaxBodyBytes || NewClient().MemLimit != DefaultMemLimit {
		t.Errorf("limits %d, %d; want %d, %d", c.memLimit(), c.maxBodyBytes(), DefaultMemLimit, MaxBodyBytes)
	}
	srv, _ := recorder(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	if resp := send(t, &c, Request{URL: srv.URL}, nil); string(resp.Body) != "ok" || len(c.Cookies("")) != 0 {
		t.Errorf("body %q", resp.Body)
	}
}

func TestSendDiskError(t *testing.T) {
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	srv, _ := recorder(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "more than eight bytes") })
	c := NewClient()
	c.MemLimit = 8
	_, err := c.Send(context.Background(), Request{URL: srv.URL}, nil)
	var se *SendError
	if !errors.As(err, &se) || se.Kind != "disk" || se.Msg != "Could not save the response body to a temporary file." {
		t.Fatalf("err = %v; want a disk SendError", err)
	}
}

func TestSendCancelWhileStreamingRemovesFile(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(pattern(1000))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := NewClient()
	c.MemLimit = 100
	sent := make(chan error, 1)
	go func() {
		_, err := c.Send(ctx, Request{URL: srv.URL}, nil)
		sent <- err
	}()
	// Cancel once the body has started going to a file.
	poll.Until(t, "the body to go to a file", func() bool { return len(tempFiles(t, tmp)) > 0 })
	cancel()
	err := <-sent
	var se *SendError
	if !errors.As(err, &se) || se.Kind != "canceled" {
		t.Fatalf("err = %v; want canceled", err)
	}
	if files := tempFiles(t, tmp); len(files) != 0 {
		t.Errorf("files left behind: %v", files)
	}
}

func TestResponseCloseWithoutFile(t *testing.T) {
	var nilResp *Response
	if err := nilResp.Close(); err != nil {
		t.Error(err)
	}
	if err := (&Response{Body: []byte("x")}).Close(); err != nil {
		t.Error(err)
	}
	if err := (&Response{BodyFile: filepath.Join(t.TempDir(), "gone")}).Close(); err != nil {
		t.Errorf("Close of a file already removed: %v", err)
	}
}
