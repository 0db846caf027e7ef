package store

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"github.com/lib/pq"

	"bayu/workflow"
)

// GalleryItem is what the public gallery shows of a stored or displayed item:
// what it is, where from (the recommending unit), where it is shown, its price
// if it is for sale, and its photos. There is no field for the holder's unit,
// contact or phone; the text fields pass through a workflow.Redactor.
type GalleryItem struct {
	ID              int64                `json:"id"`
	Name            string               `json:"name"`
	Category        string               `json:"category"`
	ContentType     workflow.ContentType `json:"content_type"`
	Region          string               `json:"region"`
	EraType         string               `json:"era_type"`
	Era             string               `json:"era"`
	SizeCM          string               `json:"size_cm"`
	Quantity        int                  `json:"quantity"`
	Description     string               `json:"description"`
	District        string               `json:"district"`
	State           workflow.State       `json:"state"`
	Method          workflow.Method      `json:"method"`
	AskingPriceCNY  *int64               `json:"asking_price_cny"` // consignment items, for sale
	Venue           string               `json:"venue"`            // on display: where
	ExhibitionTitle string               `json:"exhibition_title"`
	DisplayUntil    workflow.Date        `json:"display_until"`
	Photos          []int64              `json:"photos"` // media ids with a thumbnail, oldest first
}

// galleryRow is a gallery item as scanned, with the contact fields that only
// the redaction reads.
type galleryRow struct {
	ID              int64         `db:"id"`
	Name            string        `db:"name"`
	Category        string        `db:"category"`
	ContentType     string        `db:"content_type"`
	Region          string        `db:"region"`
	EraType         string        `db:"era_type"`
	Era             string        `db:"era"`
	SizeCM          string        `db:"size_cm"`
	Quantity        int           `db:"quantity"`
	Description     string        `db:"description"`
	District        string        `db:"district"`
	State           string        `db:"state"`
	Method          string        `db:"method"`
	AskingPriceCNY  sql.NullInt64 `db:"asking_price_cny"`
	Venue           string        `db:"display_venue"`
	ExhibitionTitle string        `db:"exhibition_title"`
	DisplayUntil    workflow.Date `db:"display_until"`
	Photos          pq.Int64Array `db:"photos"`
	ContactName     string        `db:"contact_name"`
	ContactPhone    string        `db:"contact_phone"`
}

const gallerySelect = `SELECT x.id, x.name, x.category, x.content_type, x.region, x.era_type, x.era, x.size_cm,
		x.quantity, x.description, x.district, x.state, x.method, x.asking_price_cny, x.display_venue,
		coalesce(e.title, '') AS exhibition_title, x.display_until, x.contact_name, x.contact_phone,
		coalesce((SELECT array_agg(m.id ORDER BY m.id) FROM media m
			WHERE m.exhibit_id = x.id AND m.kind = 'photo' AND m.thumb_sha256 IS NOT NULL), '{}') AS photos
	FROM exhibits x LEFT JOIN exhibitions e ON e.id = x.exhibition_id
	WHERE x.state IN ('stored', 'on_display')`

// GalleryFilter picks gallery items: a content kind, only those for sale, and
// the page (ids below Before, newest first).
type GalleryFilter struct {
	ContentType workflow.ContentType
	ForSale     bool
	Before      int64
	Limit       int
}

// GalleryPage is one page of the gallery; Next is the Before of the next page, 0 at the end.
type GalleryPage struct {
	Items []GalleryItem `json:"items"`
	Next  int64         `json:"next"`
}

// Gallery returns a page of the public gallery: stored and displayed items.
func (s *Store) Gallery(ctx context.Context, f GalleryFilter) (*GalleryPage, error) {
	if f.Limit < 1 || f.Limit > 100 {
		f.Limit = 24
	}
	var rows []galleryRow
	err := s.db.SelectContext(ctx, &rows, gallerySelect+` AND ($1 = '' OR x.content_type = $1)
		AND (NOT $2 OR x.method = 'consignment') AND ($3 = 0 OR x.id < $3)
		ORDER BY x.id DESC LIMIT $4`, f.ContentType, f.ForSale, f.Before, f.Limit+1)
	if err != nil {
		return nil, classify(err)
	}
	page := &GalleryPage{Items: []GalleryItem{}}
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		page.Next = rows[len(rows)-1].ID
	}
	hide, err := s.hider(ctx, rows)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		page.Items = append(page.Items, rows[i].public(hide))
	}
	return page, nil
}

// GalleryItem returns one item of the public gallery, or not found.
func (s *Store) GalleryItem(ctx context.Context, id int64) (*GalleryItem, error) {
	var rows []galleryRow
	if err := s.db.SelectContext(ctx, &rows, gallerySelect+` AND x.id = $1`, id); err != nil {
		return nil, classify(err)
	}
	if len(rows) == 0 {
		return nil, errNotFound
	}
	hide, err := s.hider(ctx, rows)
	if err != nil {
		return nil, err
	}
	it := rows[0].public(hide)
	return &it, nil
}

func (r *galleryRow) public(hide func(string) string) GalleryItem {
	it := GalleryItem{ID: r.ID, Name: hide(r.Name), Category: hide(r.Category), ContentType: workflow.ContentType(r.ContentType),
		Region: hide(r.Region), EraType: hide(r.EraType), Era: hide(r.Era), SizeCM: hide(r.SizeCM),
		Quantity: r.Quantity, Description: hide(r.Description), District: r.District, State: workflow.State(r.State),
		Method: workflow.Method(r.Method), Venue: hide(r.Venue), ExhibitionTitle: hide(r.ExhibitionTitle),
		DisplayUntil: r.DisplayUntil, Photos: []int64(r.Photos)}
	if it.Method == workflow.Consignment && r.AskingPriceCNY.Valid {
		it.AskingPriceCNY = &r.AskingPriceCNY.Int64
	}
	if it.Photos == nil {
		it.Photos = []int64{}
	}
	return it
}

// privateTerms caches a redactor of the contact names and phones of all
// exhibits for the public pages: reading them is a scan of every exhibit, and
// a public page must not cost that per request.
type privateTerms struct {
	mu  sync.Mutex
	at  time.Time
	red *workflow.Redactor
}

// privateTermsTTL is how long the cached redactor serves. Names added since
// are still hidden on the items that carry them: rows' own terms are added.
const privateTermsTTL = 30 * time.Second

// hider hides every contact name and phone of the data, and those of rows.
func (s *Store) hider(ctx context.Context, rows []galleryRow) (func(string) string, error) {
	s.private.mu.Lock()
	defer s.private.mu.Unlock()
	if s.private.red == nil || time.Since(s.private.at) > privateTermsTTL {
		var terms []string
		if err := s.db.SelectContext(ctx, &terms, `SELECT contact_name FROM exhibits WHERE contact_name <> ''
			UNION SELECT contact_phone FROM exhibits WHERE contact_phone <> ''`); err != nil {
			return nil, classify(err)
		}
		s.private.red, s.private.at = workflow.NewRedactor(terms), time.Now()
	}
	all := s.private.red
	own := make([]string, 0, 2*len(rows))
	for _, r := range rows {
		own = append(own, r.ContactName, r.ContactPhone)
	}
	mine := workflow.NewRedactor(own)
	return func(text string) string { return mine.Text(all.Text(text)) }, nil
}
