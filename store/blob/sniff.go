package blob

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"strings"
)

// Kind is what an uploaded file is, decided from its bytes, never from its name.
type Kind string

// The kinds of media an exhibit may carry.
const (
	Photo    Kind = "photo"
	Video    Kind = "video"
	Document Kind = "document"
)

// allowed maps the content types bayu accepts to their kind.
var allowed = map[string]Kind{
	"image/jpeg": Photo, "image/png": Photo, "image/gif": Photo, "image/webp": Photo,
	"video/mp4": Video, "video/webm": Video,
	"application/pdf": Document,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   Document,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         Document,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": Document,
}

// Sniff decides the content type and kind of a file from its bytes. ok is false
// for anything bayu does not accept (executables, HTML, scripts, archives).
func Sniff(f io.ReaderAt, size int64) (contentType string, kind Kind, ok bool) {
	head := make([]byte, 512)
	n, _ := f.ReadAt(head, 0)
	ct := http.DetectContentType(head[:n])
	ct, _, _ = strings.Cut(ct, ";")
	if ct == "application/zip" {
		ct = officeType(f, size)
	}
	k, ok := allowed[ct]
	return ct, k, ok
}

// officeType tells Word, Excel and PowerPoint files (zip containers) by their parts.
func officeType(f io.ReaderAt, size int64) string {
	z, err := zip.NewReader(f, size)
	if err != nil {
		return "application/zip"
	}
	for _, e := range z.File {
		switch {
		case strings.HasPrefix(e.Name, "word/"):
			return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		case strings.HasPrefix(e.Name, "xl/"):
			return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		case strings.HasPrefix(e.Name, "ppt/"):
			return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
		}
	}
	return "application/zip"
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
