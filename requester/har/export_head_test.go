package har

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"

	"hooklab/requester/history"
)

// TestExportHistoryHeadersAsSent: an entry with its head as sent exports
// its header lines in that order and case; one without (HTTP/2, or kept
// before the history kept heads) exports its header map, sorted.
func TestExportHistoryHeadersAsSent(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	withHead := history.Entry{Time: at, Method: "POST", URL: "http://api.test/v1", Status: 200, StatusText: "200 OK",
		SentHeader: http.Header{"X-Api-Key": {history.Mask}, "Openai-Beta": {"assistants=v2"}, "Host": {"api.test"}},
		SentHead:   "POST /v1 HTTP/1.1\r\nHost: api.test\r\nx-api-key: " + history.Mask + "\r\nOpenAI-Beta: assistants=v2\r\nX-Empty:\r\n\r\n"}
	withoutHead := withHead
	withoutHead.SentHead = ""
	notAHead := withHead
	notAHead.SentHead = "POST /v1 HTTP/1.1\r\nno colon here\r\n\r\n"

	data, err := ExportHistory([]history.Entry{withHead, withoutHead, notAHead}, "test")
	if err != nil {
		t.Fatal(err)
	}
	var f harFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	sorted := []nameValue{{"Host", "api.test"}, {"Openai-Beta", "assistants=v2"}, {"X-Api-Key", history.Mask}}
	for i, want := range [][]nameValue{
		{{"Host", "api.test"}, {"x-api-key", history.Mask}, {"OpenAI-Beta", "assistants=v2"}, {"X-Empty", ""}},
		sorted,
		sorted,
	} {
		if got := (*f.Log.Entries)[i].Request.Headers; !reflect.DeepEqual(got, want) {
			t.Errorf("entry %d headers\n got %q\nwant %q", i, got, want)
		}
	}
}
