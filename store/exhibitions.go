package store

import (
	"context"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"bayu/workflow"
)

// Venue is a place the library's items are shown (seeded from the notice, 七).
type Venue struct {
	ID     int64  `db:"id" json:"id"`
	Code   string `db:"code" json:"code"`
	NameZH string `db:"name_zh" json:"name_zh"`
	NameEN string `db:"name_en" json:"name_en"`
	Kind   string `db:"kind" json:"kind"` // museum, expo, competition, corridor
}

// Exhibition is a planned show with its venue and how many items it shows now.
type Exhibition struct {
	workflow.Exhibition
	VenueEN     string    `json:"venue_en"`
	Description string    `json:"description"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	OnDisplay   int       `json:"on_display"` // items shown there now
}

// exhibitionRow is an exhibition as sqlx scans it.
type exhibitionRow struct {
	ID          int64         `db:"id"`
	Title       string        `db:"title"`
	VenueID     int64         `db:"venue_id"`
	Venue       string        `db:"venue"`
	VenueEN     string        `db:"venue_en"`
	StartsOn    workflow.Date `db:"starts_on"`
	EndsOn      workflow.Date `db:"ends_on"`
	Description string        `db:"description"`
	CreatedBy   string        `db:"created_by"`
	CreatedAt   time.Time     `db:"created_at"`
	OnDisplay   int           `db:"on_display"`
}

func (r *exhibitionRow) toExhibition() Exhibition {
	return Exhibition{
		Exhibition: workflow.Exhibition{ID: r.ID, Title: r.Title, VenueID: r.VenueID, Venue: r.Venue, StartsOn: r.StartsOn, EndsOn: r.EndsOn},
		VenueEN:    r.VenueEN, Description: r.Description, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), OnDisplay: r.OnDisplay,
	}
}

const exhibitionSelect = `SELECT e.id, e.title, e.venue_id, v.name_zh AS venue, v.name_en AS venue_en, e.starts_on,
		e.ends_on, e.description, e.created_by, e.created_at,
		(SELECT count(*) FROM exhibits x WHERE x.exhibition_id = e.id AND x.state = 'on_display') AS on_display
	FROM exhibitions e JOIN venues v ON v.id = e.venue_id`

// Venues lists the venues in the notice's order.
func (s *Store) Venues(ctx context.Context) ([]Venue, error) {
	out := []Venue{}
	err := s.db.SelectContext(ctx, &out, `SELECT id, code, name_zh, name_en, kind FROM venues ORDER BY id`)
	return out, classify(err)
}

// CreateExhibition plans an exhibition at a venue. Coordinators only.
func (s *Store) CreateExhibition(ctx context.Context, a workflow.Actor, in workflow.ExhibitionInput) (*Exhibition, error) {
	if a.Role != workflow.Coordinator {
		return nil, workflow.Errorf(workflow.CodeForbidden, "只有市级统筹可以安排展览", "only coordinators plan exhibitions")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var id int64
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var ok bool
		if err := tx.GetContext(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM venues WHERE id = $1)`, in.VenueID); err != nil {
			return err
		}
		if !ok {
			return &workflow.Error{Code: workflow.CodeInvalid, Message: workflow.T("展馆不存在", "no such venue"),
				Fields: map[string]workflow.Text{"venue_id": workflow.T("不是已登记的展馆", "is not a known venue")}}
		}
		return tx.GetContext(ctx, &id, `INSERT INTO exhibitions (venue_id, title, starts_on, ends_on, description, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, in.VenueID, in.Title, in.StartsOn, in.EndsOn, in.Description, a.Name, s.Now())
	})
	if err != nil {
		return nil, err
	}
	return getExhibition(ctx, s.db, id)
}

// Exhibitions lists every exhibition, the latest ending first.
func (s *Store) Exhibitions(ctx context.Context) ([]Exhibition, error) {
	var rows []exhibitionRow
	if err := s.db.SelectContext(ctx, &rows, exhibitionSelect+` ORDER BY e.ends_on DESC, e.id DESC`); err != nil {
		return nil, classify(err)
	}
	out := make([]Exhibition, len(rows))
	for i := range rows {
		out[i] = rows[i].toExhibition()
	}
	return out, nil
}

// Exhibition returns one exhibition.
func (s *Store) Exhibition(ctx context.Context, id int64) (*Exhibition, error) {
	return getExhibition(ctx, s.db, id)
}

// ExhibitionItem is an item an exhibition shows or has shown.
type ExhibitionItem struct {
	ID       int64          `json:"id"`
	Name     string         `json:"name"`
	District string         `json:"district"`
	State    workflow.State `json:"state"`
	Current  bool           `json:"current"` // shown there now
	From     workflow.Date  `json:"from"`    // of the current stay; empty for past ones
	Until    workflow.Date  `json:"until"`
}

// ExhibitionItems lists what the exhibition shows now and what it has shown
// (read from the display rows of the history), as far as the actor may see.
func (s *Store) ExhibitionItems(ctx context.Context, a workflow.Actor, id int64) ([]ExhibitionItem, error) {
	if _, err := getExhibition(ctx, s.db, id); err != nil {
		return nil, err
	}
	var rows []exhibitRow
	err := s.db.SelectContext(ctx, &rows, `SELECT `+exhibitColumns+` FROM exhibits WHERE exhibition_id = $1
		OR id IN (SELECT exhibit_id FROM exhibit_history WHERE event = 'display' AND data ? 'exhibition'
			AND data ->> 'exhibition' = $2)
		ORDER BY id`, id, strconv.FormatInt(id, 10))
	if err != nil {
		return nil, classify(err)
	}
	out := []ExhibitionItem{}
	for i := range rows {
		x := rows[i].toExhibit()
		if !a.CanView(x) {
			continue
		}
		it := ExhibitionItem{ID: x.ID, Name: x.Name, District: x.District, State: x.State}
		if x.State == workflow.OnDisplay && x.Custody.ExhibitionID != nil && *x.Custody.ExhibitionID == id {
			it.Current, it.From, it.Until = true, x.Custody.DisplayFrom, x.Custody.DisplayUntil
		}
		out = append(out, it)
	}
	return out, nil
}
