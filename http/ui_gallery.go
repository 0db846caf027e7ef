package http

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"bayu/store"
	"bayu/workflow"
)

// The public gallery (展品展示): the resource library's stored and displayed
// items, for anyone, without a login. It shows what store.GalleryItem holds
// — no contact, no holder's unit, text with names and numbers hidden — and
// photos only as thumbnails, which are re-encoded and so carry no metadata of
// the original file (a camera's GPS position, an owner's name).

// galleryView is a page of the gallery with its filters.
type galleryView struct {
	page
	Items   []store.GalleryItem
	Types   []option
	Type    string
	ForSale bool
	NextURL string
}

// galleryItemView is one item of the gallery.
type galleryItemView struct {
	page
	Item *store.GalleryItem
}

func (s *uiServer) galleryPage(w http.ResponseWriter, r *http.Request) {
	f, err := galleryFilter(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p, err := s.store.Gallery(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	l := apiLang(langOf(r))
	v := &galleryView{page: page{Title: s.t(r, "gallery.title"), Nav: "gallery"}, Items: p.Items,
		Type: string(f.ContentType), ForSale: f.ForSale}
	for _, c := range []workflow.ContentType{workflow.CraftWork, workflow.Historical, workflow.ProductionEquipment, workflow.Competition} {
		v.Types = append(v.Types, option{Value: string(c), Label: c.Label().In(l)})
	}
	if p.Next != 0 {
		q := url.Values{"before": {strconv.FormatInt(p.Next, 10)}}
		if f.ContentType != "" {
			q.Set("type", string(f.ContentType))
		}
		if f.ForSale {
			q.Set("for_sale", "1")
		}
		v.NextURL = "/gallery?" + q.Encode()
	}
	s.render(w, r, http.StatusOK, "gallery", v)
}

func (s *uiServer) galleryItemPage(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		s.renderError(w, r, workflow.Errorf(workflow.CodeNotFound, "展品不存在", "no such exhibit"))
		return
	}
	it, err := s.store.GalleryItem(r.Context(), id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "gallery_item", &galleryItemView{page: page{Title: it.Name, Nav: "gallery"}, Item: it})
}

// galleryPhoto serves the thumbnail of a photo of an item the gallery shows;
// anything else is not found, whether it exists or not.
func (s *uiServer) galleryPhoto(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		http.NotFound(w, r)
		return
	}
	m, err := s.store.PublicMedia(r.Context(), id)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if err := s.serveMedia(w, r, m, true); err != nil {
		http.NotFound(w, r)
	}
}
