package collection

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"hooklab/requester"
)

const secretValue = "sk_live_DO_NOT_COMMIT"

func TestSecretsStayOutOfTheCollection(t *testing.T) {
	root := copyTestdata(t)
	storePath := filepath.Join(t.TempDir(), "data", "secrets.json")
	store, err := OpenSecretStore(storePath)
	if err != nil {
		t.Fatal(err)
	}
	env := requester.Environment{Name: "Production", Vars: []requester.Var{
		{Name: "base_url", Value: "https://api.example.com"},
		{Name: "api_key", Value: secretValue, Secret: true},
		{Name: "old_key", Value: "", Secret: true, Disabled: true},
	}}
	if err := SaveEnvironment(root, env, store); err != nil {
		t.Fatal(err)
	}

	data, err := os.ReadFile(filepath.Join(root, "environments", "Production.yml"))
	if err != nil {
		t.Fatal(err)
	}
	want := "name: Production\nvariables:\n  - name: base_url\n    value: https://api.example.com\n  - secret: true\n    name: api_key\n  - secret: true\n    name: old_key\n    disabled: true\n"
	if string(data) != want {
		t.Errorf("environment file:\n%s\nwant:\n%s", data, want)
	}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(p); strings.Contains(string(b), secretValue) {
				t.Errorf("secret written into %s", p)
			}
		}
		return nil
	})

	fi, err := os.Stat(storePath)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("store mode %v", fi.Mode().Perm())
	}
	var raw secretFile
	b, _ := os.ReadFile(storePath)
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	if got := raw.Collections[root]["Production"]["api_key"]; got != secretValue {
		t.Errorf("store holds %q under %q: %s", got, root, b)
	}

	// Load leaves secrets empty; LoadEnvironment and Fill merge them back,
	// also through a store opened afresh and a root spelled differently.
	c, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	if v := envVar(c.Environments, "Production", "api_key"); v.Value != "" || !v.Secret {
		t.Errorf("Load: %+v", v)
	}
	store2, err := OpenSecretStore(storePath)
	if err != nil {
		t.Fatal(err)
	}
	store2.Fill(c)
	if v := envVar(c.Environments, "Production", "api_key"); v.Value != secretValue {
		t.Errorf("Fill: %+v", v)
	}
	got, err := LoadEnvironment(filepath.Join(root, "Payments", ".."), "Production", store2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, env) {
		t.Errorf("LoadEnvironment:\n%+v\nwant\n%+v", got, env)
	}

	// Export leaves secrets out unless asked.
	out, _ := ExportEnvironment(got, false)
	if strings.Contains(string(out), secretValue) {
		t.Errorf("export without secrets:\n%s", out)
	}
	out, _ = ExportEnvironment(got, true)
	if !strings.Contains(string(out), "  - secret: true\n    name: api_key\n    value: "+secretValue+"\n") {
		t.Errorf("export with secrets:\n%s", out)
	}

	// Making the variable plain removes it from the store.
	env.Vars[1].Secret = false
	env.Vars = env.Vars[:2]
	if err := SaveEnvironment(root, env, store); err != nil {
		t.Fatal(err)
	}
	if s3, err := OpenSecretStore(storePath); err != nil {
		t.Fatal(err)
	} else if v, ok := s3.Get(root, "Production", "api_key"); ok {
		t.Errorf("secret still stored after it became plain: %q", v)
	}

	// Without a store, secret values cannot be saved.
	env.Vars[1].Secret = true
	if err := SaveEnvironment(root, env, nil); err == nil {
		t.Error("saved a secret value without a store")
	}
	if err := DeleteEnvironment(root, "Production", store); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadEnvironment(root, "Production", store); err == nil {
		t.Error("deleted environment still loads")
	}
}

// Saving an environment Bruno wrote keeps its other keys and, unchanged,
// its bytes.
func TestSaveEnvironmentKeepsBrunoKeys(t *testing.T) {
	root := copyTestdata(t)
	store, _ := OpenSecretStore(filepath.Join(t.TempDir(), "s.json"))
	for _, name := range []string{"Local", "Staging"} {
		p := filepath.Join(root, "environments", name+".yml")
		orig, _ := os.ReadFile(p)
		env, err := LoadEnvironment(root, name, store)
		if err != nil {
			t.Fatal(err)
		}
		if err := SaveEnvironment(root, env, store); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(p)
		if name == "Local" && string(got) != string(orig) {
			t.Errorf("%s rewritten:\n%s", name, got)
		}
		if name == "Staging" && !strings.Contains(string(got), "color: \"#f59e0b\"") {
			t.Errorf("%s lost its color:\n%s", name, got)
		}
	}
}

func envVar(envs []requester.Environment, env, name string) requester.Var {
	for _, e := range envs {
		if e.Name == env {
			for _, v := range e.Vars {
				if v.Name == name {
					return v
				}
			}
		}
	}
	return requester.Var{}
}

func TestResolve(t *testing.T) {
	c := &Collection{
		Vars: []requester.Var{{Name: "a", Value: "coll"}, {Name: "b", Value: "coll"}, {Name: "off", Value: "x", Disabled: true}},
		Environments: []requester.Environment{
			{Name: "Local", Vars: []requester.Var{{Name: "b", Value: "env"}, {Name: "c", Value: "env"}, {Name: "a", Value: "env-off", Disabled: true}, {Name: "secret", Secret: true}}},
			{Name: "Other", Vars: []requester.Var{{Name: "a", Value: "other"}}},
		},
	}
	got := Resolve(c, "Local", map[string]string{"c": "override"}, requester.Vars{"a": "builtin", "webhook_url": "http://127.0.0.1:8088/", "secret": "builtin"})
	want := requester.Vars{"a": "coll", "b": "env", "c": "override", "webhook_url": "http://127.0.0.1:8088/", "secret": "builtin"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := Resolve(nil, "", nil, requester.Vars{"x": "1"}); !reflect.DeepEqual(got, requester.Vars{"x": "1"}) {
		t.Errorf("nil collection: %v", got)
	}
}
