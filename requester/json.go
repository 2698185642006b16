package requester

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// JSONError locates a JSON syntax error. Line and Column count from 1;
// Column counts characters, not bytes. Where names the input when it is part
// of a request ("GraphQL variables"), and is empty from CheckJSON.
type JSONError struct {
	Where        string
	Line, Column int
	Msg          string
}

// Error implements error, e.g. "GraphQL variables: line 2, column 9: invalid
// character '}' looking for beginning of value".
func (e *JSONError) Error() string {
	msg := fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
	if e.Where != "" {
		msg = e.Where + ": " + msg
	}
	return msg
}

// CheckJSON returns nil if text is valid JSON or blank, else where it first
// goes wrong. The editor warns with it as the user types; a json body that
// fails the check is still sent.
func CheckJSON(text string) *JSONError {
	if strings.TrimSpace(text) == "" || json.Valid([]byte(text)) {
		return nil
	}
	var raw json.RawMessage
	return jsonError(text, json.Unmarshal([]byte(text), &raw))
}

// BeautifyJSON indents text with two spaces, keeping key order and every
// value as written. Blank text is returned unchanged; invalid JSON returns a
// *JSONError.
func BeautifyJSON(text string) (string, error) {
	trimmed := strings.TrimSpace(text)
	if trimmed == "" {
		return text, nil
	}
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(trimmed), "", "  "); err != nil {
		return "", jsonError(trimmed, err)
	}
	return b.String(), nil
}

// jsonError turns an encoding/json error about text into a *JSONError.
func jsonError(text string, err error) *JSONError {
	if err == nil {
		return nil
	}
	offset := int64(len(text)) // an error without a position is at the end
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// Offset counts the bytes read, including the offending one.
		offset = max(se.Offset-1, 0)
		if se.Offset >= int64(len(text)) && strings.Contains(se.Error(), "end of JSON input") {
			offset = int64(len(text))
		}
	}
	line, col := lineColumn(text, int(min(offset, int64(len(text)))))
	msg := err.Error()
	if se == nil {
		msg = strings.TrimPrefix(msg, "json: ")
	}
	return &JSONError{Line: line, Column: col, Msg: msg}
}

// lineColumn returns the 1-based line and character column of byte offset
// in text.
func lineColumn(text string, offset int) (line, col int) {
	before := text[:offset]
	line = strings.Count(before, "\n") + 1
	if i := strings.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, utf8.RuneCountInString(before) + 1
}
