package http

import (
	"errors"
	"mime"
	"net/http"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"bayu/store"
	"bayu/store/blob"
	"bayu/workflow"
)

// DefaultMaxUpload bounds one uploaded file unless Options.MaxUpload says otherwise.
const DefaultMaxUpload = 25 << 20

func (s *Server) mediaRoutes() []route {
	writers := only(workflow.Coordinator, workflow.District)
	return []route{
		{Method: "POST", Pattern: "/exhibits/{id}/media", Summary: "Attach a photo, video or document (the raw bytes as the body; ?name= the file name)",
			Access: writers, Handler: s.uploadMedia, Query: []string{"name"}, Consumes: "*/*", Response: store.Media{}, Status: http.StatusCreated},
		{Method: "GET", Pattern: "/exhibits/{id}/media", Summary: "The files attached to an exhibit", Access: signedIn,
			Handler: s.listMedia, Response: mediaList{}},
		{Method: "GET", Pattern: "/media/{id}", Summary: "One attached file's bytes (?thumb=1 for a photo's thumbnail)", Access: signedIn,
			Handler: s.getMedia, Query: []string{"thumb"}, Produces: "*/*"},
	}
}

type mediaList struct {
	Media []store.Media `json:"media"`
}

func (s *Server) uploadMedia(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	// Check before reading the upload: a refused caller costs no disk.
	if err := s.store.CanAttach(r.Context(), a, id); err != nil {
		return err
	}
	if s.opts.Media == nil {
		return workflow.Errorf(workflow.CodeInternal, "未配置文件存储目录", "no media folder is configured")
	}
	limit := s.opts.MaxUpload
	if limit == 0 {
		limit = DefaultMaxUpload
	}
	sum, size, err := s.opts.Media.Put(r.Body, limit)
	if errors.Is(err, blob.ErrTooLarge) {
		return workflow.Errorf(workflow.CodeTooLarge, "文件超过 "+strconv.FormatInt(limit>>20, 10)+" MiB", "the file is over "+strconv.FormatInt(limit>>20, 10)+" MiB")
	}
	if err != nil {
		return err
	}
	if size == 0 {
		return workflow.Errorf(workflow.CodeInvalid, "文件为空", "the file is empty")
	}
	f, err := s.opts.Media.Open(sum)
	if err != nil {
		return err
	}
	defer f.Close()
	ct, kind, ok := blob.Sniff(f, size)
	if !ok {
		return &workflow.Error{Code: workflow.CodeInvalid,
			Message: workflow.T("不支持的文件类型（按内容识别为 "+ct+"）：只接受 JPEG/PNG/GIF/WebP 照片、MP4/WebM 视频、PDF 和 Office 文档",
				"unsupported file type (the content is "+ct+"): only JPEG/PNG/GIF/WebP photos, MP4/WebM videos, PDF and Office documents"),
			Fields: map[string]workflow.Text{"file": workflow.T("类型不支持", "type not accepted")}}
	}
	m := store.Media{ExhibitID: id, SHA256: sum, Kind: string(kind), ContentType: ct, Size: size, Name: cleanName(r.URL.Query().Get("name"))}
	if kind == blob.Photo {
		if thumb, err := blob.Thumbnail(f); err == nil {
			if tsum, err := s.opts.Media.PutBytes(thumb); err == nil {
				m.ThumbSHA256 = &tsum
			}
		}
	}
	saved, err := s.store.AddMedia(r.Context(), a, m)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, saved)
	return nil
}

// cleanName keeps a file name for display only: no paths, no control characters.
func cleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if !utf8.ValidString(name) || len(name) > 200 {
		return ""
	}
	return name
}

func (s *Server) listMedia(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	list, err := s.store.ExhibitMedia(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mediaList{Media: list})
	return nil
}

func (s *Server) getMedia(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		return workflow.Errorf(workflow.CodeNotFound, "文件不存在", "no such file")
	}
	m, err := s.store.MediaItem(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	return s.serveMedia(w, r, m, r.URL.Query().Get("thumb") == "1")
}

// serveMedia sends a stored file with headers that keep a browser from treating
// it as anything but what its content is: the sniffed type, nosniff, and a
// sandbox so a document cannot run script on this origin.
func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request, m *store.Media, thumb bool) error {
	if s.opts.Media == nil {
		return workflow.Errorf(workflow.CodeNotFound, "文件不存在", "no such file")
	}
	sum, ct := m.SHA256, m.ContentType
	if thumb {
		if m.ThumbSHA256 == nil {
			return workflow.Errorf(workflow.CodeNotFound, "该文件没有缩略图", "this file has no thumbnail")
		}
		sum, ct = *m.ThumbSHA256, "image/jpeg"
	}
	f, err := s.opts.Media.Open(sum)
	if errors.Is(err, os.ErrNotExist) {
		return workflow.Errorf(workflow.CodeNotFound, "文件不存在", "no such file")
	}
	if err != nil {
		return err
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; media-src 'self'")
	h.Set("Cache-Control", "private, max-age=86400, immutable")
	disposition := "inline"
	if m.Kind == string(blob.Document) && ct != "application/pdf" {
		disposition = "attachment"
	}
	if m.Name != "" && !thumb {
		h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": m.Name}))
	} else {
		h.Set("Content-Disposition", disposition)
	}
	http.ServeContent(w, r, "", m.CreatedAt, f)
	return nil
}
