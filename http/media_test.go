package http_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func pngFile(t *testing.T, w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func (a *api) upload(user string, id int64, name string, data []byte) reply {
	return a.do(user, "POST", fmt.Sprintf("/api/v1/exhibits/%d/media?name=%s", id, name), data, "Content-Type", "application/octet-stream")
}

func TestMediaUploadSniffsContentAndLimitsSize(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id, _ := a.create("wanzhou")
	r := a.upload("wanzhou", id, "certificate.pdf", pngFile(t, 800, 400))
	m := r.json(t)
	if r.status != 201 || m["kind"] != "photo" || m["content_type"] != "image/png" || m["thumb_sha256"] == nil {
		t.Fatalf("a PNG named .pdf: %d %s", r.status, r.body)
	}
	mid := int64(m["id"].(float64))
	for _, c := range []struct {
		name string
		data []byte
		want int
	}{
		{"photo.jpg", []byte("<!DOCTYPE html><script>alert(document.cookie)</script>"), 422},
		{"setup.png", append([]byte("MZ\x90\x00\x03"), make([]byte, 600)...), 422},
		{"big.png", append(pngFile(t, 10, 10), make([]byte, 1<<20)...), 413},
		{"empty.png", nil, 422},
	} {
		if r := a.upload("wanzhou", id, c.name, c.data); r.status != c.want {
			t.Errorf("%s: got %d, want %d: %s", c.name, r.status, c.want, r.body)
		}
	}
	if r := a.upload("eval", id, "x.png", pngFile(t, 5, 5)); r.status != 403 {
		t.Errorf("evaluator upload: %d", r.status)
	}
	if r := a.upload("fuling", id, "x.png", pngFile(t, 5, 5)); r.status != 404 {
		t.Errorf("another unit's upload: %d", r.status)
	}
	list := a.do("coord", "GET", fmt.Sprintf("/api/v1/exhibits/%d/media", id), nil).json(t)["media"].([]any)
	if len(list) != 1 {
		t.Fatalf("refused uploads were recorded: %v", list)
	}

	req, _ := http.NewRequest("GET", a.srv.URL+"/api/v1/media/"+strconv.FormatInt(mid, 10), nil)
	req.Header.Set("Authorization", "Bearer "+a.tokens["audit"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || !bytes.Equal(body, pngFile(t, 800, 400)) ||
		res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("download: %d %v", res.StatusCode, res.Header)
	}
	thumb := a.do("coord", "GET", fmt.Sprintf("/api/v1/media/%d?thumb=1", mid), nil)
	if thumb.status != 200 || thumb.header.Get("Content-Type") != "image/jpeg" || len(thumb.body) == 0 {
		t.Fatalf("thumbnail: %d %v", thumb.status, thumb.header)
	}
	if r := a.do("fuling", "GET", fmt.Sprintf("/api/v1/media/%d", mid), nil); r.status != 404 {
		t.Errorf("another unit reads the file: %d", r.status)
	}
}
