package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"hooklab/capture/signature"
)

// The push scenario: POST /v1/repos/{owner}/{repo}/push answers 202 and
// sends a webhook shaped like GitHub's push event (its headers, its
// payload's main fields), signed as GitHub signs: X-Hub-Signature-256,
// HMAC-SHA256 of the body with the run's secret.

// PushEvent is the body of a push webhook: the fields of GitHub's push
// payload that receivers use.
type PushEvent struct {
	Ref        string       `json:"ref"`
	Before     string       `json:"before"`
	After      string       `json:"after"`
	Created    bool         `json:"created"`
	Deleted    bool         `json:"deleted"`
	Forced     bool         `json:"forced"`
	Compare    string       `json:"compare"`
	Commits    []PushCommit `json:"commits"`
	HeadCommit PushCommit   `json:"head_commit"`
	Repository PushRepo     `json:"repository"`
	Pusher     PushPerson   `json:"pusher"`
	Sender     struct {
		Login string `json:"login"`
		Type  string `json:"type"`
	} `json:"sender"`
}

// PushCommit is one commit of a push.
type PushCommit struct {
	ID        string     `json:"id"`
	TreeID    string     `json:"tree_id"`
	Distinct  bool       `json:"distinct"`
	Message   string     `json:"message"`
	Timestamp string     `json:"timestamp"`
	URL       string     `json:"url"`
	Author    PushPerson `json:"author"`
	Committer PushPerson `json:"committer"`
	Added     []string   `json:"added"`
	Removed   []string   `json:"removed"`
	Modified  []string   `json:"modified"`
}

// PushRepo is the repository of a push.
type PushRepo struct {
	Name     string `json:"name"`
	FullName string `json:"full_name"`
	Private  bool   `json:"private"`
	Owner    struct {
		Name  string `json:"name"`
		Login string `json:"login"`
	} `json:"owner"`
	HTMLURL       string `json:"html_url"`
	DefaultBranch string `json:"default_branch"`
}

// PushPerson is a pusher, author or committer.
type PushPerson struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Username string `json:"username,omitempty"`
}

// pushAccepted is what POST /v1/repos/{owner}/{repo}/push answers.
type pushAccepted struct {
	Object      string `json:"object"`
	Delivery    string `json:"delivery"`
	Repository  string `json:"repository"`
	Ref         string `json:"ref"`
	After       string `json:"after"`
	CallbackURL string `json:"callback_url"`
}

func (s *Server) handlePush(w http.ResponseWriter, r *http.Request) {
	owner, repo := r.PathValue("owner"), r.PathValue("repo")
	for _, f := range []struct{ name, v string }{{"owner", owner}, {"repo", repo}} {
		if !isRepoName(f.v) {
			writeError(w, http.StatusBadRequest, invalidRequest(f.name, fmt.Sprintf("%s %q in the path may hold only letters, digits, '.', '-' and '_'", f.name, f.v)))
			return
		}
	}
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	fields, apiErr := parseObject(body, "callback_url and an optional ref and message")
	if apiErr != nil {
		writeError(w, http.StatusBadRequest, *apiErr)
		return
	}
	callback, apiErr := callbackField(fields)
	if apiErr != nil {
		writeError(w, http.StatusBadRequest, *apiErr)
		return
	}
	ref, apiErr := stringField(fields, "ref")
	if apiErr != nil {
		writeError(w, http.StatusBadRequest, *apiErr)
		return
	}
	switch {
	case ref == "":
		ref = "refs/heads/main"
	case strings.ContainsAny(ref, " ~^:?*[\\"):
		writeError(w, http.StatusBadRequest, invalidRequest("ref", fmt.Sprintf("ref %q is not a valid git ref name", ref)))
		return
	case !strings.HasPrefix(ref, "refs/"):
		ref = "refs/heads/" + ref // a branch name, as git push takes it
	}
	message, apiErr := stringField(fields, "message")
	if apiErr != nil {
		writeError(w, http.StatusBadRequest, *apiErr)
		return
	}
	if message == "" {
		message = "Update README.md"
	}
	if apiErr := s.checkCallback(callback); apiErr != nil {
		writeError(w, http.StatusBadRequest, *apiErr)
		return
	}
	ev := s.newPush(owner, repo, ref, message)
	delivery := newUUID()
	o := outgoing{id: delivery, typ: "push", target: callback, signing: s.githubSigning()}
	o.body, _ = marshal(ev, "") // strings, booleans and slices of them only
	o.header = http.Header{}
	o.header.Set("X-GitHub-Event", "push")
	o.header.Set("X-GitHub-Delivery", delivery)
	o.header.Set("X-GitHub-Hook-Installation-Target-Type", "repository")
	start := time.Now()
	if !s.spawn(func() {
		if s.sleep(time.Until(start.Add(s.opts.PushDelay))) {
			s.deliver(o)
		}
	}) {
		writeUnavailable(w)
		return
	}
	writeJSON(w, http.StatusAccepted, pushAccepted{Object: "push", Delivery: delivery, Repository: ev.Repository.FullName,
		Ref: ref, After: ev.After, CallbackURL: callback})
}

func (s *Server) newPush(owner, repo, ref, message string) PushEvent {
	base := "https://git.example/" + owner + "/" + repo
	author := PushPerson{Name: "Sandbox User", Email: "user@sandbox.example", Username: "sandbox-user"}
	ev := PushEvent{Ref: ref, Before: newSHA(), After: newSHA()}
	ev.HeadCommit = PushCommit{ID: ev.After, TreeID: newSHA(), Distinct: true, Message: message,
		Timestamp: s.opts.Now().Format(time.RFC3339), URL: base + "/commit/" + ev.After,
		Author: author, Committer: author, Added: []string{}, Removed: []string{}, Modified: []string{"README.md"}}
	ev.Commits = []PushCommit{ev.HeadCommit}
	ev.Compare = base + "/compare/" + ev.Before[:12] + "..." + ev.After[:12]
	ev.Repository = PushRepo{Name: repo, FullName: owner + "/" + repo, HTMLURL: base, DefaultBranch: "main"}
	ev.Repository.Owner.Name, ev.Repository.Owner.Login = owner, owner
	ev.Pusher = PushPerson{Name: author.Username, Email: author.Email}
	ev.Sender.Login, ev.Sender.Type = author.Username, "User"
	return ev
}

// githubSigning is how push webhooks are signed: GitHub's scheme with
// the run's secret.
func (s *Server) githubSigning() signature.Config {
	return signature.Config{Scheme: signature.GitHub, Secret: s.opts.Secret}
}

func isRepoName(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// newSHA returns 40 random hex digits, the shape of a git object id.
func newSHA() string {
	var b [20]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// newUUID returns a random (version 4) UUID, as GitHub's delivery ids are.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
