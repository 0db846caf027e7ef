package blob_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"testing"

	"bayu/store/blob"
)

func pngBytes(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestPutIsContentAddressedAndBounded(t *testing.T) {
	s, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := pngBytes(t, 40, 20)
	a, size, err := s.Put(bytes.NewReader(data), 1<<20)
	if err != nil || size != int64(len(data)) {
		t.Fatal(size, err)
	}
	b, _, _ := s.Put(bytes.NewReader(data), 1<<20)
	if a != b || len(a) != 64 {
		t.Fatalf("same bytes, different names: %s %s", a, b)
	}
	f, err := s.Open(a)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, data) {
		t.Fatal("stored bytes differ")
	}
	if _, _, err := s.Put(bytes.NewReader(make([]byte, 1001)), 1000); !errors.Is(err, blob.ErrTooLarge) {
		t.Fatalf("over the limit: %v", err)
	}
	if _, err := s.Open("../../etc/passwd"); err == nil {
		t.Fatal("opened a path outside the store")
	}
}

func sniff(b []byte) (string, blob.Kind, bool) {
	return blob.Sniff(bytes.NewReader(b), int64(len(b)))
}

func TestSniffDecidesByContentNotName(t *testing.T) {
	var docx bytes.Buffer
	zw := zip.NewWriter(&docx)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte("<w:document/>"))
	zw.Close()
	var plainZip bytes.Buffer
	zw = zip.NewWriter(&plainZip)
	w, _ = zw.Create("evil.exe")
	w.Write([]byte("MZ"))
	zw.Close()
	cases := []struct {
		name string // what an uploader might call it; ignored
		data []byte
		kind blob.Kind
		ok   bool
	}{
		{"photo.pdf", pngBytes(t, 10, 10), blob.Photo, true},
		{"report.pdf", []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj"), blob.Document, true},
		{"cute.jpg", []byte("<html><script>alert(1)</script></html>"), "", false},
		{"cat.png", append([]byte("MZ\x90\x00"), make([]byte, 100)...), "", false},
		{"list.docx", docx.Bytes(), blob.Document, true},
		{"photos.zip", plainZip.Bytes(), "", false},
		{"notes.txt", []byte("纯文本说明"), "", false},
	}
	for _, c := range cases {
		ct, kind, ok := sniff(c.data)
		if ok != c.ok || kind != c.kind {
			t.Errorf("%s: got %s %q %v, want %q %v", c.name, ct, kind, ok, c.kind, c.ok)
		}
	}
}

func TestThumbnailFitsAndKeepsAspect(t *testing.T) {
	th, err := blob.Thumbnail(bytes.NewReader(pngBytes(t, 1600, 800)))
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(th))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != blob.ThumbSize || b.Dy() != blob.ThumbSize/2 {
		t.Fatalf("thumbnail %v", b)
	}
	small, _ := blob.Thumbnail(bytes.NewReader(pngBytes(t, 50, 30)))
	img, _ = jpeg.Decode(bytes.NewReader(small))
	if b := img.Bounds(); b.Dx() != 50 || b.Dy() != 30 {
		t.Fatalf("a small photo was enlarged: %v", b)
	}
	_ = os.ErrNotExist
}
