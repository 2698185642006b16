package assets

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestPackagingAgreesWithFyneAppToml: the desktop entry and the AppStream
// metainfo say what FyneApp.toml says (ID, name, comment, categories,
// keywords), so the Linux packages and fyne package's cannot drift apart.
func TestPackagingAgreesWithFyneAppToml(t *testing.T) {
	toml := read(t, "../FyneApp.toml")
	str := func(key string) string {
		m := regexp.MustCompile(`(?m)^` + key + `\s*=\s*"([^"]*)"`).FindStringSubmatch(toml)
		if m == nil {
			t.Fatalf("FyneApp.toml has no %s", key)
		}
		return m[1]
	}
	list := func(key string) string {
		m := regexp.MustCompile(`(?m)^` + key + `\s*=\s*\[(.*)\]`).FindStringSubmatch(toml)
		if m == nil {
			t.Fatalf("FyneApp.toml has no %s", key)
		}
		var out []string
		for _, v := range strings.Split(m[1], ",") {
			out = append(out, strings.Trim(strings.TrimSpace(v), `"`))
		}
		return strings.Join(out, ";") + ";"
	}
	id := str("ID")

	desktop := map[string]string{}
	for _, line := range strings.Split(read(t, "linux/"+id+".desktop"), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			desktop[k] = v
		}
	}
	for key, want := range map[string]string{
		"Name":        str("Name"),
		"GenericName": str("GenericName"),
		"Comment":     str("Comment"),
		"Icon":        id,
		"Categories":  list("Categories"),
		"Keywords":    list("Keywords"),
	} {
		if desktop[key] != want {
			t.Errorf("%s.desktop %s=%q, FyneApp.toml says %q", id, key, desktop[key], want)
		}
	}

	meta := read(t, "linux/"+id+".metainfo.xml")
	for _, want := range []string{
		"<id>" + id + "</id>",
		"<name>" + str("Name") + "</name>",
		"<summary>" + str("Comment") + "</summary>",
		`<launchable type="desktop-id">` + id + ".desktop</launchable>",
	} {
		if !strings.Contains(meta, want) {
			t.Errorf("%s.metainfo.xml lacks %s", id, want)
		}
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
