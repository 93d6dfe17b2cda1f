// Package audio reads the length of a recording from its file, so that kb
// shows it beside the player and kb check can compare it with the
// frontmatter. It is a small reader of its own (no module does this for
// the standard library's io.ReaderAt without pulling in a decoder):
//
//   - MP3: an ID3v2 tag is skipped; the first frame header gives the MPEG
//     version, layer, bit rate and sample rate. A Xing/Info or VBRI header
//     in that frame gives the number of frames (exact, also for variable
//     bit rate); without one the file is taken as constant bit rate and the
//     length is the audio bytes over the bit rate.
//   - Ogg (Opus or Vorbis): the identification header gives the sample rate
//     (48 kHz for Opus, and its pre-skip); the granule position of the last
//     page gives the number of samples.
//
// Nothing is decoded; only the headers and the last 64 KiB are read.
package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// Info is what the header says.
type Info struct {
	Format   string // "mp3", "opus" or "vorbis"
	Duration time.Duration
}

// MIME is the media type of the format.
func (i Info) MIME() string {
	switch i.Format {
	case "mp3":
		return "audio/mpeg"
	case "opus":
		return `audio/ogg; codecs=opus`
	}
	return "audio/ogg"
}

// Probe reads the format and length of the file r of size bytes.
func Probe(r io.ReaderAt, size int64) (Info, error) {
	head := make([]byte, min(size, 64<<10))
	if _, err := r.ReadAt(head, 0); err != nil && err != io.EOF {
		return Info{}, err
	}
	switch {
	case bytes.HasPrefix(head, []byte("OggS")):
		return probeOgg(r, size, head)
	case bytes.HasPrefix(head, []byte("ID3")) || len(head) > 1 && head[0] == 0xFF && head[1]&0xE0 == 0xE0:
		return probeMP3(r, size, head)
	}
	return Info{}, errors.New("not an MP3 or Ogg file (its first bytes are neither ID3, an MPEG frame nor OggS)")
}

var (
	bitrates = [2][3][16]int{ // [MPEG-1, MPEG-2/2.5][layer I, II, III] kbit/s
		{{0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
			{0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
			{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}},
		{{0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
			{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
			{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}},
	}
	samplerates = [4][3]int{{11025, 12000, 8000}, {0, 0, 0}, {22050, 24000, 16000}, {44100, 48000, 32000}} // by version bits
)

func probeMP3(r io.ReaderAt, size int64, head []byte) (Info, error) {
	off := int64(0)
	if bytes.HasPrefix(head, []byte("ID3")) && len(head) >= 10 {
		s := int64(head[6]&0x7f)<<21 | int64(head[7]&0x7f)<<14 | int64(head[8]&0x7f)<<7 | int64(head[9]&0x7f)
		off = 10 + s
		if head[5]&0x10 != 0 {
			off += 10 // footer
		}
	}
	buf := make([]byte, 4096)
	// io.EOF is expected (a short file); after any other error the bytes
	// read so far are searched, and too few make it "not an MP3".
	n, _ := r.ReadAt(buf, off)
	buf = buf[:n]
	// The first frame: a sync word and a valid header.
	for i := 0; i+4 <= len(buf); i++ {
		if buf[i] != 0xFF || buf[i+1]&0xE0 != 0xE0 {
			continue
		}
		h := binary.BigEndian.Uint32(buf[i:])
		ver := (h >> 19) & 3   // 0: 2.5, 2: 2, 3: 1
		layer := (h >> 17) & 3 // 1: III, 2: II, 3: I
		bi := (h >> 12) & 15
		si := (h >> 10) & 3
		if ver == 1 || layer == 0 || bi == 0 || bi == 15 || si == 3 {
			continue
		}
		v := 0
		if ver != 3 {
			v = 1
		}
		l := 3 - int(layer) // 0: I, 1: II, 2: III
		kbps, rate := bitrates[v][l][bi], samplerates[ver][si]
		spf := 1152 // samples per frame
		switch {
		case l == 0:
			spf = 384
		case l == 2 && v == 1:
			spf = 576
		}
		// Xing/Info sits after the side information; VBRI 32 bytes in.
		mono := (h>>6)&3 == 3
		side := 32
		switch {
		case v == 0 && mono, v == 1 && !mono:
			side = 17
		case v == 1 && mono:
			side = 9
		}
		frame := buf[i:]
		for _, at := range []int{4 + side, 36} {
			if at+12 > len(frame) {
				continue
			}
			tag := string(frame[at : at+4])
			switch {
			case (tag == "Xing" || tag == "Info") && binary.BigEndian.Uint32(frame[at+4:])&1 != 0:
				frames := binary.BigEndian.Uint32(frame[at+8:])
				return Info{Format: "mp3", Duration: samples(int64(frames)*int64(spf), rate)}, nil
			case tag == "VBRI" && at+18 <= len(frame):
				frames := binary.BigEndian.Uint32(frame[at+14:])
				return Info{Format: "mp3", Duration: samples(int64(frames)*int64(spf), rate)}, nil
			}
		}
		audio := size - off - int64(i)
		if hasID3v1(r, size) {
			audio -= 128
		}
		return Info{Format: "mp3", Duration: time.Duration(float64(audio*8) / float64(kbps*1000) * float64(time.Second))}, nil
	}
	return Info{}, errors.New("no MPEG audio frame found after the ID3 tag")
}

func hasID3v1(r io.ReaderAt, size int64) bool {
	if size < 128 {
		return false
	}
	b := make([]byte, 3)
	_, err := r.ReadAt(b, size-128)
	return err == nil && string(b) == "TAG"
}

func samples(n int64, rate int) time.Duration {
	if rate <= 0 {
		return 0
	}
	return time.Duration(n) * time.Second / time.Duration(rate)
}

func probeOgg(r io.ReaderAt, size int64, head []byte) (Info, error) {
	// The first page holds the identification header: after the 27-byte
	// page header and its segment table.
	if len(head) < 28 {
		return Info{}, errors.New("too short for an Ogg file")
	}
	segs := int(head[26])
	start := 27 + segs
	if start+19 > len(head) {
		return Info{}, errors.New("first Ogg page too short")
	}
	pkt := head[start:]
	var info Info
	var rate int
	var preskip int64
	switch {
	case bytes.HasPrefix(pkt, []byte("OpusHead")):
		info.Format, rate = "opus", 48000 // Opus granules always count 48 kHz samples
		preskip = int64(binary.LittleEndian.Uint16(pkt[10:]))
	case bytes.HasPrefix(pkt, []byte("\x01vorbis")):
		info.Format = "vorbis"
		rate = int(binary.LittleEndian.Uint32(pkt[12:]))
	default:
		return Info{}, errors.New("an Ogg file that is neither Opus nor Vorbis")
	}
	// The last page's granule position.
	tail := make([]byte, min(size, 64<<10))
	if _, err := r.ReadAt(tail, size-int64(len(tail))); err != nil && err != io.EOF {
		return Info{}, err
	}
	i := bytes.LastIndex(tail, []byte("OggS"))
	if i < 0 || i+14 > len(tail) {
		return Info{}, errors.New("no last Ogg page found")
	}
	granule := int64(binary.LittleEndian.Uint64(tail[i+6:]))
	if granule < preskip {
		return Info{}, fmt.Errorf("last granule position %d before the pre-skip", granule)
	}
	info.Duration = samples(granule-preskip, rate)
	return info, nil
}
