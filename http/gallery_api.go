package http

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"bayu/store"
	"bayu/workflow"
)

// galleryRoutes are the public gallery as JSON: no credentials, no personal
// data (store.GalleryItem has no field for it, and its text is redacted).
func (s *Server) galleryRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/gallery", Summary: "Public: stored and displayed items, newest first (?type=, ?for_sale=1, ?before=)",
			Access: public, Handler: s.galleryJSON, Query: []string{"type", "for_sale", "before"}, Response: store.GalleryPage{}},
		{Method: "GET", Pattern: "/gallery/{id}", Summary: "Public: one item of the gallery", Access: public,
			Handler: s.galleryItemJSON, Response: store.GalleryItem{}},
	}
}

// galleryFilter reads the gallery's query; a value that cannot match is a 400.
func galleryFilter(r *http.Request) (store.GalleryFilter, error) {
	q := r.URL.Query()
	f := store.GalleryFilter{ContentType: workflow.ContentType(q.Get("type")), ForSale: q.Get("for_sale") == "1"}
	fe := workflow.FieldErrors{}
	if f.ContentType != "" && !f.ContentType.Valid() {
		fe.Add("type", "未知的征集内容", "unknown content type")
	}
	if b := q.Get("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n < 1 {
			fe.Add("before", "必须是正整数", "must be a positive whole number")
		}
		f.Before = n
	}
	if err, ok := fe.Err().(*workflow.Error); ok {
		err.Code = workflow.CodeBadRequest
		return f, err
	}
	return f, nil
}

func (s *Server) galleryJSON(w http.ResponseWriter, r *http.Request) error {
	f, err := galleryFilter(r)
	if err != nil {
		return err
	}
	page, err := s.store.Gallery(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) galleryItemJSON(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		return workflow.Errorf(workflow.CodeNotFound, "展品不存在", "no such exhibit")
	}
	it, err := s.store.GalleryItem(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, it)
	return nil
}
