package capture

import "time"

// Change reports: what a commit of captures tells the store's observers.

// summaries are the list rows of the captures of reqs, as List returns
// them; nil when no one observes the store, so a commit costs nothing
// more then.
func (w *writer) summaries(reqs []*writeReq) []Summary {
	if !w.s.watched() {
		return nil
	}
	out := make([]Summary, len(reqs))
	for i, r := range reqs {
		c := r.rec.c
		ct, _ := r.rec.values[11].(string) // content_type, worked out by newRecord
		out[i] = Summary{ID: c.ID, Time: storedTime(c.Time), Method: c.Method, Path: c.Path,
			Status: c.Status, Size: c.BodySize, ContentType: ct}
	}
	return out
}

// storedTime is t as the store gives it back: clamped to Unix
// nanoseconds, in local time, without a monotonic reading.
func storedTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.Unix(0, nanos(t))
}
