package site

import (
	"fmt"
	"path"
	"time"

	"kb/internal/diag"
	"kb/internal/source"
)

// Audio is a page's recording, as the page and a PDF show it.
type Audio struct {
	URL        string
	Name       string
	Size       int64         // bytes
	Duration   time.Duration // read from the file
	MIME       string
	Transcript bool // the page's text is what the recording says
}

// attachAudio gives each page with audio: in its frontmatter the recording
// it names. A file that is missing or that kb cannot read is an error at
// the audio line; a length that differs from the file's is a warning.
func (s *Site) attachAudio(problems *diag.List) {
	for _, g := range s.Groups {
		for _, code := range sortedCodes(g) {
			p := g.Pages[code]
			a := p.Meta.Audio
			if a == nil {
				continue
			}
			line := p.Meta.Line("audio")
			var res *source.Resource
			for _, r := range g.Resources {
				if r.Name == a.File {
					res = r
				}
			}
			switch {
			case res == nil:
				problems.Add(diag.Problem{Path: p.Path, Line: line, Msg: fmt.Sprintf("audio file %s: there is no such file in %s", a.File, path.Dir(p.Path)),
					Hint: "put the recording beside the page, or correct the name"})
				continue
			case !source.IsAudio(res.Name):
				problems.Add(diag.Problem{Path: p.Path, Line: line, Msg: fmt.Sprintf("audio file %s is not a recording kb plays", a.File), Hint: "use an .mp3, .ogg or .opus file"})
				continue
			case res.Audio == nil:
				problems.Add(diag.Problem{Path: p.Path, Line: line, Msg: fmt.Sprintf("audio file %s cannot be read: %s", res.Path, res.AudioErr), Hint: "export it again as MP3 or Ogg Opus"})
				continue
			}
			d := res.Audio.Duration.Round(time.Second)
			if a.Duration > 0 && (a.Duration-d > 2*time.Second || d-a.Duration > 2*time.Second) {
				problems.Add(diag.Problem{Path: p.Path, Line: line, Level: diag.Warning,
					Msg:  fmt.Sprintf("audio duration %s, but %s lasts %s", Clock(a.Duration), res.Path, Clock(d)),
					Hint: "write duration: \"" + Clock(d) + "\", or leave it out: kb reads it from the file"})
			}
			p.Audio = &Audio{URL: ResourceURL(res), Name: res.Name, Size: res.Size, Duration: d, MIME: res.Audio.MIME(), Transcript: a.Transcript == "self"}
		}
	}
}

// Clock writes a duration as m:ss or h:mm:ss.
func Clock(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
