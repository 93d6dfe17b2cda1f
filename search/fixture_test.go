package search

import (
	"strings"
	"testing"
)

// fixtureDocs is a small corpus of realistic pages. Some pages use only the
// abbreviation, others only the full phrase, so that synonym tests prove
// something.
var fixtureDocs = []Doc{
	{
		ID: "fr:fiches/aide-medicale-urgente", Lang: "fr", URL: "/fr/fiches/aide-medicale-urgente/", Section: "fiches",
		Title:    "Aide médicale urgente",
		Summary:  "Sans titre de séjour, vos soins peuvent être payés par le centre public d'action sociale de votre commune.",
		Headings: "Qui peut la demander ? Que couvre-t-elle ?",
		Body: "Si vous n'avez pas de titre de séjour, l'aide médicale urgente paie vos soins de santé : médecin, hôpital, médicaments. " +
			"Demandez-la avant les soins si possible. Le texte <script>alert(1)</script> reste du texte.",
		Topics: []string{"access-to-care"}, Residence: []string{"no-legal-residence"}, Audience: "people", Reviewed: "2026-01-15",
	},
	{
		ID: "fr:procedures/amu-enquete-sociale", Lang: "fr", URL: "/fr/procedures/amu-enquete-sociale/", Section: "procedures",
		Title:    "AMU : l'enquête sociale du CPAS",
		Summary:  "Ce que vérifie le travailleur social avant d'accorder l'AMU.",
		Headings: "Compétence territoriale. État de besoin.",
		Body:     "Le CPAS compétent fait une enquête sociale dans les trente jours. L'AMU couvre les hôpitaux publics et la pharmacie.",
		Topics:   []string{"access-to-care", "social-rights"}, Audience: "professionals", Reviewed: "2025-11-02",
	},
	{
		ID: "fr:fiches/regularisation-medicale", Lang: "fr", URL: "/fr/fiches/regularisation-medicale/", Section: "fiches",
		Title:   "Régularisation médicale",
		Summary: "Demander un séjour pour raisons médicales graves.",
		Body:    "La demande se fait par courrier recommandé avec un certificat médical type rempli par votre médecin.",
		Topics:  []string{"residence-and-return"}, Residence: []string{"medical-regularisation"}, Audience: "people",
	},
	{
		ID: "fr:news/2024-06-12-pharmacies", Lang: "fr", URL: "/fr/news/2024-06-12-pharmacies/", Section: "news",
		Title:   "Les pharmacies payées plus vite",
		Summary: "La caisse auxiliaire rembourse désormais les pharmacies en deux semaines.",
		Body:    "Les médicaments délivrés avec un réquisitoire sont remboursés plus vite.",
		Topics:  []string{"access-to-care"}, Date: "2024-06-12",
	},
	{
		ID: "nl:fiches/dringende-medische-hulp", Lang: "nl", URL: "/nl/fiches/dringende-medische-hulp/", Section: "fiches",
		Title:   "Dringende medische hulp",
		Summary: "Zonder verblijfsvergunning betaalt het OCMW uw zorg.",
		Body:    "Het OCMW van uw gemeente betaalt de dokter, het ziekenhuis en de apotheek.",
		Topics:  []string{"access-to-care"}, Audience: "people",
	},
	{
		ID: "nl:procedures/sociaal-onderzoek", Lang: "nl", URL: "/nl/procedures/sociaal-onderzoek/", Section: "procedures",
		Title:   "DMH: het sociaal onderzoek",
		Summary: "Wat de maatschappelijk werker controleert.",
		Body:    "De maatschappelijk werker gaat na of de persoon behoeftig is.",
		Topics:  []string{"social-rights"}, Audience: "professionals",
	},
	{
		ID: "en:fiches/urgent-medical-aid", Lang: "en", URL: "/en/fiches/urgent-medical-aid/", Section: "fiches",
		Title:   "Urgent medical aid",
		Summary: "Without a residence permit, the public social welfare centre can pay for your care.",
		Body:    "The centre pays for the doctor, the hospital and medicines.",
		Topics:  []string{"access-to-care"}, Audience: "people",
	},
	{
		ID: "ar:fiches/urgent-medical-aid", Lang: "ar", URL: "/ar/fiches/urgent-medical-aid/", Section: "fiches",
		Title:   "المساعدة الطبية العاجلة",
		Summary: "إذا لم يكن لديك تصريح إقامة، يدفع المركز العام للرعاية الاجتماعية تكاليف علاجك.",
		Body:    "يدفع المركز تكاليف الطبيب والمستشفى والأدوية.",
		Topics:  []string{"access-to-care"}, Audience: "people",
	},
	{
		ID: "tr:fiches/urgent-medical-aid", Lang: "tr", URL: "/tr/fiches/urgent-medical-aid/", Section: "fiches",
		Title:   "Acil tıbbi yardım",
		Summary: "Oturma izniniz yoksa bakım masraflarınızı belediyenin sosyal yardım merkezi öder.",
		Body:    "Merkez doktor, hastane ve İlaç masraflarını öder.",
		Topics:  []string{"access-to-care"}, Audience: "people",
	},
	{
		ID: "ro:fiches/urgent-medical-aid", Lang: "ro", URL: "/ro/fiches/urgent-medical-aid/", Section: "fiches",
		Title:   "Asistență medicală urgentă",
		Summary: "Dacă nu aveți permis de ședere, centrul public de asistență socială plătește îngrijirea.",
		Body:    "Centrul plătește medicul, spitalul și medicamentele.",
		Topics:  []string{"access-to-care"}, Audience: "people",
	},
	{
		ID: "ti:fiches/urgent-medical-aid", Lang: "ti", URL: "/ti/fiches/urgent-medical-aid/", Section: "fiches",
		Title:   "ህጹጽ ሕክምናዊ ሓገዝ",
		Summary: "ፍቓድ መንበሪ እንተዘይብልኩም፡ ማሕበራዊ ማእከል ንሕክምናኹም ይኸፍል።",
		Body:    "እቲ ማእከል ናይ ሓኪም፡ ሆስፒታላትን መድሃኒትን ክፍሊት ይኸፍል።",
		Topics:  []string{"access-to-care"}, Audience: "people",
	},
	{
		ID: "ps:fiches/urgent-medical-aid", Lang: "ps", URL: "/ps/fiches/urgent-medical-aid/", Section: "fiches",
		Title:   "بیړنۍ طبي مرسته",
		Summary: "که تاسو د اوسیدو اجازه نلرئ، ټولنیز مرکز ستاسو د درملنې لګښت ورکوي.",
		Body:    "مرکز د ډاکټر، روغتونونو او درملو لګښت ورکوي.",
		Topics:  []string{"access-to-care"}, Audience: "people",
	},
	{
		ID: "sq:fiches/urgent-medical-aid", Lang: "sq", URL: "/sq/fiches/urgent-medical-aid/", Section: "fiches",
		Title:   "Ndihmë mjekësore urgjente",
		Summary: "Nëse nuk keni leje qëndrimi, qendra publike e ndihmës sociale paguan kujdesin tuaj.",
		Body:    "Qendra paguan mjekun, shpenzimet e spitalit dhe ilaçet.",
		Topics:  []string{"access-to-care"}, Audience: "people",
	},
	{
		ID: "fa:fiches/urgent-medical-aid", Lang: "fa", URL: "/fa/fiches/urgent-medical-aid/", Section: "fiches",
		Title:   "کمک پزشکی فوری",
		Summary: "اگر اجازه اقامت ندارید، مرکز عمومی خدمات اجتماعی هزینه درمان شما را می\u200cپردازد.",
		Body:    "این مرکز هزینه پزشک، بیمارستان\u200cها و داروها را می\u200cپردازد.",
		Topics:  []string{"access-to-care"}, Audience: "people",
	},
}

var fixtureSynonyms = map[string]string{
	"fr": "AMU, aide médicale urgente\nOCMW, CPAS # the Dutch name is common in Brussels\n9ter, régularisation médicale\nCAAMI, c.a.a.m.i., caisse auxiliaire\n",
	"nl": "DMH, dringende medische hulp\nOCMW, CPAS\n",
	"en": "CPAS, OCMW, public social welfare centre\n",
}

func fixtureSyn(t testing.TB) Synonyms {
	t.Helper()
	syn := Synonyms{}
	for lang, text := range fixtureSynonyms {
		g, err := ParseSynonyms(strings.NewReader(text))
		if err != nil {
			t.Fatalf("synonyms %s: %v", lang, err)
		}
		syn[lang] = g
	}
	return syn
}

// buildIndex builds docs into a temporary folder and opens it.
func buildIndex(t testing.TB, docs []Doc, syn Synonyms) (*Index, string) {
	t.Helper()
	dir := t.TempDir()
	if err := Build(dir, docs, syn); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := ix.Close(); err != nil {
			t.Error(err)
		}
	})
	return ix, dir
}
