package spip

import (
	"fmt"

	"kb/internal/source"
)

// keys hands out unique keys within one namespace (a section).
type keys map[string]bool

// make returns a unique key for title in lang (source.Key, as kb new makes
// them), or fallback when the title gives none. A taken key gets the SPIP
// id appended, so that keys stay stable when other objects are added
// between two imports.
func (ks keys) make(title, lang, fallback string, id int) string {
	k := source.Key(title, lang)
	if k == "" {
		k = fallback
	}
	if ks[k] {
		k = fmt.Sprintf("%s-%d", k, id)
	}
	for base, n := k, 2; ks[k]; n++ {
		k = fmt.Sprintf("%s-%d", base, n)
	}
	ks[k] = true
	return k
}
