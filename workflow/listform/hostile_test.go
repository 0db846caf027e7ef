package listform

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"bayu/workflow"
)

// bombStream is a raw deflate stream of size zero bytes (size a multiple of
// 1 MiB) and its CRC-32. Deflating 512 MiB takes seconds, much longer under the
// race detector, so only three megabytes are compressed: with the window full
// of zeros, every later megabyte compresses to the same bytes (each chunk ends
// with a flush, so blocks end on byte boundaries), and the stream repeats them.
func bombStream(t *testing.T, size int64) (stream []byte, crc uint32) {
	t.Helper()
	const chunk = 1 << 20
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	zeros := make([]byte, chunk)
	var parts [3][]byte
	for i := range parts {
		fw.Write(zeros)
		fw.Flush()
		parts[i] = bytes.Clone(buf.Bytes())
		buf.Reset()
	}
	fw.Close()
	tail := buf.Bytes()
	if !bytes.Equal(parts[1], parts[2]) {
		t.Fatal("deflate output of zeros does not repeat; build the bomb the slow way")
	}
	var out bytes.Buffer
	out.Write(parts[0])
	for range size/chunk - 1 {
		out.Write(parts[1])
	}
	out.Write(tail)
	// The CRC-32 of size zeros, computed by combining without allocating size bytes.
	h := crc32.NewIEEE()
	for range size / chunk {
		h.Write(zeros)
	}
	return out.Bytes(), h.Sum32()
}

// writeBomb writes an xlsx-looking zip whose sheet1.xml is the bomb; declared is
// the uncompressed size the zip headers claim (a lying bomb claims little).
func writeBomb(t *testing.T, path string, stream []byte, crc uint32, declared uint64) {
	t.Helper()
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, _ := zw.Create(name)
		io.WriteString(w, `<?xml version="1.0"?><x/>`)
	}
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(stream)), UncompressedSize64: declared,
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(stream)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestZipBomb builds a bomb of about 515 KiB that inflates to 512 MiB, once with
// honest sizes and once lying that it inflates to 4 KiB, and asserts both are
// refused in well under a second without the heap growing by 50 MB.
func TestZipBomb(t *testing.T) {
	const inflated = 512 << 20
	stream, crc := bombStream(t, inflated)
	dir := t.TempDir()
	for _, c := range []struct {
		name     string
		declared uint64
		code     workflow.Code
	}{
		{"honest", inflated, workflow.CodeTooLarge},
		{"lying", 4 << 10, workflow.CodeInvalid},
		// Lying just under the size excelize holds in memory: it inflates that
		// much, finds more, and stops.
		{"lying big", UnzipXMLSizeLimit - 1, workflow.CodeInvalid},
	} {
		path := filepath.Join(dir, c.name+".xlsx")
		writeBomb(t, path, stream, crc, c.declared)
		fi, _ := os.Stat(path)
		if fi.Size() < 500<<10 || fi.Size() > 530<<10 {
			t.Fatalf("%s bomb is %d bytes, want about 515 KiB", c.name, fi.Size())
		}
		file, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		_, err = Parse(file, Options{})
		elapsed := time.Since(start)
		runtime.ReadMemStats(&after)
		file.Close()
		le := listError(t, err)
		if le.Code != c.code {
			t.Errorf("%s: code %s (%v), want %s", c.name, le.Code, err, c.code)
		}
		allocated := after.TotalAlloc - before.TotalAlloc
		grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
		t.Logf("%s bomb (%d KiB → 512 MiB): refused in %v, allocated %d KiB, heap grew %d KiB: %s",
			c.name, fi.Size()>>10, elapsed, allocated>>10, grown>>10, le.Message.ZH)
		if elapsed > 500*time.Millisecond {
			t.Errorf("%s: took %v", c.name, elapsed)
		}
		sys := int64(after.Sys) - int64(before.Sys) // what the runtime took from the OS
		if allocated > 50<<20 || grown > 50<<20 || sys > 50<<20 {
			t.Errorf("%s: allocated %d bytes, heap grew %d bytes, process memory grew %d bytes", c.name, allocated, grown, sys)
		}
	}
}

func TestHostileFiles(t *testing.T) {
	valid := book(t, [][]any{headerRowAny(), goodRow(1)})
	manyEntries := func(n int) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for i := range n {
			w, _ := zw.Create("xl/media/image" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + ".png")
			w.Write([]byte{byte(i)})
		}
		w, _ := zw.Create("xl/workbook.xml")
		w.Write([]byte("<x/>"))
		zw.Close()
		return buf.Bytes()
	}
	zipOf := func(names ...string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, n := range names {
			w, _ := zw.Create(n)
			w.Write([]byte("<x/>"))
		}
		zw.Close()
		return buf.Bytes()
	}
	ole := append(append([]byte{}, oleMagic...), make([]byte, 1024)...)
	encrypted := append(append([]byte{}, ole...), utf16le("EncryptionInfo")...)
	cases := []struct {
		name string
		data []byte
		code workflow.Code
		says string
	}{
		{"xls", ole, workflow.CodeInvalid, ".xls"},
		{"encrypted", encrypted, workflow.CodeInvalid, "密码"},
		{"empty", nil, workflow.CodeInvalid, ".xlsx"},
		{"csv", []byte("序号,展品名称\n1,x\n"), workflow.CodeInvalid, "不是 Excel"},
		{"pdf", []byte("%PDF-1.7\n"), workflow.CodeInvalid, "不是 Excel"},
		{"truncated", valid[:len(valid)/2], workflow.CodeInvalid, "已损坏"},
		{"entries", manyEntries(MaxZipEntries + 1), workflow.CodeTooLarge, "条目过多"},
		{"ods", zipOf("mimetype", "content.xml"), workflow.CodeInvalid, ".ods"},
		{"docx", zipOf("[Content_Types].xml", "word/document.xml"), workflow.CodeInvalid, ".docx"},
		{"broken workbook", zipOf("[Content_Types].xml", "xl/workbook.xml"), workflow.CodeInvalid, "已损坏"},
		{"too big", make([]byte, MaxFileBytes+1), workflow.CodeTooLarge, "10 MB"},
	}
	for _, c := range cases {
		_, err := Parse(bytes.NewReader(c.data), Options{})
		le := listError(t, err)
		if le.Code != c.code || !strings.Contains(le.Message.ZH, c.says) || le.Message.EN == "" {
			t.Errorf("%s: %s %q, want %s saying %q", c.name, le.Code, le.Message.ZH, c.code, c.says)
		}
		if workflow.ErrorCode(err) != c.code {
			t.Errorf("%s: workflow.ErrorCode = %s", c.name, workflow.ErrorCode(err))
		}
	}
	if _, err := Parse(bytes.NewReader(manyEntries(MaxZipEntries-1)), Options{}); strings.Contains(err.Error(), "too many parts") {
		t.Errorf("%d entries refused: %v", MaxZipEntries, err)
	}
}

func TestPanicIsRecovered(t *testing.T) {
	testHook = func() { panic("boom") }
	defer func() { testHook = nil }()
	_, err := Parse(bytes.NewReader(book(t, [][]any{headerRowAny(), goodRow(1)})), Options{})
	var le *Error
	if !errors.As(err, &le) || !le.panicked || le.Code != workflow.CodeInvalid || !strings.Contains(le.Internal, "boom") {
		t.Fatalf("got %#v", err)
	}
	if strings.Contains(le.Message.ZH, "boom") || strings.Contains(le.Error(), "boom") {
		t.Error("the panic's detail reaches the user")
	}
}
