package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"hooklab/requester"
)

// todaysTabs is a tabs.json as the window writes it before this
// package: a file-backed tab with an unsaved edit and a scratch tab in
// view.
const todaysTabs = `[
  {
    "title": "Create payment",
    "collection": "/home/me/.local/share/hooklab/collections/My requests",
    "file": "Create payment.yml",
    "request": {
      "Name": "Create payment",
      "Method": "POST",
      "URL": "{{sandbox_url}}/v1/payments?draft=1",
      "Params": [
        {
          "Name": "draft",
          "Value": "1",
          "Disabled": false
        }
      ],
      "Headers": [
        {
          "Name": "Content-Type",
          "Value": "application/json",
          "Disabled": false
        }
      ],
      "Body": {
        "Kind": "json",
        "Text": "{\"amount\": 1200}",
        "Form": null,
        "Parts": null,
        "File": "",
        "GraphQL": {
          "Query": "",
          "Variables": ""
        }
      },
      "Auth": {
        "Kind": "bearer",
        "Username": "",
        "Password": "",
        "Token": "{{token}}",
        "Key": "",
        "Value": "",
        "InQuery": false
      },
      "Options": {
        "Timeout": 5000000000,
        "NoRedirects": false,
        "MaxRedirects": 0,
        "Insecure": false,
        "CACert": "",
        "ClientCert": "",
        "ClientKey": "",
        "Proxy": ""
      }
    }
  },
  {
    "title": "Untitled 1",
    "request": {
      "Name": "Untitled 1",
      "Method": "GET",
      "URL": "https://scratch.test/",
      "Params": null,
      "Headers": null,
      "Body": {
        "Kind": "multipart",
        "Text": "",
        "Form": null,
        "Parts": [
          {
            "Name": "doc",
            "Value": "",
            "File": "/home/me/replays/replay-1.bin",
            "ContentType": "",
            "Disabled": false
          }
        ],
        "File": "/home/me/body.bin",
        "GraphQL": {
          "Query": "",
          "Variables": ""
        }
      },
      "Auth": {
        "Kind": "",
        "Username": "",
        "Password": "",
        "Token": "",
        "Key": "",
        "Value": "",
        "InQuery": false
      },
      "Options": {
        "Timeout": 0,
        "NoRedirects": false,
        "MaxRedirects": 0,
        "Insecure": false,
        "CACert": "",
        "ClientCert": "",
        "ClientKey": "",
        "Proxy": ""
      }
    },
    "current": true
  }
]`

// TestSessionReadsAndWritesTodaysFormat: an existing tabs.json loads,
// and writing what it held gives back the same bytes.
func TestSessionReadsAndWritesTodaysFormat(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, SessionFile), []byte(todaysTabs), 0o600); err != nil {
		t.Fatal(err)
	}
	s := NewSession(dir)
	tabs, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(tabs) != 2 {
		t.Fatalf("%d tabs", len(tabs))
	}
	file, scratch := tabs[0], tabs[1]
	if file.Title != "Create payment" || file.Coll != "/home/me/.local/share/hooklab/collections/My requests" ||
		file.File != "Create payment.yml" || file.Current || file.Request.URL != "{{sandbox_url}}/v1/payments?draft=1" ||
		file.Request.Body.Text != `{"amount": 1200}` || file.Request.Auth.Token != "{{token}}" || file.Request.Options.Timeout != 5*time.Second {
		t.Errorf("file tab %+v", file)
	}
	if scratch.Coll != "" || scratch.File != "" || !scratch.Current || scratch.Request.URL != "https://scratch.test/" {
		t.Errorf("scratch tab %+v", scratch)
	}
	want := map[string]bool{"/home/me/replays/replay-1.bin": true, "/home/me/body.bin": true}
	if got := FilesUsed(tabs); len(got) != 2 || !got["/home/me/replays/replay-1.bin"] || !got["/home/me/body.bin"] {
		t.Errorf("FilesUsed = %v, want %v", got, want)
	}

	if err := os.Remove(filepath.Join(dir, SessionFile)); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(tabs); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, SessionFile))
	if err != nil || string(data) != todaysTabs {
		t.Fatalf("written back differently (%v):\n%s", err, data)
	}
	info, _ := os.Stat(filepath.Join(dir, SessionFile))
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("tabs.json mode %v, want 0600", info.Mode().Perm())
	}
}

func TestSessionWithoutAFileHasNoTabs(t *testing.T) {
	s := NewSession(t.TempDir())
	if tabs, err := s.Load(); tabs != nil || err != nil {
		t.Fatalf("Load = %v, %v", tabs, err)
	}
	if err := s.Save(nil); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(s.Path()); string(data) != "[]" {
		t.Fatalf("no tabs written as %q, want []", data)
	}
}

// TestSessionSaveIfChanged: an autosave writes edits, not unchanged
// tabs; a file that cannot be replaced is an error, and once it can,
// the edit is written.
func TestSessionSaveIfChanged(t *testing.T) {
	s := NewSession(t.TempDir())
	tabs := []SavedTab{{Title: "A", Request: requester.Request{URL: "https://kept.test/while-open"}, Current: true}}
	if wrote, err := s.SaveIfChanged(tabs); !wrote || err != nil {
		t.Fatalf("first autosave: %v %v", wrote, err)
	}
	if err := os.Remove(s.Path()); err != nil {
		t.Fatal(err)
	}
	if wrote, err := s.SaveIfChanged(tabs); wrote || err != nil {
		t.Fatalf("unchanged tabs: wrote %v, %v", wrote, err)
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("unchanged tabs written again: %v", err)
	}

	// A folder holding a file takes the session file's name.
	if err := os.MkdirAll(filepath.Join(s.Path(), "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	tabs[0].Request.URL = "https://kept.test/after"
	if wrote, err := s.SaveIfChanged(tabs); wrote || err == nil {
		t.Fatalf("replacing a folder: wrote %v, %v", wrote, err)
	}
	if err := os.RemoveAll(s.Path()); err != nil {
		t.Fatal(err)
	}
	if wrote, err := s.SaveIfChanged(tabs); !wrote || err != nil {
		t.Fatalf("after the failure: wrote %v, %v", wrote, err)
	}
	if data, _ := os.ReadFile(s.Path()); !strings.Contains(string(data), "https://kept.test/after") {
		t.Fatalf("saved %s", data)
	}
}

// TestMalformedSessionIsKeptAside: a tabs.json that is not a list of
// tabs is reported and moved aside before the next Save replaces it.
func TestMalformedSessionIsKeptAside(t *testing.T) {
	s := NewSession(t.TempDir())
	s.now = func() time.Time { return testEpoch }
	broken := `[{"title": "Unsaved work", "request": {"URL": "https://x.test/"`
	if err := os.WriteFile(s.Path(), []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	tabs, err := s.Load()
	kept := s.Path() + ".corrupt-20250314T120103Z"
	if tabs != nil || err == nil || !strings.Contains(err.Error(), s.Path()) || !strings.Contains(err.Error(), kept) ||
		!strings.Contains(err.Error(), "unexpected end of JSON input") {
		t.Fatalf("Load = %v, %v", tabs, err)
	}
	if data, _ := os.ReadFile(kept); string(data) != broken {
		t.Fatalf("kept %q", data)
	}
	if err := s.Save([]SavedTab{{Title: "New"}}); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(kept); string(data) != broken {
		t.Fatal("Save overwrote the kept file")
	}
}

// TestUnreadableSessionIsNotReplaced: a session file that cannot be
// read is not overwritten by the next Save.
func TestUnreadableSessionIsNotReplaced(t *testing.T) {
	s := NewSession(t.TempDir())
	if err := os.MkdirAll(filepath.Join(s.Path(), "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(); err == nil || !strings.Contains(err.Error(), s.Path()) {
		t.Fatalf("Load = %v, want an error naming the file", err)
	}
	if err := os.RemoveAll(s.Path()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.Path(), []byte("[]"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Save([]SavedTab{{Title: "New"}}); err == nil {
		t.Fatal("Save replaced a session file Load could not read")
	}
	if _, err := s.Load(); err != nil {
		t.Fatal(err)
	}
	if err := s.Save([]SavedTab{{Title: "New"}}); err != nil {
		t.Fatalf("Save after a good Load: %v", err)
	}
}
