package spip

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Report says what an import did and what it could not do. It is
// deterministic: the same backup and site give the same report.
type Report struct {
	// Files counts the Markdown files planned, by section and language.
	Files map[string]map[string]int `json:"files"`
	// Objects counts the files by the kind of SPIP object they come from
	// (article, breve, rubrique, mot) and language.
	Objects map[string]map[string]int `json:"objects"`
	// Groups counts translation groups (folders) by section; Multilingual
	// counts those with more than one language.
	Groups       map[string]int `json:"groups"`
	Multilingual map[string]int `json:"multilingual_groups"`
	Documents    int            `json:"documents_copied"`
	Aliases      int            `json:"aliases"`

	Skipped          []Item    `json:"skipped"`
	Unconverted      []Item    `json:"unconverted"`
	BrokenLinks      []Item    `json:"broken_links"`
	MissingDocuments []Item    `json:"missing_documents"`
	UnmappedKeywords []Keyword `json:"unmapped_keywords"`
	DroppedAliases   []Item    `json:"dropped_aliases"`
	Notes            []string  `json:"notes"`

	Written   []string `json:"written"`
	Unchanged []string `json:"unchanged"`
	Removed   []string `json:"removed"`
	Kept      []string `json:"kept"` // no longer imported, but edited: left in place
	Conflicts []string `json:"conflicts"`
	MapFile   string   `json:"map_file"`
	MapNew    bool     `json:"map_written"`
}

// Item is one reported problem with a SPIP object ("article 12").
type Item struct {
	Object  string `json:"object"`
	Message string `json:"message"`
	Count   int    `json:"count,omitempty"`
}

// Keyword is a keyword the mapping file does not place.
type Keyword struct {
	ID    int    `json:"id"`
	Title string `json:"title"`
	Group string `json:"group"`
	Uses  int    `json:"uses"`
}

func newReport() *Report {
	return &Report{Files: map[string]map[string]int{}, Objects: map[string]map[string]int{}, Groups: map[string]int{}, Multilingual: map[string]int{}}
}

func (r *Report) add(list *[]Item, object, format string, args ...any) {
	*list = append(*list, Item{Object: object, Message: fmt.Sprintf(format, args...)})
}

// addIssues reports a converter's issues for object, each message once
// with its count.
func (r *Report) addIssues(object string, issues []issue) {
	type k struct{ kind, msg string }
	count := map[k]int{}
	var order []k
	for _, is := range issues {
		key := k(is)
		if count[key] == 0 {
			order = append(order, key)
		}
		count[key]++
	}
	for _, key := range order {
		list := &r.Unconverted
		if key.kind == issueLink {
			list = &r.BrokenLinks
		}
		it := Item{Object: object, Message: key.msg}
		if count[key] > 1 {
			it.Count = count[key]
		}
		*list = append(*list, it)
	}
}

// sort orders the lists so that the report does not depend on the order of
// work.
func (r *Report) sort() {
	for _, l := range [][]Item{r.Skipped, r.Unconverted, r.BrokenLinks, r.MissingDocuments, r.DroppedAliases} {
		sort.SliceStable(l, func(i, j int) bool { return objectLess(l[i].Object, l[j].Object) })
	}
	for _, l := range [][]string{r.Written, r.Unchanged, r.Removed, r.Kept, r.Conflicts} {
		sort.Strings(l)
	}
}

// objectLess orders "article 2" before "article 10".
func objectLess(a, b string) bool {
	ta, ia := splitObject(a)
	tb, ib := splitObject(b)
	if ta != tb {
		return ta < tb
	}
	return ia < ib
}

func splitObject(s string) (string, int) {
	var t string
	var n int
	fmt.Sscanf(s, "%s %d", &t, &n) // a label without a number sorts as number 0
	return t, n
}

// JSON writes the report as indented JSON.
func (r *Report) JSON(w io.Writer) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	e.SetEscapeHTML(false)
	return e.Encode(r)
}

// Text writes the report for people.
func (r *Report) Text(w io.Writer) {
	fmt.Fprintln(w, "Imported files by section and language:")
	for _, s := range sortedKeys(r.Files) {
		total, langs := byLang(r.Files[s])
		fmt.Fprintf(w, "  %-11s %4d files in %d folders (%d multilingual): %s\n", s, total, r.Groups[s], r.Multilingual[s], langs)
	}
	fmt.Fprintln(w, "From SPIP objects:")
	for _, k := range sortedKeys(r.Objects) {
		total, langs := byLang(r.Objects[k])
		fmt.Fprintf(w, "  %-11s %4d files: %s\n", k, total, langs)
	}
	fmt.Fprintf(w, "  documents   %4d copied\n  aliases     %4d old URLs\n", r.Documents, r.Aliases)
	items := func(title string, l []Item) {
		if len(l) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s (%d):\n", title, len(l))
		for _, it := range l {
			if it.Count > 1 {
				fmt.Fprintf(w, "  %s: %s (%d×)\n", it.Object, it.Message, it.Count)
			} else {
				fmt.Fprintf(w, "  %s: %s\n", it.Object, it.Message)
			}
		}
	}
	items("Skipped", r.Skipped)
	items("Not converted (left as text or removed)", r.Unconverted)
	items("Links to objects that are not imported (kept as text)", r.BrokenLinks)
	items("Missing documents", r.MissingDocuments)
	if len(r.UnmappedKeywords) > 0 {
		fmt.Fprintf(w, "\nKeywords not in the mapping file (%d):\n", len(r.UnmappedKeywords))
		for _, k := range r.UnmappedKeywords {
			fmt.Fprintf(w, "  mot %d: %s (group %s, %d links)\n", k.ID, k.Title, k.Group, k.Uses)
		}
	}
	items("Old URLs not redirected", r.DroppedAliases)
	if len(r.Notes) > 0 {
		fmt.Fprintln(w, "\nNotes:")
		for _, n := range r.Notes {
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
	if len(r.Conflicts) > 0 {
		fmt.Fprintf(w, "\nConflicts: these files were changed since the last import (use --force to overwrite them):\n")
		for _, c := range r.Conflicts {
			fmt.Fprintf(w, "  %s\n", c)
		}
		return
	}
	fmt.Fprintf(w, "\n%d files written, %d unchanged, %d removed", len(r.Written), len(r.Unchanged), len(r.Removed))
	if len(r.Kept) > 0 {
		fmt.Fprintf(w, ", %d no longer imported but edited, left in place", len(r.Kept))
	}
	fmt.Fprintln(w, ".")
	if r.MapNew {
		fmt.Fprintf(w, "Wrote the mapping file %s: edit it and import again.\n", r.MapFile)
	}
}

func byLang(m map[string]int) (int, string) {
	var parts []string
	total := 0
	for _, l := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s %d", l, m[l]))
		total += m[l]
	}
	return total, strings.Join(parts, ", ")
}
