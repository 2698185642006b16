package requester

import (
	"net/mail"
	"regexp"
	"strings"
	"testing"
)

// TestFakerVariables: the sample-value variables Bruno and Postman
// collections use expand, fresh at each occurrence, to values of their
// kind.
func TestFakerVariables(t *testing.T) {
	checks := map[string]func(string) bool{
		"$randomFullName": func(v string) bool { return len(strings.Fields(v)) == 2 },
		"$randomEmail": func(v string) bool {
			_, err := mail.ParseAddress(v)
			return err == nil && strings.HasSuffix(v, "@example.com")
		},
		"$randomUUID":        regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString,
		"$randomBoolean":     func(v string) bool { return v == "true" || v == "false" },
		"$randomIP":          regexp.MustCompile(`^192\.0\.2\.\d+$`).MatchString,
		"$randomHexColor":    regexp.MustCompile(`^#[0-9a-f]{6}$`).MatchString,
		"$randomPrice":       regexp.MustCompile(`^\d+\.\d\d$`).MatchString,
		"$randomDatePast":    regexp.MustCompile(`^\d{4}-\d\d-\d\dT`).MatchString,
		"$randomPhoneNumber": regexp.MustCompile(`^555-\d{3}-\d{4}$`).MatchString,
	}
	for name, ok := range checks {
		if !IsBuiltin(name) {
			t.Errorf("%s is not a built-in", name)
		}
		v, err := Expand("{{"+name+"}}", nil)
		if err != nil || !ok(v) {
			t.Errorf("{{%s}} = %q, %v", name, v, err)
		}
	}
	for name, f := range fakers {
		if v, err := Expand("{{"+name+"}}", nil); err != nil || v == "" {
			t.Errorf("{{%s}} = %q, %v", name, v, err)
		}
		_ = f
	}
	// Fresh at each occurrence: twenty names are not all the same.
	out, _ := Expand(strings.Repeat("{{$randomFullName}}|", 20), nil)
	if parts := strings.Split(strings.TrimSuffix(out, "|"), "|"); allSame(parts) {
		t.Errorf("twenty $randomFullName are all %q", parts[0])
	}
	// A variable of the same name wins.
	if v, _ := Expand("{{$randomEmail}}", Vars{"$randomEmail": "me@x.test"}); v != "me@x.test" {
		t.Errorf("a set variable did not win: %q", v)
	}
}

func allSame(s []string) bool {
	for _, x := range s {
		if x != s[0] {
			return false
		}
	}
	return true
}
