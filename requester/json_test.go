package requester

import (
	"errors"
	"testing"
)

func TestCheckJSON(t *testing.T) {
	tests := []struct {
		name, text string
		line, col  int // 0: valid
		msg        string
	}{
		{"valid", `{"a": [1, 2, {"b": null}]}`, 0, 0, ""},
		{"blank", " \n\t", 0, 0, ""},
		{"scalar", "42", 0, 0, ""},
		{"bad character", "{\n  \"a\": 1,\n  }\n", 3, 3, "invalid character '}' looking for beginning of object key string"},
		{"missing comma", `{"a": 1 "b": 2}`, 1, 9, "invalid character '\"' after object key:value pair"},
		{"unterminated", "[1,\n2", 2, 2, "unexpected end of JSON input"},
		{"trailing data", "{} x", 1, 4, "invalid character 'x' after top-level value"},
		{"columns count characters", `{"é": tru}`, 1, 10, "invalid character '}' in literal true (expecting 'e')"},
		{"template placeholder", `{"id": {{id}}}`, 1, 9, "invalid character '{' looking for beginning of object key string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			je := CheckJSON(tt.text)
			if tt.line == 0 {
				if je != nil {
					t.Fatalf("CheckJSON = %v; want nil", je)
				}
				return
			}
			if je == nil || je.Line != tt.line || je.Column != tt.col || je.Msg != tt.msg {
				t.Fatalf("CheckJSON = %+v; want line %d column %d %q", je, tt.line, tt.col, tt.msg)
			}
		})
	}
}

func TestBeautifyJSON(t *testing.T) {
	tests := []struct {
		name, in, want string
		errLine        int
	}{
		{"keeps key order and values", ` {"z":1,"a":[true,{"m":"<\u00e9>"}],"e":{}} ` + "\n",
			"{\n  \"z\": 1,\n  \"a\": [\n    true,\n    {\n      \"m\": \"<\\u00e9>\"\n    }\n  ],\n  \"e\": {}\n}", 0},
		{"numbers as written", `[1.50,1e3]`, "[\n  1.50,\n  1e3\n]", 0},
		{"blank unchanged", "  ", "  ", 0},
		{"invalid", "{\n\"a\" 1}", "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := BeautifyJSON(tt.in)
			if tt.errLine > 0 {
				var je *JSONError
				if !errors.As(err, &je) || je.Line != tt.errLine {
					t.Fatalf("err = %v; want *JSONError on line %d", err, tt.errLine)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("BeautifyJSON = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestJSONErrorMessage(t *testing.T) {
	e := &JSONError{Where: "GraphQL variables", Line: 2, Column: 9, Msg: "bad"}
	if got, want := e.Error(), "GraphQL variables: line 2, column 9: bad"; got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
	e.Where = ""
	if got, want := e.Error(), "line 2, column 9: bad"; got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
}
