package requester

import "strings"

// Vars maps variable names (without braces) to values, e.g. "webhook_url".
type Vars map[string]string

// Expand replaces every {{name}} in s by vars[name]; whitespace inside the
// braces is ignored, so {{ name }} works too. Values are inserted verbatim and
// never expanded again, so a value may itself contain "{{". An unterminated
// "{{" is left as literal text. An unknown or empty name returns an
// *UnknownVariableError with Where left empty for the caller to fill in.
func Expand(s string, vars Vars) (string, error) {
	var b strings.Builder
	for {
		open := strings.Index(s, "{{")
		if open < 0 {
			break
		}
		end := strings.Index(s[open+2:], "}}")
		if end < 0 {
			break
		}
		end += open + 2
		// The innermost "{{" before the closing braces opens the variable, so
		// "{{{x}}}" is {{x}} between literal braces and "{{a {{x}}" keeps "{{a ".
		open += strings.LastIndex(s[open:end], "{{")
		name := strings.TrimSpace(s[open+2 : end])
		v, ok := vars[name]
		if name == "" || !ok {
			return "", &UnknownVariableError{Name: name}
		}
		b.WriteString(s[:open])
		b.WriteString(v)
		s = s[end+2:]
	}
	b.WriteString(s)
	return b.String(), nil
}
