//go:build unix

package serve

import (
	"os"
	"syscall"
	"testing"
	"time"

	"kb/internal/generation"
)

// TestRetireWaitsForRequests: a replaced generation stays held (its index
// open, no build removes it) while a request still answers from it, and is
// let go once that request is done; new requests get the new generation.
func TestRetireWaitsForRequests(t *testing.T) {
	gen := t.TempDir()
	hold, err := generation.Hold(gen)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{}
	s.Swap(&State{Gen: gen, hold: hold})
	inFlight := s.acquire()
	next := &State{Gen: "next"}
	retire(s.Swap(next))
	time.Sleep(50 * time.Millisecond)
	if !held(t, gen) {
		t.Fatal("the generation was let go while a request answered from it")
	}
	if st := s.acquire(); st != next {
		t.Errorf("a new request got %v, want the new generation", st)
	} else {
		st.release()
	}
	inFlight.release()
	for range 200 {
		if !held(t, gen) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the generation is still held after its last request")
}

// held reports whether a shared lock keeps an exclusive one off gen.
func held(t *testing.T, gen string) bool {
	f, err := os.Open(gen)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil
}
