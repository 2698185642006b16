package locale

import "testing"

func TestFixedLanguage(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want string // "" means unchanged
	}{
		{map[string]string{}, ""},
		{map[string]string{"LANG": "C"}, ""},
		{map[string]string{"LANG": "POSIX"}, ""},
		{map[string]string{"LC_ALL": "C"}, ""},
		{map[string]string{"LANG": "C.UTF-8"}, "en"},
		{map[string]string{"LANG": "C.utf8"}, "en"},
		{map[string]string{"LANG": "POSIX.UTF-8"}, "en"},
		{map[string]string{"LC_ALL": "C.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"},
		{map[string]string{"LC_MESSAGES": "C.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"},
		{map[string]string{"LC_ALL": "C", "LANG": "C.UTF-8"}, ""}, // LC_ALL wins: exactly C
		{map[string]string{"LANG": "en_US.UTF-8"}, ""},
		{map[string]string{"LANG": "de_DE"}, ""},
		{map[string]string{"LANG": "fil_PH.UTF-8"}, ""},
		{map[string]string{"LANG": "sr_RS@latin"}, ""},
		{map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "fr:de"}, ""},
		{map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "fr:C:de_AT"}, "fr:de_AT"},
		{map[string]string{"LANG": "en_GB.UTF-8", "LANGUAGE": "C"}, "en"},
		{map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "C.UTF-8:POSIX"}, "en"},
	}
	for _, tc := range cases {
		got, ok := fixedLanguage(func(k string) string { return tc.env[k] })
		if ok != (tc.want != "") || got != tc.want {
			t.Errorf("%v: LANGUAGE=%q changed=%v, want %q", tc.env, got, ok, tc.want)
		}
	}
}
