package requester

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// digestAuth holds expanded digest credentials; the Authorization header is
// computed in the transport from the server's challenge.
type digestAuth struct {
	username, password string
}

// applyAuth adds the credentials of a to p's header and u's query; see Auth
// for which wins over header rows.
func applyAuth(p *Prepared, u *url.URL, a Auth, vars Vars) error {
	var vals [2]string
	for i, s := range authFields(a) {
		v, err := expandIn(s, vars, "auth")
		if err != nil {
			return err
		}
		vals[i] = v
	}
	switch a.Kind {
	case AuthNone:
	case AuthBasic:
		cred := base64.StdEncoding.EncodeToString([]byte(vals[0] + ":" + vals[1]))
		p.Header.Set("Authorization", "Basic "+cred)
	case AuthBearer:
		if vals[0] != "" {
			p.Header.Set("Authorization", "Bearer "+vals[0])
		}
	case AuthAPIKey:
		key, value := strings.TrimSpace(vals[0]), vals[1]
		switch {
		case key == "":
		case a.InQuery:
			pair := url.QueryEscape(key) + "=" + url.QueryEscape(value)
			if u.RawQuery != "" {
				pair = u.RawQuery + "&" + pair
			}
			u.RawQuery = pair
		default:
			// On the wire as written (x-api-key stays x-api-key), after
			// the rows unless a row of that name came first.
			p.Header.Set(key, value)
			if !slices.ContainsFunc(p.Names, func(n string) bool { return strings.EqualFold(n, key) }) {
				p.Names = append(p.Names, key)
			}
		}
	case AuthDigest:
		p.Header.Del("Authorization")
		p.digest = &digestAuth{vals[0], vals[1]}
	default:
		return fmt.Errorf("unknown auth kind %q", a.Kind)
	}
	return nil
}

// authFields are the fields of a that its kind uses.
func authFields(a Auth) []string {
	switch a.Kind {
	case AuthBasic, AuthDigest:
		return []string{a.Username, a.Password}
	case AuthBearer:
		return []string{a.Token}
	case AuthAPIKey:
		return []string{a.Key, a.Value}
	}
	return nil
}
