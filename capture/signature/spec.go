package signature

import (
	"fmt"
	"strings"
	"time"
)

// ParseSpec reads a scheme as written on the command line:
//
//	SCHEME[,KEY=VALUE…]:SECRET
//
// such as "stripe:whsec_abc", "github:s3cret",
// "stripe,tolerance=10m:whsec_abc" or
// "hmac,header=X-Sig,alg=sha256,enc=hex,prefix=sha256=:s3cret". Keys:
// tolerance (a Go duration; "off" turns the check off) for every scheme;
// header, alg (sha1, sha256, sha512), enc (hex, base64) and prefix for
// hmac. The secret is everything after the first colon, so it may hold
// colons; option values cannot hold a comma or a colon.
func ParseSpec(spec string) (Config, error) {
	head, secret, ok := strings.Cut(spec, ":")
	if !ok || secret == "" {
		return Config{}, fmt.Errorf("signature %q: want SCHEME[,KEY=VALUE…]:SECRET", redact(spec))
	}
	fields := strings.Split(head, ",")
	c := Config{Scheme: Scheme(strings.ToLower(strings.TrimSpace(fields[0]))), Secret: secret}
	known := false
	for _, s := range Schemes {
		known = known || s == c.Scheme
	}
	if !known {
		return Config{}, fmt.Errorf("signature scheme %q: want one of %s", fields[0], schemeNames())
	}
	for _, f := range fields[1:] {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return Config{}, fmt.Errorf("signature option %q: want KEY=VALUE", f)
		}
		if err := c.setOption(strings.ToLower(strings.TrimSpace(k)), v); err != nil {
			return Config{}, err
		}
	}
	if c.Scheme == HMAC && c.Header == "" {
		return Config{}, fmt.Errorf("signature scheme hmac needs header=NAME")
	}
	if c.Scheme == StandardWebhooks {
		if _, err := StandardKey(secret); err != nil {
			return Config{}, fmt.Errorf("signature scheme standard: %w", err)
		}
	}
	return c, nil
}

func (c *Config) setOption(k, v string) error {
	hmacOnly := func() error {
		if c.Scheme != HMAC {
			return fmt.Errorf("signature option %s is for hmac only", k)
		}
		return nil
	}
	switch k {
	case "tolerance":
		if v == "off" {
			c.Tolerance = -1
			return nil
		}
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("signature tolerance %q: want a duration such as 5m, or off", v)
		}
		c.Tolerance = d
	case "header":
		c.Header = v
		return hmacOnly()
	case "alg":
		if _, ok := hashes[strings.ToLower(v)]; !ok {
			return fmt.Errorf("signature alg %q: want sha1, sha256 or sha512", v)
		}
		c.Alg = strings.ToLower(v)
		return hmacOnly()
	case "enc":
		if v = strings.ToLower(v); v != "hex" && v != "base64" {
			return fmt.Errorf("signature enc %q: want hex or base64", v)
		}
		c.Enc = v
		return hmacOnly()
	case "prefix":
		c.Prefix = v
		return hmacOnly()
	default:
		return fmt.Errorf("signature option %q: want tolerance, header, alg, enc or prefix", k)
	}
	return nil
}

func schemeNames() string {
	names := make([]string, len(Schemes))
	for i, s := range Schemes {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// redact keeps a secret out of an error message.
func redact(spec string) string {
	if head, _, ok := strings.Cut(spec, ":"); ok {
		return head + ":…"
	}
	for _, s := range Schemes {
		if strings.EqualFold(spec, string(s)) {
			return spec
		}
	}
	return "…"
}
