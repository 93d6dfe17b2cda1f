package preview

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestEventsBounded: the preview holds at most maxStreams event streams;
// one more is refused at once, and a closed page frees its place (issue 12,
// item 13).
func TestEventsBounded(t *testing.T) {
	e := newEvents()
	e.maxStreams = 2
	ts := httptest.NewServer(e)
	t.Cleanup(func() { e.stop(); ts.Close() })

	open := func() *http.Response {
		t.Helper()
		res, err := http.Get(ts.URL + "/_kb/events?v=" + e.version())
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	var streams []*http.Response
	for i := 0; i < 2; i++ {
		res := open()
		if res.StatusCode != 200 {
			t.Fatalf("stream %d: status %d", i, res.StatusCode)
		}
		if line, _ := bufio.NewReader(res.Body).ReadString('\n'); line != "retry: 500\n" {
			t.Fatalf("stream %d: first line %q", i, line)
		}
		streams = append(streams, res)
	}
	res := open()
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Content-Type") == "text/event-stream" {
		t.Fatalf("third stream: status %d, %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	streams[0].Body.Close()
	// The server notices the closed connection on its own time.
	deadline := time.Now().Add(10 * time.Second)
	for {
		res := open()
		res.Body.Close()
		if res.StatusCode == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a closed stream never freed its place")
		}
		time.Sleep(20 * time.Millisecond)
	}
	streams[1].Body.Close()
}
