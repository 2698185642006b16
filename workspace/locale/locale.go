// Package locale makes a "C" locale (C.UTF-8, C.utf8, POSIX.UTF-8: the
// default in containers and CI) read as English before Fyne looks at it.
//
// Fyne's lang package asks github.com/jeandeaual/go-locale for the user's
// languages in its own init, before main runs. That library treats only
// the exact values "C" and "POSIX" as "no language"; "C.UTF-8" comes back
// as the language "C", which is no BCP 47 tag, and Fyne logs "Error
// parsing user locale C" on stderr, once at start and again each time the
// window asks for the system locale. go-locale reads LANGUAGE, which
// gettext defines as the user's list of preferred languages, whenever the
// locale is not exactly C or POSIX; this package sets it to "en" (or
// drops its unusable entries) when the languages go-locale would report
// are not languages.
//
// It must run before fyne.io/fyne/v2/lang's init, so it imports only
// "os". Go initialises packages in the order of their import paths, each
// as soon as everything it imports is ready (the Go spec, "Package
// initialization"); "hooklab/workspace/locale" sorts before "log", which
// Fyne's lang package and Fyne itself import, so importing this package
// anywhere in the binary (main does it with a blank import) is enough.
// TestNoLocaleErrorOnStderr in package main runs the built program under
// each C locale and checks that nothing is printed.
package locale

import "os"

func init() {
	if v, ok := fixedLanguage(os.Getenv); ok {
		os.Setenv("LANGUAGE", v)
	}
}

// fixedLanguage says what LANGUAGE should be for go-locale to report only
// real languages, reading the environment through getenv; ok is false
// when nothing needs to change. It follows go-locale's Unix rules: the
// first of LC_ALL, LC_MESSAGES and LANG that is set is the locale; exactly
// "C" or "POSIX" means no language; otherwise a non-empty LANGUAGE (a
// colon-separated list) wins over the locale.
func fixedLanguage(getenv func(string) string) (value string, ok bool) {
	loc := ""
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc = getenv(name); loc != "" {
			break
		}
	}
	if loc == "" || loc == "C" || loc == "POSIX" {
		return "", false
	}
	list := getenv("LANGUAGE")
	if list == "" {
		if isLanguage(loc) {
			return "", false
		}
		return "en", true
	}
	var kept []string
	for _, l := range split(list, ':') {
		if isLanguage(l) {
			kept = append(kept, l)
		}
	}
	if len(kept) == len(split(list, ':')) {
		return "", false
	}
	if len(kept) == 0 {
		return "en", true
	}
	return join(kept, ":"), true
}

// isLanguage reports whether a locale name (language[_territory][.codeset][@modifier])
// starts with a language go-locale hands on as a well-formed tag: two or
// three letters (ISO 639). "C", "POSIX" and an empty name are not.
func isLanguage(locale string) bool {
	n := 0
	for n < len(locale) && (locale[n] >= 'a' && locale[n] <= 'z' || locale[n] >= 'A' && locale[n] <= 'Z') {
		n++
	}
	if n < len(locale) && !(locale[n] == '_' || locale[n] == '-' || locale[n] == '.' || locale[n] == '@') {
		return false
	}
	return n == 2 || n == 3
}

// split and join are strings.Split and strings.Join, written out so that
// this package imports nothing but os (see the package comment).
func split(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func join(parts []string, sep string) string {
	s := ""
	for i, p := range parts {
		if i > 0 {
			s += sep
		}
		s += p
	}
	return s
}
