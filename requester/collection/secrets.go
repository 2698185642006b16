package collection

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"hooklab/requester"
)

// SecretStore keeps the values of secret environment variables outside the
// collection, in one JSON file (mode 0600, written atomically), keyed by
// collection root (absolute, cleaned), environment name and variable name.
// It is safe for concurrent use.
type SecretStore struct {
	path string
	mu   sync.Mutex
	data secretFile
}

type secretFile struct {
	Version int `json:"version"`
	// root → environment → variable → value
	Collections map[string]map[string]map[string]string `json:"collections"`
}

// OpenSecretStore reads the store at path; a missing file is an empty store.
func OpenSecretStore(path string) (*SecretStore, error) {
	s := &SecretStore{path: path}
	if err := s.read(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *SecretStore) read() error {
	s.data = secretFile{Version: 1}
	data, err := os.ReadFile(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, &s.data); err != nil {
		return fmt.Errorf("secret store %s: %w", s.path, err)
	}
	return nil
}

func storeKey(root string) string {
	if abs, err := filepath.Abs(root); err == nil {
		return abs
	}
	return filepath.Clean(root)
}

// Get returns the stored value of variable name of environment env.
func (s *SecretStore) Get(root, env, name string) (string, bool) {
	if s == nil {
		return "", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.data.Collections[storeKey(root)][env][name]
	return v, ok
}

// SetEnvironment replaces the stored values of environment env (none
// removes it) and writes the store. It rereads the file first, so values
// another process saved for other environments are kept.
func (s *SecretStore) SetEnvironment(root, env string, values map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.read(); err != nil {
		return err
	}
	key := storeKey(root)
	if s.data.Collections == nil {
		s.data.Collections = map[string]map[string]map[string]string{}
	}
	envs := s.data.Collections[key]
	if len(values) == 0 {
		delete(envs, env)
	} else {
		if envs == nil {
			envs = map[string]map[string]string{}
			s.data.Collections[key] = envs
		}
		cp := make(map[string]string, len(values))
		for k, v := range values {
			cp[k] = v
		}
		envs[env] = cp
	}
	if len(envs) == 0 {
		delete(s.data.Collections, key)
	}
	data, err := json.MarshalIndent(s.data, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return err
	}
	return WriteAtomic(s.path, append(data, '\n'), 0o600)
}

// Fill puts the stored secret values into the environments of c.
func (s *SecretStore) Fill(c *Collection) {
	for i := range c.Environments {
		s.fill(c.Root, &c.Environments[i])
	}
}

func (s *SecretStore) fill(root string, env *requester.Environment) {
	if s == nil {
		return
	}
	for i, v := range env.Vars {
		if !v.Secret {
			continue
		}
		if val, ok := s.Get(root, env.Name, v.Name); ok {
			env.Vars[i].Value = val
		}
	}
}
