package diag

import (
	"errors"
	"testing"
)

func TestListSortsAndDedups(t *testing.T) {
	var l List
	l.Errorf("b.md", 3, "second")
	l.Warnf("a.md", 9, "warn")
	l.Errorf("a.md", 2, "first")
	l.Errorf("a.md", 2, "first")
	got := l.Problems()
	want := []string{"a.md:2: first", "a.md:9: warning: warn", "b.md:3: second"}
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("problem %d = %q, want %q", i, got[i], want[i])
		}
	}
	e, w := l.Count()
	if e != 2 || w != 1 {
		t.Errorf("Count = %d, %d; want 2, 1", e, w)
	}
	var errs *Errors
	if err := l.Err(); !errors.As(err, &errs) || len(errs.Problems) != 2 {
		t.Errorf("Err() = %v, want the 2 errors", err)
	}
}

func TestNoErrorsOnlyWarnings(t *testing.T) {
	var l List
	l.Warnf("a.md", 0, "old")
	if err := l.Err(); err != nil {
		t.Errorf("Err() = %v, want nil for warnings only", err)
	}
	if s := l.Problems()[0].String(); s != "a.md: warning: old" {
		t.Errorf("String() = %q", s)
	}
}
