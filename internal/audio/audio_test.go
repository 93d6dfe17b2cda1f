package audio

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"time"
)

// mp3 makes an MPEG-1 layer III file of n frames at 128 kbit/s, 44.1 kHz,
// stereo (417 bytes a frame), with an ID3v2 tag of tag bytes, and a Xing
// header counting xing frames when xing > 0. Frames carry no sound: only
// the headers are read.
func mp3(n, tag, xing int) []byte {
	var b bytes.Buffer
	if tag > 0 {
		b.WriteString("ID3\x04\x00\x00")
		b.Write([]byte{byte(tag >> 21 & 0x7f), byte(tag >> 14 & 0x7f), byte(tag >> 7 & 0x7f), byte(tag & 0x7f)})
		b.Write(make([]byte, tag))
	}
	for i := range n {
		f := make([]byte, 417)
		copy(f, []byte{0xFF, 0xFB, 0x90, 0x00}) // MPEG-1, layer III, 128 kbit/s, 44.1 kHz, stereo
		if i == 0 && xing > 0 {
			copy(f[36:], "Xing")
			binary.BigEndian.PutUint32(f[40:], 1) // frames field present
			binary.BigEndian.PutUint32(f[44:], uint32(xing))
		}
		b.Write(f)
	}
	return b.Bytes()
}

// speech makes an MPEG-2 layer III file as spoken recordings are made: 24
// kbit/s, 24 kHz, mono (72 bytes a frame; the side information is 9 bytes,
// so a Xing header starts at byte 13).
func speech(n, xing int) []byte {
	var b bytes.Buffer
	for i := range n {
		f := make([]byte, 72)
		copy(f, []byte{0xFF, 0xF3, 0x34, 0xC0}) // MPEG-2, layer III, 24 kbit/s, 24 kHz, mono
		if i == 0 && xing > 0 {
			copy(f[13:], "Xing")
			binary.BigEndian.PutUint32(f[17:], 1)
			binary.BigEndian.PutUint32(f[21:], uint32(xing))
		}
		b.Write(f)
	}
	return b.Bytes()
}

// ogg makes an Ogg stream: a first page with an identification header and
// a last page at granule position granule.
func ogg(ident []byte, granule int64) []byte {
	page := func(granule int64, seq uint32, packet []byte) []byte {
		h := make([]byte, 27)
		copy(h, "OggS")
		binary.LittleEndian.PutUint64(h[6:], uint64(granule))
		binary.LittleEndian.PutUint32(h[18:], seq)
		h[26] = 1
		return append(append(h, byte(len(packet))), packet...)
	}
	var b bytes.Buffer
	b.Write(page(0, 0, ident))
	b.Write(page(granule/2, 1, make([]byte, 200)))
	b.Write(page(granule, 2, make([]byte, 100)))
	return b.Bytes()
}

func opusHead(preskip uint16) []byte {
	h := []byte("OpusHead\x01\x01\x00\x00\x80\xbb\x00\x00\x00\x00\x00")
	binary.LittleEndian.PutUint16(h[10:], preskip)
	return h
}

func vorbisHead(rate uint32) []byte {
	h := make([]byte, 30)
	copy(h, "\x01vorbis")
	h[11] = 1
	binary.LittleEndian.PutUint32(h[12:], rate)
	return h
}

func TestProbe(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		format string
		want   time.Duration
		err    string
	}{
		// 1000 frames × 417 bytes × 8 / 128000 = 26.0625 s.
		{"mp3 constant bit rate", mp3(1000, 0, 0), "mp3", 26062500 * time.Microsecond, ""},
		{"mp3 after an ID3 tag", mp3(1000, 3000, 0), "mp3", 26062500 * time.Microsecond, ""},
		// 2000 frames × 1152 samples / 44100 = 52.24 s, whatever the file size.
		{"mp3 with a Xing header", mp3(10, 0, 2000), "mp3", 2000 * 1152 * time.Second / 44100, ""},
		// A 128-byte ID3v1 tag at the end is not audio.
		{"mp3 with an ID3v1 tag", append(mp3(1000, 0, 0), append([]byte("TAG"), make([]byte, 125)...)...), "mp3", 26062500 * time.Microsecond, ""},
		// 1000 frames × 72 bytes × 8 / 24000 = 24 s.
		{"mpeg-2 mono constant bit rate", speech(1000, 0), "mp3", 24 * time.Second, ""},
		// 3000 frames × 576 samples / 24000 = 72 s.
		{"mpeg-2 mono with a Xing header", speech(10, 3000), "mp3", 72 * time.Second, ""},
		// (48000 × 90 + 312 − 312) / 48000 = 90 s.
		{"ogg opus", ogg(opusHead(312), 48000*90+312), "opus", 90 * time.Second, ""},
		{"ogg vorbis", ogg(vorbisHead(44100), 44100*61), "vorbis", 61 * time.Second, ""},
		{"not audio", []byte("%PDF-1.7 not a recording"), "", 0, "not an MP3 or Ogg file"},
		{"ogg of another codec", ogg([]byte("\x80theora and more bytes"), 100), "", 0, "neither Opus nor Vorbis"},
		{"id3 tag and nothing else", mp3(0, 100, 0), "", 0, "no MPEG audio frame"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := Probe(bytes.NewReader(tt.data), int64(len(tt.data)))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if info.Format != tt.format || info.Duration != tt.want {
				t.Errorf("got %s %v, want %s %v", info.Format, info.Duration, tt.format, tt.want)
			}
		})
	}
}
