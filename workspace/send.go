package workspace

import (
	"context"
	"net/http"

	"hooklab/requester"
	"hooklab/requester/history"
)

// Send sends req for the composer tab named tab, with vars and the
// cookie jar named jar (one per collection and environment), and keeps
// the exchange in history. It blocks until the exchange is over: run it
// off the UI goroutine. It publishes SendStarted, then SendFinished
// with the response (or the error), and only then writes history and
// publishes HistoryAdded (or HistoryNotKept), so the history write
// never holds the answer back.
//
// Cancelling ctx cancels the send, and so does Stop; Stop waits for
// Send to return. An exchange cut short by Stop is not kept in history:
// it did not fail, the app quit. After Stop began, Send returns
// ErrStopped without sending.
func (w *Workspace) Send(ctx context.Context, tab string, req requester.Request, vars requester.Vars, jar string) (*requester.Response, error) {
	if !w.life.begin() {
		return nil, ErrStopped
	}
	defer w.life.end()
	sendCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(w.ctx, cancel)()

	at := w.now()
	w.hub.Publish(SendStarted{Tab: tab})
	resp, err := w.client.SendIn(sendCtx, jar, req, vars)
	// Built before the response is handed over: whoever shows it may
	// close it, while the entry only shares its in-memory parts.
	entry := history.FromExchange(req.Name, req, resp, err, at)
	w.hub.Publish(SendFinished{Tab: tab, Resp: resp, Err: err, Cookies: w.client.Cookies(jar), At: at})
	if err != nil && ctx.Err() == nil && w.ctx.Err() != nil {
		return resp, err // cut short by Stop
	}
	w.remember(tab, entry)
	return resp, err
}

// remember writes entry to history and says how that went.
func (w *Workspace) remember(tab string, entry history.Entry) {
	if w.hist == nil {
		return
	}
	// Not the send's context: a send the user cancelled is kept, with
	// its cancellation, as it always was.
	sum, err := w.hist.Record(context.Background(), entry)
	if err != nil {
		w.hub.Publish(HistoryNotKept{Tab: tab, Err: err})
		return
	}
	w.hub.Publish(HistoryAdded{Entry: sum})
	w.indexResponse(sum, entry)
}

// Cookies returns what the cookie jar named jar holds.
func (w *Workspace) Cookies(jar string) []*http.Cookie { return w.client.Cookies(jar) }

// ClearCookies empties the cookie jar named jar.
func (w *Workspace) ClearCookies(jar string) { w.client.ClearCookies(jar) }

// DeleteHistory deletes the history entry id and publishes
// HistoryChanged.
func (w *Workspace) DeleteHistory(id int64) error {
	if w.hist == nil {
		return history.ErrNotFound
	}
	if !w.life.begin() {
		return ErrStopped
	}
	defer w.life.end()
	if err := w.hist.Delete(id); err != nil {
		return err
	}
	w.forgetRequests(id)
	w.hub.Publish(HistoryChanged{})
	return nil
}

// ClearHistory deletes every history entry and publishes
// HistoryChanged.
func (w *Workspace) ClearHistory() error {
	if w.hist == nil {
		return nil
	}
	if !w.life.begin() {
		return ErrStopped
	}
	defer w.life.end()
	if err := w.hist.Clear(); err != nil {
		return err
	}
	w.forgetRequests()
	w.hub.Publish(HistoryChanged{})
	return nil
}
