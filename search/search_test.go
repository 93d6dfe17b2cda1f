package search

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
)

func ids(r *Response) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return out
}

func TestRelevance(t *testing.T) {
	ix, _ := buildIndex(t, fixtureDocs, fixtureSyn(t))
	tests := []struct {
		name      string
		req       Request
		want      []string // must be among the hits
		first     string   // must be the first hit, if set
		not       []string // must not be among the hits
		fuzzy     bool
		partial   bool // the answer is partial: no page has every word (added partial results do not count)
		fallback  bool
		wantTotal int // if > 0
	}{
		{name: "exact accents", req: Request{Lang: "fr", Query: "aide médicale urgente"}, first: "fr:fiches/aide-medicale-urgente"},
		{name: "missing accents", req: Request{Lang: "fr", Query: "aide medicale"}, first: "fr:fiches/aide-medicale-urgente"},
		{name: "upper case without accents", req: Request{Lang: "fr", Query: "SANTE HOPITAL"}, first: "fr:fiches/aide-medicale-urgente"},
		{name: "typo transposed", req: Request{Lang: "fr", Query: "medicale urgnete"}, first: "fr:fiches/aide-medicale-urgente", fuzzy: true},
		{name: "typo substituted", req: Request{Lang: "fr", Query: "regularisasion"}, first: "fr:fiches/regularisation-medicale", fuzzy: true},
		{name: "plural finds singular", req: Request{Lang: "fr", Query: "hôpitaux"}, want: []string{"fr:fiches/aide-medicale-urgente", "fr:procedures/amu-enquete-sociale"}},
		{name: "singular finds plural", req: Request{Lang: "fr", Query: "hopital pharmacie"}, first: "fr:procedures/amu-enquete-sociale"},
		{name: "nl plural finds singular", req: Request{Lang: "nl", Query: "ziekenhuizen"}, first: "nl:fiches/dringende-medische-hulp"},
		{name: "abbreviation finds phrase", req: Request{Lang: "fr", Query: "AMU"}, want: []string{"fr:fiches/aide-medicale-urgente", "fr:procedures/amu-enquete-sociale"}},
		{name: "phrase finds abbreviation", req: Request{Lang: "fr", Query: "aide médicale urgente"}, want: []string{"fr:procedures/amu-enquete-sociale"}},
		{name: "phrase without accents finds abbreviation", req: Request{Lang: "fr", Query: "aide medicale urgente enquete"}, first: "fr:procedures/amu-enquete-sociale"},
		{name: "abbreviation with another word", req: Request{Lang: "fr", Query: "amu hopital"}, want: []string{"fr:fiches/aide-medicale-urgente", "fr:procedures/amu-enquete-sociale"}},
		{name: "nl abbreviation DMH", req: Request{Lang: "nl", Query: "DMH"}, want: []string{"nl:fiches/dringende-medische-hulp", "nl:procedures/sociaal-onderzoek"}},
		{name: "nl phrase finds DMH", req: Request{Lang: "nl", Query: "dringende medische hulp onderzoek"}, first: "nl:procedures/sociaal-onderzoek"},
		{name: "OCMW finds CPAS", req: Request{Lang: "fr", Query: "OCMW"}, first: "fr:procedures/amu-enquete-sociale"},
		{name: "CPAS finds OCMW", req: Request{Lang: "nl", Query: "cpas"}, first: "nl:fiches/dringende-medische-hulp"},
		{name: "en multi-word synonym", req: Request{Lang: "en", Query: "OCMW"}, first: "en:fiches/urgent-medical-aid"},
		{name: "synonym with dots is a phrase", req: Request{Lang: "fr", Query: "caami"}, first: "fr:news/2024-06-12-pharmacies", wantTotal: 1},
		{name: "9ter", req: Request{Lang: "fr", Query: "9ter"}, first: "fr:fiches/regularisation-medicale"},
		{name: "ar", req: Request{Lang: "ar", Query: "المستشفى"}, first: "ar:fiches/urgent-medical-aid"},
		{name: "ar without hamza", req: Request{Lang: "ar", Query: "ادوية"}, first: "ar:fiches/urgent-medical-aid"},
		{name: "ar with diacritics", req: Request{Lang: "ar", Query: "الْمُسْتَشْفَى"}, first: "ar:fiches/urgent-medical-aid"},
		{name: "tr dotless i typed as i", req: Request{Lang: "tr", Query: "tibbi yardim"}, first: "tr:fiches/urgent-medical-aid"},
		{name: "tr İlaç typed ilac", req: Request{Lang: "tr", Query: "ilac"}, first: "tr:fiches/urgent-medical-aid"},
		{name: "tr İLAÇ", req: Request{Lang: "tr", Query: "İLAÇ"}, first: "tr:fiches/urgent-medical-aid"},
		{name: "ro without diacritics", req: Request{Lang: "ro", Query: "asistenta medicala"}, first: "ro:fiches/urgent-medical-aid"},
		{name: "ro cedilla", req: Request{Lang: "ro", Query: "plăteşte"}, first: "ro:fiches/urgent-medical-aid"},
		{name: "ti plural by prefix", req: Request{Lang: "ti", Query: "ሆስፒታል"}, first: "ti:fiches/urgent-medical-aid", fuzzy: true},
		{name: "ps plural by prefix", req: Request{Lang: "ps", Query: "روغتون"}, first: "ps:fiches/urgent-medical-aid", fuzzy: true},
		{name: "ps yeh variants", req: Request{Lang: "ps", Query: "ورکوی"}, first: "ps:fiches/urgent-medical-aid"},
		{name: "fa plural typed without ZWNJ", req: Request{Lang: "fa", Query: "بیمارستانها"}, first: "fa:fiches/urgent-medical-aid", fuzzy: true},
		{name: "fa verb typed without ZWNJ", req: Request{Lang: "fa", Query: "میپردازد"}, first: "fa:fiches/urgent-medical-aid", fuzzy: true},
		{name: "fa with ZWNJ", req: Request{Lang: "fa", Query: "می\u200cپردازد بیمارستان\u200cها"}, first: "fa:fiches/urgent-medical-aid"},
		{name: "sq without diacritics", req: Request{Lang: "sq", Query: "ndihme mjekesore"}, first: "sq:fiches/urgent-medical-aid"},
		{name: "sq inflection by prefix", req: Request{Lang: "sq", Query: "spitali"}, first: "sq:fiches/urgent-medical-aid", fuzzy: true},
		{name: "fallback to another language", req: Request{Lang: "en", Query: "ziekenhuis"}, first: "nl:fiches/dringende-medische-hulp", fallback: true},
		{name: "language without index", req: Request{Lang: "uk", Query: "ziekenhuis"}, first: "nl:fiches/dringende-medische-hulp", fallback: true},
		{name: "filter section", req: Request{Lang: "fr", Query: "cpas", Section: "procedures"}, want: []string{"fr:procedures/amu-enquete-sociale"}, not: []string{"fr:fiches/aide-medicale-urgente"}},
		{name: "filter topic", req: Request{Lang: "fr", Query: "médical", Topic: "residence-and-return"}, first: "fr:fiches/regularisation-medicale", wantTotal: 1},
		{name: "filter audience", req: Request{Lang: "fr", Query: "aide medicale urgente", Audience: "professionals"}, first: "fr:procedures/amu-enquete-sociale", wantTotal: 1},
		{name: "stop words only", req: Request{Lang: "fr", Query: "le la de"}, wantTotal: 0},
		{name: "stop words ignored", req: Request{Lang: "fr", Query: "la régularisation de séjour"}, first: "fr:fiches/regularisation-medicale"},
		{name: "some words unknown", req: Request{Lang: "fr", Query: "régularisation zzzqqq"}, first: "fr:fiches/regularisation-medicale", fuzzy: true, partial: true},
		{name: "some words unknown elsewhere", req: Request{Lang: "en", Query: "ziekenhuis qqqzzz"}, first: "nl:fiches/dringende-medische-hulp", partial: true, fallback: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ix.Search(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			got := ids(r)
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("hits %v: missing %s", got, w)
				}
			}
			for _, w := range tc.not {
				if slices.Contains(got, w) {
					t.Errorf("hits %v: unexpected %s", got, w)
				}
			}
			if tc.first != "" && (len(got) == 0 || got[0] != tc.first) {
				t.Errorf("hits %v: want %s first", got, tc.first)
			}
			if tc.wantTotal > 0 || (tc.first == "" && tc.want == nil) {
				if r.Total != tc.wantTotal {
					t.Errorf("Total = %d, want %d (hits %v)", r.Total, tc.wantTotal, got)
				}
			}
			if r.Fuzzy != tc.fuzzy {
				t.Errorf("Fuzzy = %v, want %v (hits %v)", r.Fuzzy, tc.fuzzy, got)
			}
			if got := r.Partial && r.Parts[0].Step != StepExact && r.Parts[0].Step != StepFuzzy; got != tc.partial {
				t.Errorf("partial answer = %v, want %v (parts %v)", got, tc.partial, r.Parts)
			}
			if r.Fallback != tc.fallback {
				t.Errorf("Fallback = %v, want %v", r.Fallback, tc.fallback)
			}
			for _, h := range r.Hits {
				if h.Lang == "" || !strings.HasPrefix(h.ID, h.Lang+":") {
					t.Errorf("hit %s has Lang %q", h.ID, h.Lang)
				}
			}
		})
	}
}

// TestConcurrentSearch: one Index serves many requests at once (run with
// -race).
func TestConcurrentSearch(t *testing.T) {
	ix, _ := buildIndex(t, fixtureDocs, fixtureSyn(t))
	reqs := []Request{
		{Lang: "fr", Query: "AMU"}, {Lang: "fr", Query: "medicale urgnete"}, {Lang: "tr", Query: "ilac"},
		{Lang: "en", Query: "ziekenhuis"}, {Lang: "ti", Query: "ሆስፒታል"}, {Lang: "fa", Query: "میپردازد"},
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 20 {
				req := reqs[(i+j)%len(reqs)]
				if r, err := ix.Search(context.Background(), req); err != nil || r.Total == 0 {
					t.Errorf("%+v: %v, %v", req, r, err)
				}
			}
		})
	}
	wg.Wait()
}
