package http

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/go-chi/chi/v5"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/listform"
)

// exportUnitList writes a unit's items in the official form, signed in the
// footer with the unit's name. Phones are masked for roles that may not see them.
func (s *Server) exportUnitList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	l, err := s.store.UnitList(r.Context(), a, chi.URLParam(r, "code"), workflow.State(r.URL.Query().Get("state")))
	if err != nil {
		return err
	}
	items := make([]listform.Item, len(l.Exhibits))
	for i, x := range l.Exhibits {
		items[i] = listform.Item{Fields: view(a, x).Fields}
	}
	footer := l.Footer
	if footer.ContactPhone != "" && !a.CanSeePhone(&workflow.Exhibit{District: l.Unit.Code}) {
		footer.ContactPhone = workflow.MaskedPhone(footer.ContactPhone)
	}
	return writeXLSX(w, l.Unit.NameZH+"展品征集项目清单.xlsx", "list-"+l.Unit.Code+".xlsx", func(out io.Writer) error {
		return listform.Write(out, footer, items, listform.WriteOptions{Title: l.Unit.NameZH + listform.Title})
	})
}

// exportFinalList writes the campaign's accepted items with the unit that
// recommended each; the footer is left for the centre to sign.
func (s *Server) exportFinalList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	c, err := s.store.FinalList(r.Context(), a)
	if err != nil {
		return err
	}
	title, name := "“巴渝工匠”绝技绝活展品入选清单", "入选展品清单.xlsx"
	if c.Campaign != nil {
		title = c.Campaign.Name + "入选清单"
		name = strconv.Itoa(c.Campaign.Year) + "年" + name
	}
	items := catalogueItems(a, c, func(it store.CatalogueItem) []string { return []string{it.UnitName} })
	return writeXLSX(w, name, "final-list.xlsx", func(out io.Writer) error {
		return listform.Write(out, listform.UnitInfo{}, items, listform.WriteOptions{Title: title, Extra: []string{"推荐单位"}})
	})
}

// exportLibrary writes the resource library's catalogue: the form's columns,
// then the unit, the state and where the item is kept.
func (s *Server) exportLibrary(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	c, err := s.store.Library(r.Context(), a)
	if err != nil {
		return err
	}
	items := catalogueItems(a, c, func(it store.CatalogueItem) []string {
		return []string{it.UnitName, it.Exhibit.State.Label().ZH, it.Exhibit.Custody.Location}
	})
	return writeXLSX(w, "展示展览资源库目录.xlsx", "library.xlsx", func(out io.Writer) error {
		return listform.Write(out, listform.UnitInfo{}, items, listform.WriteOptions{
			Title: "“巴渝工匠”展示展览资源库目录", Extra: []string{"推荐单位", "状态", "存放位置"}})
	})
}

func catalogueItems(a workflow.Actor, c *store.Catalogue, extra func(store.CatalogueItem) []string) []listform.Item {
	items := make([]listform.Item, len(c.Items))
	for i, it := range c.Items {
		items[i] = listform.Item{Fields: view(a, it.Exhibit).Fields, Extra: extra(it)}
	}
	return items
}

// template serves the blank form, built once: it never changes while the
// server runs.
func (s *Server) template() http.HandlerFunc {
	build := sync.OnceValues(func() ([]byte, error) {
		var b bytes.Buffer
		err := listform.Template(&b)
		return b.Bytes(), err
	})
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		b, err := build()
		if err != nil {
			return err
		}
		return writeXLSX(w, listform.Title+".xlsx", "template.xlsx", func(out io.Writer) error {
			_, err := out.Write(b)
			return err
		})
	})
}

// writeXLSX builds the workbook before sending anything, so that a failure is
// still an error answer, then sends it as a download named in Chinese.
func writeXLSX(w http.ResponseWriter, name, ascii string, write func(io.Writer) error) error {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", xlsxType)
	h.Set("Content-Disposition", attachment(name, ascii))
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(b.Bytes())
	return err
}

// attachment is a Content-Disposition naming a download twice (RFC 6266): in
// filename*, the UTF-8 name percent-encoded as RFC 5987 asks, which every
// current browser reads, and in filename, an ASCII name for clients that
// understand nothing else.
func attachment(name, ascii string) string {
	var b strings.Builder
	b.WriteString(`attachment; filename="`)
	b.WriteString(ascii)
	b.WriteString(`"; filename*=UTF-8''`)
	for i := 0; i < len(name); i++ {
		if c := name[i]; isAttrChar(c) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// isAttrChar is RFC 5987's attr-char: what may stand unencoded in filename*.
func isAttrChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}
