package requester

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
)

// DescribeShape says, in JSON's terms, why a JSON value of an imported
// file has the wrong shape: "request.url is a number, want a string".
// what names the value when the whole of it is of the wrong type ("the
// entry", "the item"). Other errors are returned as their text.
func DescribeShape(err error, what string) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return fmt.Sprintf("%s is %s, not %s", what, jsonValue(te.Value), jsonKind(te.Type))
		}
		return fmt.Sprintf("%s is %s, want %s", te.Field, jsonValue(te.Value), jsonKind(te.Type))
	}
	return err.Error()
}

// jsonValue names the kind of value encoding/json found.
func jsonValue(v string) string {
	switch v {
	case "object":
		return "an object"
	case "array":
		return "a list"
	case "bool":
		return "true or false"
	case "string", "number":
		return "a " + v
	}
	return v
}

// jsonKind names the JSON value a Go type is read from.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return t.String()
}
