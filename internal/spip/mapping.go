package spip

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"kb/internal/diag"
	"kb/internal/source"
)

// mapping is the editable file that says where SPIP objects go in kb.
type mapping struct {
	DefaultSection string            `toml:"default_section"`
	Sections       map[string]string `toml:"sections"`
	RubriqueTopics map[string]string `toml:"rubrique_topics"`
	Keywords       map[string]string `toml:"keywords"`
	KeywordGroups  map[string]string `toml:"keyword_groups"`

	sections map[int]string
	rubTopic map[int]string
	keywords map[int]target
	groups   map[int]string
}

// target is where a keyword goes: kind "topic", "residence" or "ignore";
// key "" means "made from the keyword's title".
type target struct {
	kind, key string
}

func readMapping(path string) (*mapping, error) {
	var m mapping
	md, err := toml.DecodeFile(path, &m)
	if err != nil {
		if line, msg := diag.TOMLError(err); line > 0 {
			return nil, fmt.Errorf("mapping file %s:%d: %s", path, line, msg)
		}
		return nil, fmt.Errorf("mapping file %s: %w", path, err)
	}
	if u := md.Undecoded(); len(u) > 0 {
		return nil, fmt.Errorf("mapping file %s: unknown key %q (known: default_section, sections, rubrique_topics, keywords, keyword_groups)", path, u[0].String())
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("mapping file %s: %w", path, err)
	}
	return &m, nil
}

func (m *mapping) check() error {
	if m.DefaultSection == "" {
		m.DefaultSection = source.Fiches
	}
	if m.DefaultSection != source.Fiches && m.DefaultSection != source.Procedures {
		return fmt.Errorf("default_section = %q: want \"fiches\" or \"procedures\"", m.DefaultSection)
	}
	m.sections, m.rubTopic, m.keywords, m.groups = map[int]string{}, map[int]string{}, map[int]target{}, map[int]string{}
	for k, v := range m.Sections {
		id, err := mapID("sections", k)
		if err != nil {
			return err
		}
		if v != source.Fiches && v != source.Procedures && v != "skip" {
			return fmt.Errorf("[sections] %s = %q: want \"fiches\", \"procedures\" or \"skip\"", k, v)
		}
		m.sections[id] = v
	}
	for k, v := range m.RubriqueTopics {
		id, err := mapID("rubrique_topics", k)
		if err != nil {
			return err
		}
		if v != "" && !source.IsKey(v) {
			return fmt.Errorf("[rubrique_topics] %s = %q: a key is lower-case ASCII letters, digits and hyphens (\"\" for no topic)", k, v)
		}
		m.rubTopic[id] = v
	}
	for k, v := range m.Keywords {
		id, err := mapID("keywords", k)
		if err != nil {
			return err
		}
		kind, key, _ := strings.Cut(v, ":")
		if (kind != "topic" && kind != "residence" && kind != "ignore") || (key != "" && (kind == "ignore" || !source.IsKey(key))) {
			return fmt.Errorf("[keywords] %s = %q: want \"topic\", \"topic:<key>\", \"residence\", \"residence:<key>\" or \"ignore\"", k, v)
		}
		m.keywords[id] = target{kind, key}
	}
	for k, v := range m.KeywordGroups {
		id, err := mapID("keyword_groups", k)
		if err != nil {
			return err
		}
		if v != "topic" && v != "residence" && v != "ignore" {
			return fmt.Errorf("[keyword_groups] %s = %q: want \"topic\", \"residence\" or \"ignore\"", k, v)
		}
		m.groups[id] = v
	}
	return nil
}

func mapID(table, k string) (int, error) {
	id, err := strconv.Atoi(k)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("[%s]: %q is not a SPIP id (a positive number)", table, k)
	}
	return id, nil
}

// section returns the section of a rubrique's articles: its own entry, else
// its nearest parent's, else the default.
func (m *mapping) section(rubs map[int]row, id int) string {
	for seen := 0; id != 0 && seen < 100; seen++ {
		if s, ok := m.sections[id]; ok {
			return s
		}
		r, ok := rubs[id]
		if !ok {
			break
		}
		id = r.int("id_parent")
	}
	return m.DefaultSection
}

// keyword returns where keyword mot (of group g) goes; ok is false when the
// mapping does not say.
func (m *mapping) keyword(mot, g int) (target, bool) {
	if t, ok := m.keywords[mot]; ok {
		return t, true
	}
	if k, ok := m.groups[g]; ok {
		return target{kind: k}, true
	}
	return target{}, false
}

// defaultMapping writes the mapping file of a first import: every sector's
// articles go to the default section and every published sector becomes a
// topic; sub-rubriques, keywords and groups are listed as comments to edit.
func defaultMapping(b *backup, siteLang string) []byte {
	var w strings.Builder
	w.WriteString(`# How "kb import spip" maps SPIP objects to kb content.
# Written by the first import; edit it and import again. Numbers are SPIP ids.

# Section of articles whose rubrique is not listed in [sections].
default_section = "fiches"

# Rubrique id = section of its articles: "fiches" (for people), "procedures"
# (for professionals) or "skip". Sub-rubriques inherit their parent's entry.
[sections]
`)
	rubs := b.tables["spip_rubriques"]
	title := func(r row) string {
		t, _ := titleOf(r["titre"], siteLang, "")
		return oneLine(t)
	}
	for _, r := range rubs {
		if r.int("id_parent") == 0 {
			fmt.Fprintf(&w, "%d = \"fiches\" # %s\n", r.int("id_rubrique"), title(r))
		}
	}
	for _, r := range rubs {
		if r.int("id_parent") != 0 {
			fmt.Fprintf(&w, "# %d = \"fiches\" # %s (in rubrique %d)\n", r.int("id_rubrique"), title(r), r.int("id_parent"))
		}
	}
	w.WriteString(`
# Rubrique id = key of the topic it becomes (content/topics/<key>/). Articles
# in the rubrique or below it get the topic. Give two rubriques the same key
# to merge them (e.g. one sector per language); "" makes no topic.
[rubrique_topics]
`)
	ks := keys{}
	for _, r := range rubs {
		id := r.int("id_rubrique")
		k := ks.make(title(r), siteLang, fmt.Sprintf("rubrique-%d", id), id)
		if r.int("id_parent") == 0 && r["statut"] == "publie" {
			fmt.Fprintf(&w, "%d = %q # %s\n", id, k, title(r))
		} else {
			fmt.Fprintf(&w, "# %d = %q # %s\n", id, k, title(r))
		}
	}
	w.WriteString(`
# Keyword id = "topic", "residence" (a key made from the keyword's title),
# "topic:<key>", "residence:<key>" or "ignore". Pages with the keyword get
# the topic or residence status. Unmapped keywords are reported.
[keywords]
`)
	groups := map[int]string{}
	for _, g := range b.tables["spip_groupes_mots"] {
		groups[g.int("id_groupe")] = oneLine(plain(g["titre"], siteLang))
	}
	uses := map[int]int{}
	for _, l := range b.tables["spip_mots_liens"] {
		uses[l.int("id_mot")]++
	}
	for _, r := range b.tables["spip_mots"] {
		id := r.int("id_mot")
		fmt.Fprintf(&w, "# %d = \"topic\" # %s (group %d %s, %d links)\n", id, title(r), r.int("id_groupe"), groups[r.int("id_groupe")], uses[id])
	}
	w.WriteString(`
# Keyword group id = "topic", "residence" or "ignore": the default for every
# keyword of the group.
[keyword_groups]
`)
	ids := make([]int, 0, len(groups))
	for id := range groups {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	for _, id := range ids {
		fmt.Fprintf(&w, "# %d = \"topic\" # %s\n", id, groups[id])
	}
	return []byte(w.String())
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// loadMapping reads the mapping file, or makes the default one (returned as
// data to write) when there is none.
func loadMapping(path string, b *backup, siteLang string) (*mapping, []byte, error) {
	if _, err := os.Stat(path); err == nil {
		m, err := readMapping(path)
		return m, nil, err
	} else if !os.IsNotExist(err) {
		return nil, nil, err
	}
	data := defaultMapping(b, siteLang)
	var m mapping
	if _, err := toml.Decode(string(data), &m); err != nil {
		return nil, nil, fmt.Errorf("default mapping: %w", err)
	}
	if err := m.check(); err != nil {
		return nil, nil, fmt.Errorf("default mapping: %w", err)
	}
	return &m, data, nil
}
