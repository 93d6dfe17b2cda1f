package build

import (
	"os"

	"kb/internal/generation"
)

// The generation format moved to package generation; these names stay for
// callers not yet moved.

// Meta is generation.Meta.
type Meta = generation.Meta

// MetaLang is generation.MetaLang.
type MetaLang = generation.MetaLang

// Generation is generation.Generation.
func Generation(out string) (string, error) { return generation.Generation(out) }

// ReadMeta is generation.ReadMeta.
func ReadMeta(gen string) (*Meta, error) { return generation.ReadMeta(gen) }

// HoldGeneration is generation.Hold.
func HoldGeneration(gen string) (*os.File, error) { return generation.Hold(gen) }

// SecurityHeaders is generation.SecurityHeaders.
func SecurityHeaders(style string) [][2]string { return generation.SecurityHeaders(style) }

// HeaderFiles is generation.HeaderFiles.
func HeaderFiles(style string) map[string][]byte { return generation.HeaderFiles(style) }
