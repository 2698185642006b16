package collection

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"hooklab/requester"
	"hooklab/requester/bru"
)

// decodeVars reads the variables list of m; where names it in messages. A value may be a typed
// value ({type, data}) as newer Bruno versions write; its data is taken.
func decodeVars(m *yaml.Node, where string) ([]requester.Var, error) {
	items, err := seqField(m, "variables", where)
	if err != nil {
		return nil, err
	}
	var vars []requester.Var
	for _, e := range items {
		if e.Kind != yaml.MappingNode {
			return nil, bad(e, "each entry of %s must be a mapping", where)
		}
		var v requester.Var
		if v.Name, err = strField(e, "name", where+" name"); err != nil {
			return nil, err
		}
		val := field(e, "value")
		if val != nil && val.Kind == yaml.MappingNode {
			val = field(val, "data")
		}
		if !isNull(val) {
			if val.Kind != yaml.ScalarNode {
				return nil, bad(val, "%s value must be text", where)
			}
			v.Value = val.Value
		}
		if v.Secret, err = boolField(e, "secret", where+" secret"); err != nil {
			return nil, err
		}
		if v.Disabled, err = boolField(e, "disabled", where+" disabled"); err != nil {
			return nil, err
		}
		vars = append(vars, v)
	}
	return vars, nil
}

// varsNode lists vars. A secret is written as secret: true (first, as Bruno
// does) and, unless withSecrets, without its value.
func varsNode(vars []requester.Var, withSecrets bool) *yaml.Node {
	list := newSeq()
	for _, v := range vars {
		m := newMap()
		if v.Secret {
			add(m, "secret", boolean(true))
		}
		add(m, "name", str(v.Name))
		if !v.Secret || withSecrets {
			add(m, "value", str(v.Value))
		}
		addTrue(m, "disabled", v.Disabled)
		list.Content = append(list.Content, m)
	}
	return list
}

func decodeEnvironment(data []byte, fallbackName string) (requester.Environment, error) {
	env := requester.Environment{Name: fallbackName}
	doc, err := parseDoc(data)
	if err != nil {
		return env, err
	}
	name, err := strField(doc, "name", "name")
	if err != nil {
		return env, err
	}
	if name != "" {
		env.Name = name
	}
	env.Vars, err = decodeVars(doc, "variables")
	return env, err
}

func envFileName(name string) string {
	return strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, ".yml"), ".yaml"), bruExt)
}

// loadEnvironments reads environments/*.yml, sorted by name, without secret
// values, and the file name (without extension) of each.
func loadEnvironments(root string, problems *[]Problem) ([]requester.Environment, []string) {
	dir := filepath.Join(root, envDir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			*problems = append(*problems, problemOf(envDir, err))
		}
		return nil, nil
	}
	type loaded struct {
		env  requester.Environment
		file string
	}
	var all []loaded
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") || !isYAML(e.Name()) && !isBru(e.Name()) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err == nil {
			var env requester.Environment
			decode := decodeEnvironment
			if isBru(e.Name()) {
				decode = bru.ParseEnvironment
			}
			if env, err = decode(data, envFileName(e.Name())); err == nil {
				all = append(all, loaded{env, envFileName(e.Name())})
				continue
			}
		}
		*problems = append(*problems, problemOf(envDir+"/"+e.Name(), err))
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].env.Name < all[j].env.Name })
	envs := make([]requester.Environment, len(all))
	files := make([]string, len(all))
	for i, x := range all {
		envs[i], files[i] = x.env, x.file
	}
	return envs, files
}

// Environment returns the environment that name selects: the one whose
// name: is name; else the one whose file name (without .yml) is name, as
// users type it at a prompt; else the one whose name or file name is name
// in another case, if only one is. A file name with its extension or its
// path (environments/local.yml, as a shell completes it) selects too.
func (c *Collection) Environment(name string) (requester.Environment, bool) {
	e, ok := c.environment(name)
	if ok {
		return e, true
	}
	file := filepath.Base(filepath.FromSlash(name))
	for _, ext := range []string{".yml", ".yaml", bruExt} {
		if stem := strings.TrimSuffix(file, ext); stem != file && stem != "" {
			return c.environment(stem)
		}
	}
	return e, false
}

func (c *Collection) environment(name string) (requester.Environment, bool) {
	if c == nil || name == "" {
		return requester.Environment{}, false
	}
	for _, e := range c.Environments {
		if e.Name == name {
			return e, true
		}
	}
	for i, f := range c.envFiles {
		if f == name && i < len(c.Environments) {
			return c.Environments[i], true
		}
	}
	found := -1
	for i, e := range c.Environments {
		if strings.EqualFold(e.Name, name) || i < len(c.envFiles) && strings.EqualFold(c.envFiles[i], name) {
			if found >= 0 {
				return requester.Environment{}, false
			}
			found = i
		}
	}
	if found < 0 {
		return requester.Environment{}, false
	}
	return c.Environments[found], true
}

// envPath finds the file of environment name: the one whose name field (or
// file name) is name, else environments/<safe name>.yml.
func envPath(root, name string) string {
	dir := filepath.Join(root, envDir)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") || !isYAML(e.Name()) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if data, err := os.ReadFile(p); err == nil {
			if env, _ := decodeEnvironment(data, envFileName(e.Name())); env.Name == name {
				return p
			}
		}
	}
	return filepath.Join(dir, SafeName(name)+ext)
}

// LoadEnvironment reads environment name of the collection at root, with
// its secret values from secrets (which may be nil).
func LoadEnvironment(root, name string, secrets *SecretStore) (requester.Environment, error) {
	p := envPath(root, name)
	data, err := os.ReadFile(p)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return requester.Environment{}, fmt.Errorf("environment %q not found in %s", name, root)
		}
		return requester.Environment{}, err
	}
	env, err := decodeEnvironment(data, envFileName(filepath.Base(p)))
	if err != nil {
		return env, problemOf(relOf(root, p), err)
	}
	secrets.fill(root, &env)
	return env, nil
}

var environmentRule = &mergeRule{owned: []string{"name", "variables"}}

// SaveEnvironment writes env to environments/<name>.yml without secret
// values, and those values to secrets. secrets may be nil only when no
// secret variable has a value.
func SaveEnvironment(root string, env requester.Environment, secrets *SecretStore) error {
	values := map[string]string{}
	for _, v := range env.Vars {
		if v.Secret && v.Value != "" {
			values[v.Name] = v.Value
		}
	}
	if secrets == nil && len(values) > 0 {
		return fmt.Errorf("environment %q has secret values but no secret store to keep them", env.Name)
	}
	if secrets != nil {
		// Secrets first: a file saying secret: true whose value never
		// reached the store would lose the value.
		if err := secrets.SetEnvironment(root, env.Name, values); err != nil {
			return err
		}
	}
	p := envPath(root, env.Name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	doc := environmentNode(env, false)
	if old := readDoc(p); old != nil {
		keepStyle(doc, old)
		doc = merge(doc, old, environmentRule)
	}
	data, err := encodeDoc(doc, false)
	if err != nil {
		return err
	}
	return writeFileAtomic(p, data, 0o644)
}

// DeleteEnvironment removes environment name and its secrets.
func DeleteEnvironment(root, name string, secrets *SecretStore) error {
	if err := os.Remove(envPath(root, name)); err != nil {
		return err
	}
	if secrets == nil {
		return nil
	}
	return secrets.SetEnvironment(root, name, nil)
}

func environmentNode(env requester.Environment, withSecrets bool) *yaml.Node {
	doc := newMap()
	add(doc, "name", str(env.Name))
	if len(env.Vars) > 0 {
		add(doc, "variables", varsNode(env.Vars, withSecrets))
	}
	return doc
}

// ExportEnvironment returns env in the environment file format. Secret
// values are left out unless includeSecrets; then they are written as
// value next to secret: true.
func ExportEnvironment(env requester.Environment, includeSecrets bool) ([]byte, error) {
	return encodeDoc(environmentNode(env, includeSecrets), false)
}
