package curl

import (
	"strings"
	"testing"
)

// TestCurlCorners: where a command means something else to real curl
// (7.88 checked on the wire), the import follows curl or says what it
// could not keep.
func TestCurlCorners(t *testing.T) {
	tests := []struct {
		name, cmd string
		url       string // "" when not checked
		part      string // the first part's Content-Type; "-" when not checked
		warn      string // a warning must hold this; "" means none at all
	}{
		{"-G data is escaped in lower-case hex", `curl -G --data-urlencode "text=你好" https://x.test/s`,
			"https://x.test/s?text=%e4%bd%a0%e5%a5%bd", "-", ""},
		{"-G keeps the URL's own escapes", `curl -G -d "q=%E4" "https://x.test/s?pre=%E4"`,
			"https://x.test/s?pre=%E4&q=%e4", "-", ""},
		{"a file part is octet-stream unless curl knows its extension", `curl -F f=@data.bin https://x.test`, "", "application/octet-stream", ""},
		{"a png part is image/png", `curl -F f=@a.png https://x.test`, "", "image/png", ""},
		{"type= wins", `curl -F "f=@data.bin;type=application/pdf" https://x.test`, "", "application/pdf", ""},
		{"a brace set imports its first URL", `curl "https://x.test/{users,teams}/1"`, "https://x.test/users/1", "-", "2 here"},
		{"a range imports its first URL", `curl "https://x.test/page/[1-20:5]"`, "https://x.test/page/1", "-", "4 here"},
		{"-g keeps braces", `curl -g "https://x.test/{a,b}"`, "https://x.test/{a,b}", "-", ""},
		{"variables are not globs", `curl "{{base}}/x?{{q}}"`, "{{base}}/x?{{q}}", "-", ""},
		{"an IPv6 host is not a range", `curl "http://[::1]:8080/x"`, "http://[::1]:8080/x", "-", ""},
		{"redirections are said, not swallowed", `curl -u client:<secret> -d a=1 https://x.test/token`, "https://x.test/token", "-", "‘> -d’"},
		{"the word a redirection left is named, not imported as the URL", `curl -u client:<secret> -d a=1 https://x.test/token`, "https://x.test/token", "-",
			"the command has 2 URLs; only https://x.test/token was imported, not ‘a=1’"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, warns, err := Parse(tt.cmd)
			if err != nil {
				t.Fatal(err)
			}
			if tt.url != "" && r.URL != tt.url {
				t.Errorf("URL = %q, want %q", r.URL, tt.url)
			}
			if tt.part != "-" {
				if len(r.Body.Parts) == 0 || r.Body.Parts[0].ContentType != tt.part {
					t.Errorf("parts %+v, want the first typed %q", r.Body.Parts, tt.part)
				}
			}
			all := strings.Join(warns, "\n")
			switch {
			case tt.warn == "" && len(warns) > 0:
				t.Errorf("unexpected warnings: %q", warns)
			case tt.warn != "" && !strings.Contains(all, tt.warn):
				t.Errorf("warnings %q, want one holding %q", warns, tt.warn)
			}
		})
	}
}

// TestGenerateTurnsGlobbingOff: a URL with braces or brackets is written
// with -g, so curl sends it as written.
func TestGenerateTurnsGlobbingOff(t *testing.T) {
	r, _, err := Parse(`curl -g "https://x.test/{a,b}"`)
	if err != nil {
		t.Fatal(err)
	}
	out := Generate(r)
	if !strings.Contains(out, " -g") {
		t.Fatalf("Generate wrote no -g:\n%s", out)
	}
	back, warns, err := Parse(out)
	if err != nil || back.URL != r.URL || len(warns) > 0 {
		t.Fatalf("read back %q, %q, %v", back.URL, warns, err)
	}
}
