package collection

import "hooklab/requester"

// Resolve returns the variables for a run: builtins, then the collection's
// variables, then those of environment envName (see Collection.Environment), then overrides, each
// overriding the one before. Disabled variables are skipped, and so are
// secrets without a value (not filled from a SecretStore), so a missing
// secret reads as an unknown variable rather than an empty one. c may be nil.
func Resolve(c *Collection, envName string, overrides map[string]string, builtins requester.Vars) requester.Vars {
	out := make(requester.Vars, len(builtins)+len(overrides))
	for k, v := range builtins {
		out[k] = v
	}
	apply := func(vars []requester.Var) {
		for _, v := range vars {
			if v.Disabled || v.Name == "" || v.Secret && v.Value == "" {
				continue
			}
			out[v.Name] = v.Value
		}
	}
	if c != nil {
		apply(c.Vars)
		if e, ok := c.Environment(envName); ok {
			apply(e.Vars)
		}
	}
	for k, v := range overrides {
		out[k] = v
	}
	return out
}
