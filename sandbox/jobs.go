package sandbox

import (
	"net/http"
	"time"
)

const (
	eventJobProgress  = "job.progress"
	eventJobCompleted = "job.completed"
)

// jobSteps are the progress percentages a job reports before it completes.
var jobSteps = []int{25, 50, 75}

// Job is an async job as POST /v1/jobs answers it and as its events
// carry it.
type Job struct {
	ID          string `json:"id"`
	Object      string `json:"object"`
	Name        string `json:"name,omitempty"`
	Status      string `json:"status"` // queued, running, completed
	Progress    int    `json:"progress"`
	CallbackURL string `json:"callback_url"`
	Created     int64  `json:"created"`
}

// JobEvent is a job.progress or job.completed webhook.
type JobEvent struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Type    string `json:"type"`
	Created int64  `json:"created"`
	Data    struct {
		Object Job `json:"object"`
	} `json:"data"`
}

func (s *Server) handleJob(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	fields, apiErr := parseObject(body, "callback_url and an optional name")
	if apiErr != nil {
		writeError(w, http.StatusBadRequest, *apiErr)
		return
	}
	j := Job{ID: newID("job_"), Object: "job", Status: "queued", Created: s.opts.Now().Unix()}
	if j.CallbackURL, apiErr = callbackField(fields); apiErr != nil {
		writeError(w, http.StatusBadRequest, *apiErr)
		return
	}
	if j.Name, apiErr = stringField(fields, "name"); apiErr != nil {
		writeError(w, http.StatusBadRequest, *apiErr)
		return
	}
	if apiErr = s.checkCallback(j.CallbackURL); apiErr != nil {
		writeError(w, http.StatusBadRequest, *apiErr)
		return
	}
	start := time.Now()
	if !s.spawn(func() { s.runJob(j, start) }) {
		writeUnavailable(w)
		return
	}
	writeJSON(w, http.StatusAccepted, j)
}

// runJob sends a job's events from one goroutine, so they arrive in
// order even when one is retried; each is due JobStepDelay after the one
// before was due.
func (s *Server) runJob(j Job, start time.Time) {
	for i := 0; i <= len(jobSteps); i++ {
		if !s.sleep(time.Until(start.Add(time.Duration(i+1) * s.opts.JobStepDelay))) {
			return
		}
		typ := eventJobProgress
		if i < len(jobSteps) {
			j.Status, j.Progress = "running", jobSteps[i]
		} else {
			typ = eventJobCompleted
			j.Status, j.Progress = "completed", 100
		}
		ev := JobEvent{ID: newID("evt_"), Object: "event", Type: typ, Created: s.opts.Now().Unix()}
		ev.Data.Object = j
		s.deliver(s.eventOut(ev.ID, ev.Type, j.CallbackURL, ev))
	}
}

// spawn runs fn on a goroutine Close waits for, unless the Server is
// closed. Registering it under mu, after the closed check, keeps Close's
// Wait from racing with a late Add.
func (s *Server) spawn(fn func()) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Go(fn)
	return true
}

func writeUnavailable(w http.ResponseWriter) {
	writeError(w, http.StatusServiceUnavailable, apiError{Type: "unavailable", Message: "the sandbox is shutting down"})
}
