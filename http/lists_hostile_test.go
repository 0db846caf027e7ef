package http_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
)

// zipBomb is an xlsx-looking zip of about 515 KiB whose sheet inflates to
// 512 MiB of zeros; declared is the size its headers claim (a lying bomb claims
// little). Only three megabytes are deflated: with the window full of zeros
// every later megabyte compresses to the same bytes, which are repeated.
func zipBomb(t *testing.T, declared uint64) []byte {
	t.Helper()
	const chunk, size = 1 << 20, 512 << 20
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
	if !bytes.Equal(parts[1], parts[2]) {
		t.Fatal("deflate output of zeros does not repeat")
	}
	var stream bytes.Buffer
	stream.Write(parts[0])
	for range size/chunk - 1 {
		stream.Write(parts[1])
	}
	stream.Write(buf.Bytes())
	h := crc32.NewIEEE()
	for range size / chunk {
		h.Write(zeros)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, _ := zw.Create(name)
		io.WriteString(w, `<?xml version="1.0"?><x/>`)
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: h.Sum32(),
		CompressedSize64: uint64(stream.Len()), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(stream.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestHostileListsOverHTTP sends what must be refused: each gets its 4xx with a
// message saying what to do, never a 5xx, and nothing is written.
func TestHostileListsOverHTTP(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	before := a.tables(t)
	huge := append(bytes.Clone(listFile(t, "lo-filled.xlsx")), make([]byte, 10<<20)...)
	for _, c := range []struct {
		name   string
		body   []byte
		header []string
		query  string
		status int
		says   string
	}{
		{"honest zip bomb", zipBomb(t, 512<<20), nil, "", 413, "解压后过大"},
		{"lying zip bomb", zipBomb(t, 4<<10), nil, "", 422, "压缩数据校验失败"},
		{"old Excel .xls", listFile(t, "lo-filled.xls"), nil, "", 422, "另存为"},
		{"OpenDocument .ods", listFile(t, "lo-filled.ods"), nil, "", 422, ".ods"},
		{"a picture", tinyPNG, nil, "", 422, "不是 Excel 工作簿"},
		{"truncated", listFile(t, "lo-filled.xlsx")[:4000], nil, "", 422, "已损坏"},
		{"over 10 MiB", huge, nil, "", 413, "文件过大"},
		{"over 10 MiB in a form", multipartFile(huge), []string{"Content-Type", "multipart/form-data; boundary=b"}, "", 413, "文件过大"},
		{"a form without file", []byte("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--b--\r\n"),
			[]string{"Content-Type", "multipart/form-data; boundary=b"}, "", 400, "没有上传文件"},
		{"no body", nil, nil, "", 400, "没有上传文件"},
		{"bad dry_run", listFile(t, "lo-filled.xlsx"), nil, "?dry_run=maybe", 400, "应为 1 或 0"},
	} {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		start := time.Now()
		r := a.importList("wanzhou", "500101", c.query, c.body, c.header...)
		elapsed := time.Since(start)
		if r.status != c.status || !strings.Contains(string(r.body), c.says) {
			t.Errorf("%s: %d %s, want %d saying %q", c.name, r.status, r.body, c.status, c.says)
		}
		if strings.Contains(c.name, "bomb") && elapsed > time.Second {
			t.Errorf("%s: refused after %v", c.name, elapsed)
		}
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if grown := int64(after.Sys) - int64(ms.Sys); grown > 100<<20 {
			t.Errorf("%s: the process grew by %d MiB", c.name, grown>>20)
		}
	}
	if after := a.tables(t); after != before {
		t.Errorf("a refused file wrote: %s → %s", before, after)
	}
}

func multipartFile(b []byte) []byte {
	var out bytes.Buffer
	out.WriteString("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"清单.xlsx\"\r\n\r\n")
	out.Write(b)
	out.WriteString("\r\n--b--\r\n")
	return out.Bytes()
}
