package curl

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"hooklab/requester"
)

type (
	rq = requester.Request
	hd = requester.Header
	pm = requester.Param
	pt = requester.Part
)

// noFollow is curl's default: redirects are followed only with -L.
var noFollow = requester.Options{NoRedirects: true}

// parseTests are commands as documentation, browsers and people write
// them; FuzzParse starts from them too.
var parseTests = []struct {
	name  string
	cmd   string
	want  rq
	warns []string
}{{
	name: "stripe",
	cmd: "curl https://api.stripe.com/v1/charges \\\n" +
		"  -u sk_test_123: \\\n" +
		"  -d amount=2000 \\\n" +
		"  -d currency=usd",
	want: rq{
		Method: "POST", URL: "https://api.stripe.com/v1/charges",
		Body:    requester.Body{Kind: requester.BodyForm, Form: []pm{{Name: "amount", Value: "2000"}, {Name: "currency", Value: "usd"}}},
		Auth:    requester.Auth{Kind: requester.AuthBasic, Username: "sk_test_123"},
		Options: noFollow,
	},
}, {
	name: "github, JSON without a Content-Type is sent as a form type by curl",
	cmd: `curl -L \
  -X POST \
  -H "Accept: application/vnd.github+json" \
  -H "Authorization: Bearer <YOUR-TOKEN>" \
  -H "X-GitHub-Api-Version: 2022-11-28" \
  https://api.github.com/repos/OWNER/REPO/hooks \
  -d '{"name":"web","active":true,"events":["push","pull_request"],"config":{"url":"https://example.com/webhook","content_type":"json","insecure_ssl":"0"}}'`,
	want: rq{
		Method: "POST", URL: "https://api.github.com/repos/OWNER/REPO/hooks",
		Headers: []hd{
			{Name: "Accept", Value: "application/vnd.github+json"},
			{Name: "Authorization", Value: "Bearer <YOUR-TOKEN>"},
			{Name: "X-GitHub-Api-Version", Value: "2022-11-28"},
			{Name: "Content-Type", Value: "application/x-www-form-urlencoded"},
		},
		Body: requester.Body{Kind: requester.BodyText, Text: `{"name":"web","active":true,"events":["push","pull_request"],"config":{"url":"https://example.com/webhook","content_type":"json","insecure_ssl":"0"}}`},
	},
	warns: []string{"the data looks like JSON, but without -H 'Content-Type: application/json' curl sends it as application/x-www-form-urlencoded; kept that way"},
}, {
	name: "slack, --data-urlencode",
	cmd: `curl -X POST https://slack.com/api/chat.postMessage \
  -H "Authorization: Bearer xoxb-123" \
  --data-urlencode "channel=C123ABC456" \
  --data-urlencode "text=Hello, world! :tada: 50% off"`,
	want: rq{
		Method: "POST", URL: "https://slack.com/api/chat.postMessage",
		Headers: []hd{{Name: "Authorization", Value: "Bearer xoxb-123"}},
		Body: requester.Body{Kind: requester.BodyForm, Form: []pm{
			{Name: "channel", Value: "C123ABC456"},
			{Name: "text", Value: "Hello, world! :tada: 50% off"},
		}},
		Options: noFollow,
	},
}, {
	name: "twilio, shell variables kept",
	cmd: `curl -X POST "https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json" \
--data-urlencode "Body=Hi there" \
--data-urlencode "From=+15557122661" \
--data-urlencode "To=+15558675310" \
-u $TWILIO_ACCOUNT_SID:${TWILIO_AUTH_TOKEN}`,
	want: rq{
		Method: "POST", URL: "https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json",
		Body: requester.Body{Kind: requester.BodyForm, Form: []pm{
			{Name: "Body", Value: "Hi there"}, {Name: "From", Value: "+15557122661"}, {Name: "To", Value: "+15558675310"},
		}},
		Auth:    requester.Auth{Kind: requester.AuthBasic, Username: "$TWILIO_ACCOUNT_SID", Password: "${TWILIO_AUTH_TOKEN}"},
		Options: noFollow,
	},
	warns: []string{
		"shell variable $TWILIO_ACCOUNT_SID left as literal text",
		"shell variable ${TWILIO_AUTH_TOKEN} left as literal text",
	},
}, {
	name: "chrome copy as cURL (bash)",
	cmd: `curl 'https://shop.example.com/api/cart?id=42&utm_source' \
  -H 'accept: application/json, text/plain, */*' \
  -H 'accept-language: en-US,en;q=0.9' \
  -H 'content-type: application/json' \
  -b 'session=abc123; theme=dark' \
  -H 'origin: https://shop.example.com' \
  -H $'user-agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0.0.0 Safari/537.36' \
  --data-raw $'{"note":"it\'s \\"fine\\"","emoji":"\ud83d\ude00","tab":"\t","line":"a\\nb"}' \
  --compressed`,
	want: rq{
		Method: "POST", URL: "https://shop.example.com/api/cart?id=42&utm_source",
		Params: []pm{{Name: "id", Value: "42"}, {Name: "utm_source"}},
		Headers: []hd{
			{Name: "accept", Value: "application/json, text/plain, */*"},
			{Name: "accept-language", Value: "en-US,en;q=0.9"},
			{Name: "content-type", Value: "application/json"},
			{Name: "Cookie", Value: "session=abc123; theme=dark"},
			{Name: "origin", Value: "https://shop.example.com"},
			{Name: "user-agent", Value: "Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0.0.0 Safari/537.36"},
			{Name: "Accept-Encoding", Value: requester.AcceptEncodingCurl}, // --compressed
		},
		Body:    requester.Body{Kind: requester.BodyJSON, Text: "{\"note\":\"it's \\\"fine\\\"\",\"emoji\":\"😀\",\"tab\":\"\t\",\"line\":\"a\\nb\"}"},
		Options: noFollow,
	},
}, {
	name: "chrome copy as cURL (cmd), CRLF",
	cmd: "curl ^\"https://shop.example.com/api/cart?id=42^&utm_source^\" ^\r\n" +
		"  -H ^\"accept: application/json^\" ^\r\n" +
		"  -H ^\"content-type: application/json^\" ^\r\n" +
		"  -b ^\"session=abc123; theme=dark^\" ^\r\n" +
		"  --data-raw ^\"^{^\\^\"note^\\^\":^\\^\"50^% off ^^ ^%^PATH^%^\\^\",^\\^\"n^\\^\":^\\^\"a^\r\n\r\nb^\\^\"^}^\" ^\r\n" +
		"  --compressed\r\n",
	want: rq{
		Method: "POST", URL: "https://shop.example.com/api/cart?id=42&utm_source",
		Params: []pm{{Name: "id", Value: "42"}, {Name: "utm_source"}},
		Headers: []hd{
			{Name: "accept", Value: "application/json"},
			{Name: "content-type", Value: "application/json"},
			{Name: "Cookie", Value: "session=abc123; theme=dark"},
			{Name: "Accept-Encoding", Value: requester.AcceptEncodingCurl}, // --compressed
		},
		Body:    requester.Body{Kind: requester.BodyJSON, Text: "{\"note\":\"50% off ^ %PATH%\",\"n\":\"a\nb\"}"},
		Options: noFollow,
	},
}, {
	name: "curl docs for Windows: ^ lines, \\\" inside quotes, curl.exe",
	cmd: "curl.exe -X POST ^\n" +
		"  -H \"Content-Type: application/json\" ^\n" +
		"  -d \"{\\\"event\\\":\\\"ping\\\",\\\"path\\\":\\\"C:\\\\temp\\\"}\" ^\n" +
		"  https://hooks.example.com/in",
	want: rq{
		Method: "POST", URL: "https://hooks.example.com/in",
		Headers: []hd{{Name: "Content-Type", Value: "application/json"}},
		Body:    requester.Body{Kind: requester.BodyJSON, Text: `{"event":"ping","path":"C:\\temp"}`},
		Options: noFollow,
	},
}, {
	name: "multipart with a file, a type, a text field and a field from a file",
	cmd:  `curl -F file=@/tmp/a.png\;type=image/png -F 'note=hello world' -F 'doc=<notes.txt' --form-string 'raw=@not-a-file;x' https://upload.example.com/files`,
	want: rq{
		Method: "POST", URL: "https://upload.example.com/files",
		Body: requester.Body{Kind: requester.BodyMultipart, Parts: []pt{
			{Name: "file", File: "/tmp/a.png", ContentType: "image/png"},
			{Name: "note", Value: "hello world"},
			{Name: "doc", File: "notes.txt"},
			{Name: "raw", Value: "@not-a-file;x"},
		}},
		Options: noFollow,
	},
	warns: []string{"-F doc=<notes.txt reads a text field from a file; imported as a file upload"},
}, {
	name: "--json",
	cmd:  `curl --json '{"a":1}' --json ',"b":2}' https://x.test/items`,
	want: rq{
		Method: "POST", URL: "https://x.test/items",
		Headers: []hd{{Name: "Content-Type", Value: "application/json"}, {Name: "Accept", Value: "application/json"}},
		Body:    requester.Body{Kind: requester.BodyJSON, Text: `{"a":1},"b":2}`},
		Options: noFollow,
	},
}, {
	name: "--json from a file keeps a user Accept",
	cmd:  `curl --json @body.json -H 'Accept: application/vnd.api+json' https://x.test/items`,
	want: rq{
		Method: "POST", URL: "https://x.test/items",
		Headers: []hd{{Name: "Accept", Value: "application/vnd.api+json"}, {Name: "Content-Type", Value: "application/json"}},
		Body:    requester.Body{Kind: requester.BodyFile, File: "body.json"},
		Options: noFollow,
	},
}, {
	name: "-G moves data into the query",
	cmd:  `curl -G https://api.example.com/search?x -d q=1 --data-urlencode 'lang=en us' --url-query +raw=%41`,
	want: rq{
		Method: "GET", URL: "https://api.example.com/search?x&q=1&lang=en+us&raw=%41",
		Params:  []pm{{Name: "x"}, {Name: "q", Value: "1"}, {Name: "lang", Value: "en+us"}, {Name: "raw", Value: "%41"}},
		Options: noFollow,
	},
}, {
	name: "combined short options and attached values",
	cmd:  `$ curl -sSLk -XPUT -d@payload.json -Hfoo:bar -m2.5 localhost:8080/hook`,
	want: rq{
		Method: "PUT", URL: "http://localhost:8080/hook",
		Headers: []hd{{Name: "foo", Value: "bar"}},
		Body:    requester.Body{Kind: requester.BodyFile, File: "payload.json"},
		Options: requester.Options{Insecure: true, Timeout: 2500 * time.Millisecond},
	},
	warns: []string{"curl -d @payload.json strips the file's newlines; Hooklab sends the file as it is (like --data-binary)"},
}, {
	name: "unknown and unsupported options are warned about, output options are not",
	cmd:  `curl --foo bar --data=x -W --connect-timeout 5 -o out.json -w '%{http_code}' -v -i --fail https://x.test --new-thing`,
	want: rq{Method: "GET", URL: "https://x.test", Options: noFollow},
	warns: []string{
		"unknown option --foo ignored",
		"unknown option --data=x ignored (curl takes the value as the next argument)",
		"unknown option -W ignored",
		"option --connect-timeout is not supported and was ignored",
		"unknown option --new-thing ignored",
		"bar, after an unknown option, was taken as its value and ignored",
	},
}, {
	name: "headers: empty, removed, user agent, referer; cookie file",
	cmd:  `curl -H 'X-Empty;' -H 'Accept:' -A '' -e 'https://ref.example/;auto' -b cookies.txt -H noColon https://x.test`,
	want: rq{
		Method: "GET", URL: "https://x.test",
		Headers: []hd{
			{Name: "X-Empty"},
			{Name: "Accept", Disabled: true},
			{Name: "User-Agent"},
			{Name: "Referer", Value: "https://ref.example/"},
		},
		Options: noFollow,
	},
	warns: []string{
		"cookie file cookies.txt ignored (-b without = reads cookies from a file)",
		`header "noColon" is not Name: value and was ignored`,
	},
}, {
	name: "transport options",
	cmd:  `curl --digest -u 'user:p@ss:word' -L --max-redirs 3 -k -m 30 -x proxy.local:3128 --cacert ca.pem --cert 'client.pem:secret' --key key.pem -I https://x.test`,
	want: rq{
		Method: "HEAD", URL: "https://x.test",
		Auth: requester.Auth{Kind: requester.AuthDigest, Username: "user", Password: "p@ss:word"},
		Options: requester.Options{
			MaxRedirects: 3, Insecure: true, Timeout: 30 * time.Second, Proxy: "http://proxy.local:3128",
			CACert: "ca.pem", ClientCert: "client.pem", ClientKey: "key.pem",
		},
	},
	warns: []string{"the password given with --cert is not supported and was left out"},
}, {
	name: "pipes, extra URLs, --oauth2-bearer, upload",
	cmd:  "curl -T report.csv --oauth2-bearer tok https://up.example/files/ https://other.example | jq .\n",
	want: rq{
		Method: "PUT", URL: "https://up.example/files/report.csv",
		Body:    requester.Body{Kind: requester.BodyFile, File: "report.csv"},
		Auth:    requester.Auth{Kind: requester.AuthBearer, Token: "tok"},
		Options: noFollow,
	},
	warns: []string{
		"only the first command was imported; | and what follows were ignored",
		"the command has 2 URLs; only https://up.example/files/ was imported, not ‘https://other.example’",
	},
}, {
	name: "unquoted & ends the command; trailing spaces after a backslash",
	cmd:  "curl https://x.test/?a=1&b=2",
	want: rq{Method: "GET", URL: "https://x.test/?a=1", Params: []pm{{Name: "a", Value: "1"}}, Options: noFollow},
	warns: []string{
		"an unquoted & ended the command and the rest was ignored; quote the URL if it contains &",
	},
}, {
	name: "spaces after a line-end backslash",
	cmd:  "curl https://x.test \\  \n  -X DELETE",
	want: rq{Method: "DELETE", URL: "https://x.test", Options: noFollow},
	warns: []string{
		`spaces after a \ at the end of a line were removed`,
	},
}, {
	name: "form data that would not re-encode the same stays text",
	cmd:  `curl -d 'a=%20x' -d 'flag' -d '=nameless' https://x.test`,
	want: rq{
		Method: "POST", URL: "https://x.test",
		Headers: []hd{{Name: "Content-Type", Value: "application/x-www-form-urlencoded"}},
		Body:    requester.Body{Kind: requester.BodyText, Text: "a=%20x&flag&=nameless"},
		Options: noFollow,
	},
}, {
	name: "form rows decode +, %XX and keep {{variables}}",
	cmd:  `curl -H 'Content-Type: application/x-www-form-urlencoded; charset=UTF-8' -d 'q=a+b%26c&token={{token}}' https://x.test`,
	want: rq{
		Method: "POST", URL: "https://x.test",
		Headers: []hd{{Name: "Content-Type", Value: "application/x-www-form-urlencoded; charset=UTF-8"}},
		Body:    requester.Body{Kind: requester.BodyForm, Form: []pm{{Name: "q", Value: "a b&c"}, {Name: "token", Value: "{{token}}"}}},
		Options: noFollow,
	},
}, {
	name: "xml and other types",
	cmd:  `curl -H 'Content-Type: text/xml' --data-binary '<a/>' '{{base}}/soap'`,
	want: rq{
		Method: "POST", URL: "{{base}}/soap",
		Headers: []hd{{Name: "Content-Type", Value: "text/xml"}},
		Body:    requester.Body{Kind: requester.BodyXML, Text: "<a/>"},
		Options: noFollow,
	},
}, {
	name: "-- ends options; -X after the URL; empty data is no body",
	cmd:  `curl -d '' -X PATCH -- -weird.example`,
	want: rq{Method: "PATCH", URL: "http://-weird.example", Options: noFollow},
}, {
	name:  "a word after an unknown option is the URL when there is no other",
	cmd:   `curl --brand-new https://x.test`,
	want:  rq{Method: "GET", URL: "https://x.test", Options: noFollow},
	warns: []string{"unknown option --brand-new ignored"},
}}

func TestParseDocumentationStyles(t *testing.T) {
	for _, tt := range parseTests {
		t.Run(tt.name, func(t *testing.T) {
			got, warns, err := Parse(tt.cmd)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("request differs:\n%s", diff(got, tt.want))
			}
			if !reflect.DeepEqual(warns, tt.warns) {
				t.Errorf("warnings:\n got %q\nwant %q", warns, tt.warns)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		cmd  string
		want string
	}{
		{"curl -H 'Accept: json \\\n  https://x.test", "line 1, column 9: unterminated single quote (')"},
		{"curl ^\n  -d \"abc ^\n  https://x.test", `line 2, column 6: unterminated double quote (")`},
		{`curl https://x.test -H`, "option -H (line 1, column 21) needs a value, but the command ends after it"},
		{`curl https://x.test -sSX`, "option -X (line 1, column 21) needs a value, but the command ends after it"},
		{`wget https://x.test`, `not a curl command: it starts with "wget"`},
		{`http POST https://x.test a=1`, `not a curl command: it starts with "http"`},
		{" \n ", "the command is empty"},
		{`curl -sS -H 'Accept: */*'`, "no URL found in the command"},
		{`curl -d a=1 -F b=2 https://x.test`, "the command mixes -d/--data with -F/--form, which curl refuses too"},
		{`curl -F novalue https://x.test`, `option -F needs name=content, not "novalue"`},
		{`curl -m soon https://x.test`, `option -m needs a number of seconds, not "soon"`},
	}
	for _, tt := range tests {
		_, _, err := Parse(tt.cmd)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q) error = %v, want %q", tt.cmd, err, tt.want)
		}
	}
	_, _, err := Parse("curl 'x")
	var se *SyntaxError
	if !errors.As(err, &se) || se.Line != 1 || se.Col != 6 {
		t.Errorf("unterminated quote: got %#v, want a *SyntaxError at 1:6", err)
	}
}

func TestGenerate(t *testing.T) {
	r := rq{
		Method: "POST", URL: "https://api.example.com/v1/items?sort=asc",
		Headers: []hd{
			{Name: "Accept", Value: "application/json"},
			{Name: "X-Off", Value: "1", Disabled: true},
			{Name: "X-Note", Value: "it's {{note}}"},
		},
		Body:    requester.Body{Kind: requester.BodyJSON, Text: `{"name":"O'Brien"}`},
		Auth:    requester.Auth{Kind: requester.AuthBasic, Username: "user", Password: "s3cret"},
		Options: requester.Options{Insecure: true, Timeout: 1500 * time.Millisecond, MaxRedirects: 5},
	}
	want := `curl 'https://api.example.com/v1/items?sort=asc' \
  -H 'Accept: application/json' \
  -H 'X-Note: it'\''s {{note}}' \
  -H 'Content-Type: application/json' \
  -u user:s3cret \
  --data-raw '{"name":"O'\''Brien"}' \
  -L \
  --max-redirs 5 \
  -k \
  -m 1.5`
	if got := Generate(r); got != want {
		t.Errorf("Generate:\n%s\nwant:\n%s", got, want)
	}
	if got, want := Generate(rq{URL: "https://x.test"}), "curl https://x.test \\\n  -L"; got != want {
		t.Errorf("Generate(GET) = %q, want %q", got, want)
	}
}

func TestGenerateRoundTrip(t *testing.T) {
	opts := requester.Options{
		Timeout: 1234567891 * time.Nanosecond, MaxRedirects: 4, Insecure: true,
		CACert: "/etc/ca file.pem", ClientCert: `C:\certs\my:cert.pem`, ClientKey: "key.pem", Proxy: "socks5://127.0.0.1:1080",
	}
	jsonCT := hd{Name: "Content-Type", Value: "application/json"}
	tests := []struct {
		name string
		in   rq
		want rq // zero: the same as in
	}{
		{name: "plain GET", in: rq{Method: "GET", URL: "https://x.test/a?b=1&c", Params: []pm{{Name: "b", Value: "1"}, {Name: "c"}}}},
		{name: "HEAD", in: rq{Method: "HEAD", URL: "https://x.test", Options: noFollow}},
		{name: "custom method", in: rq{Method: "PURGE", URL: "https://x.test/cache", Options: opts}},
		{name: "GET with a body", in: rq{Method: "GET", URL: "https://x.test", Headers: []hd{jsonCT}, Body: requester.Body{Kind: requester.BodyJSON, Text: `{"q":1}`}}},
		{
			name: "json gets its Content-Type",
			in:   rq{Method: "POST", URL: "https://x.test", Body: requester.Body{Kind: requester.BodyJSON, Text: "{\n  \"a\": \"it's\"\n}"}},
			want: rq{Method: "POST", URL: "https://x.test", Headers: []hd{jsonCT}, Body: requester.Body{Kind: requester.BodyJSON, Text: "{\n  \"a\": \"it's\"\n}"}},
		},
		{
			name: "xml",
			in:   rq{Method: "PUT", URL: "https://x.test", Headers: []hd{{Name: "Content-Type", Value: "application/xml"}}, Body: requester.Body{Kind: requester.BodyXML, Text: "<a b='1'/>"}},
		},
		{
			name: "text",
			in:   rq{Method: "POST", URL: "https://x.test", Headers: []hd{{Name: "Content-Type", Value: "text/plain; charset=utf-8"}}, Body: requester.Body{Kind: requester.BodyText, Text: "@not a file $HOME `x`"}},
		},
		{
			name: "form with characters to encode and a variable",
			in: rq{Method: "POST", URL: "https://x.test", Body: requester.Body{Kind: requester.BodyForm, Form: []pm{
				{Name: "amount", Value: "2000"}, {Name: "note", Value: "a&b=c d+é@'"}, {Name: "skip", Value: "x", Disabled: true},
				{Name: "@name", Value: "{{token}}"}, {Name: " ", Value: "not sent"},
			}}},
			want: rq{Method: "POST", URL: "https://x.test", Body: requester.Body{Kind: requester.BodyForm, Form: []pm{
				{Name: "amount", Value: "2000"}, {Name: "note", Value: "a&b=c d+é@'"}, {Name: "@name", Value: "{{token}}"},
			}}},
		},
		{
			name: "multipart",
			in: rq{Method: "POST", URL: "https://x.test", Body: requester.Body{Kind: requester.BodyMultipart, Parts: []pt{
				{Name: "file", File: "/tmp/a b;c,d.png", ContentType: "image/png"},
				{Name: "plain", Value: "hello"},
				{Name: "typed", Value: ` "quoted"; and spaces `, ContentType: "text/plain; charset=utf-8"},
				{Name: "at", Value: "@literal"},
				{Name: "lt", Value: "<literal"},
				{Name: "doc", File: `C:\docs\"q".txt`},
			}}},
			// A file part without a type gets the one Hooklab sends, written
			// out where curl would send another.
			want: rq{Method: "POST", URL: "https://x.test", Body: requester.Body{Kind: requester.BodyMultipart, Parts: []pt{
				{Name: "file", File: "/tmp/a b;c,d.png", ContentType: "image/png"},
				{Name: "plain", Value: "hello"},
				{Name: "typed", Value: ` "quoted"; and spaces `, ContentType: "text/plain; charset=utf-8"},
				{Name: "at", Value: "@literal"},
				{Name: "lt", Value: "<literal"},
				{Name: "doc", File: `C:\docs\"q".txt`, ContentType: typeByExtension("q.txt")},
			}}},
		},
		{
			name: "file gets the requester's type",
			in:   rq{Method: "POST", URL: "https://x.test", Body: requester.Body{Kind: requester.BodyFile, File: "/tmp/event.json"}},
			want: rq{Method: "POST", URL: "https://x.test", Headers: []hd{jsonCT}, Body: requester.Body{Kind: requester.BodyFile, File: "/tmp/event.json"}},
		},
		{
			name: "graphql becomes JSON",
			in: rq{Method: "POST", URL: "https://x.test/graphql", Body: requester.Body{Kind: requester.BodyGraphQL, GraphQL: requester.GraphQL{
				Query: "query($id: ID!) { node(id: $id) { id } }", Variables: `{"id": "{{id}}"}`,
			}}},
			want: rq{Method: "POST", URL: "https://x.test/graphql", Headers: []hd{jsonCT}, Body: requester.Body{
				Kind: requester.BodyJSON, Text: `{"query":"query($id: ID!) { node(id: $id) { id } }","variables":{"id":"{{id}}"}}`,
			}},
		},
		{
			name: "basic replaces an Authorization row",
			in:   rq{Method: "GET", URL: "https://x.test", Headers: []hd{{Name: "authorization", Value: "x"}}, Auth: requester.Auth{Kind: requester.AuthBasic, Username: "u", Password: "p:w 'q'"}},
			want: rq{Method: "GET", URL: "https://x.test", Auth: requester.Auth{Kind: requester.AuthBasic, Username: "u", Password: "p:w 'q'"}},
		},
		{
			name: "basic with a colon in the user",
			in:   rq{Method: "GET", URL: "https://x.test", Auth: requester.Auth{Kind: requester.AuthBasic, Username: "a:b", Password: "c"}},
			want: rq{Method: "GET", URL: "https://x.test", Headers: []hd{{Name: "Authorization", Value: "Basic YTpiOmM="}}},
		},
		{name: "digest", in: rq{Method: "GET", URL: "https://x.test", Auth: requester.Auth{Kind: requester.AuthDigest, Username: "u", Password: "p"}}},
		{
			name: "bearer",
			in:   rq{Method: "GET", URL: "https://x.test", Auth: requester.Auth{Kind: requester.AuthBearer, Token: "{{token}}"}},
			want: rq{Method: "GET", URL: "https://x.test", Headers: []hd{{Name: "Authorization", Value: "Bearer {{token}}"}}},
		},
		{
			name: "api key header",
			in:   rq{Method: "GET", URL: "https://x.test", Auth: requester.Auth{Kind: requester.AuthAPIKey, Key: "X-Api-Key", Value: "k"}},
			want: rq{Method: "GET", URL: "https://x.test", Headers: []hd{{Name: "X-Api-Key", Value: "k"}}},
		},
		{
			name: "api key in the query",
			in:   rq{Method: "GET", URL: "https://x.test/?a=1#top", Auth: requester.Auth{Kind: requester.AuthAPIKey, Key: "api key", Value: "k&v", InQuery: true}},
			want: rq{Method: "GET", URL: "https://x.test/?a=1&api+key=k%26v#top", Params: []pm{{Name: "a", Value: "1"}, {Name: "api+key", Value: "k%26v"}}},
		},
		{
			name: "empty user agent and header, cookie",
			in:   rq{Method: "GET", URL: "https://x.test", Headers: []hd{{Name: "User-Agent"}, {Name: "X-Empty"}, {Name: "Cookie", Value: "a=1; b=2"}}},
		},
		{
			name: "URL that looks like an option",
			in:   rq{Method: "GET", URL: "-x.test", Options: noFollow},
			want: rq{Method: "GET", URL: "http://-x.test", Options: noFollow},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if want.URL == "" {
				want = tt.in
			}
			cmd := Generate(tt.in)
			got, warns, err := Parse(cmd)
			if err != nil {
				t.Fatalf("Parse(Generate()) of\n%s\n: %v", cmd, err)
			}
			if len(warns) > 0 {
				t.Errorf("warnings for\n%s\n: %q", cmd, warns)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip of\n%s\n%s", cmd, diff(got, want))
			}
		})
	}
}

func TestANSIC(t *testing.T) {
	tests := map[string]string{
		`a\nb\tc\\d\'e\"f\?`: "a\nb\tc\\d'e\"f?",
		`\x41\x4a\x4G\101\7`: "AJ\x04G" + "A\a",
		`\u00e9\U0001F600`:   "é😀",
		`\ud83d\ude00`:       "😀",
		`\ud83d!`:            "\uFFFD!",
		`\e[0m\cA\q`:         "\x1b[0m\x01\\q",
		`before\x00after`:    "before",
		`trailing\`:          `trailing\`,
	}
	for in, want := range tests {
		if got := ansiC(in); got != want {
			t.Errorf("ansiC(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseCert(t *testing.T) {
	tests := []struct{ in, name, pass string }{
		{"client.pem", "client.pem", ""},
		{"client.pem:secret", "client.pem", "secret"},
		{`C:\certs\client.pem:pw`, `C:\certs\client.pem`, "pw"},
		{`my\:cert.pem`, "my:cert.pem", ""},
		{"pkcs11:token=a;object=b", "pkcs11:token=a;object=b", ""},
	}
	for _, tt := range tests {
		name, pass := parseCert(tt.in)
		if name != tt.name || pass != tt.pass {
			t.Errorf("parseCert(%q) = %q, %q; want %q, %q", tt.in, name, pass, tt.name, tt.pass)
		}
		if n, _ := parseCert(escapeCert(tt.name)); n != tt.name {
			t.Errorf("escapeCert(%q) reads back as %q", tt.name, n)
		}
	}
}

// FuzzParse checks that Parse never panics, and that a parsed request
// survives Generate and Parse again.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"curl https://x.test",
		"curl -sSL -XPOST -d a=1 -d b=%20 https://x.test",
		`curl -F 'f=@"a;b",c;type=text/plain; charset=x' -F 'g= v ;filename=x' https://x.test`,
		"curl ^\"https://x.test/^&a^\" ^\n -d ^\"^{^\\^\"a^\\^\":1^}^\"",
		`curl $'\x41\u00e9\'' --json '{}' -G -u a: -b 'c=d' -m 1e-3 --cert 'a\:b:c' -x h:1 https://x.test`,
		"curl -T f -A '' -H 'a:' -H 'b;' -e r;auto --url-query q=1 --max-redirs 0 -L https://x.test/",
		"curl https://x.test | jq .; curl b",
	} {
		f.Add(s)
	}
	for _, tt := range parseTests {
		f.Add(tt.cmd)
	}
	f.Fuzz(func(t *testing.T, cmd string) {
		r, _, err := Parse(cmd)
		if err != nil {
			return
		}
		out := Generate(r)
		r2, _, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Generate(r)) failed: %v\ncommand:\n%s", err, out)
		}
		if want := generated(r); !reflect.DeepEqual(r2, want) {
			t.Fatalf("round trip differs for\n%s\n%s", out, diff(r2, want))
		}
	})
}

// generated is r as Generate writes it: disabled header rows and rows the
// auth replaces dropped, the type of a file body made explicit, and a bearer
// token turned into a header row.
func generated(r rq) rq {
	var headers []hd
	for _, h := range r.Headers {
		if !h.Disabled && (r.Auth.Kind == "" || !strings.EqualFold(h.Name, "Authorization")) {
			headers = append(headers, h)
		}
	}
	if _, set := contentType(headers); r.Body.Kind == requester.BodyFile && !set {
		headers = append(headers, hd{Name: "Content-Type", Value: typeByExtension(r.Body.File)})
	}
	if len(r.Body.Parts) > 0 {
		parts := append([]requester.Part(nil), r.Body.Parts...)
		for i, p := range parts {
			if p.File != "" && p.ContentType == "" {
				parts[i].ContentType = typeByExtension(p.File) // made explicit
			}
		}
		r.Body.Parts = parts
	}
	if r.Auth.Kind == requester.AuthBearer {
		headers = append(headers, hd{Name: "Authorization", Value: strings.TrimSpace("Bearer " + r.Auth.Token)})
		r.Auth = requester.Auth{}
	}
	r.Headers = headers
	return r
}

// diff lists the top-level fields of two requests that differ.
func diff(got, want rq) string {
	var b strings.Builder
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range g.NumField() {
		if !reflect.DeepEqual(g.Field(i).Interface(), w.Field(i).Interface()) {
			fmt.Fprintf(&b, "%s:\n  got  %#v\n  want %#v\n", g.Type().Field(i).Name, g.Field(i).Interface(), w.Field(i).Interface())
		}
	}
	return b.String()
}
