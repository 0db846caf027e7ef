package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"bayu/migrations"
	"bayu/workflow"
	"bayu/workflow/listform"
)

var errNoUnit = workflow.Errorf(workflow.CodeNotFound, "推荐单位不存在", "no such unit")

// visibleUnit returns the unit if the actor may see it. A district user sees
// only its own; another unit is not found, as an exhibit it may not see is.
func visibleUnit(ctx context.Context, q sqlx.QueryerContext, a workflow.Actor, code string) (*migrations.Unit, error) {
	if a.Role == workflow.District && a.District != code {
		return nil, errNoUnit
	}
	var u migrations.Unit
	err := sqlx.GetContext(ctx, q, &u, `SELECT code, name_zh, name_en, kind, quota FROM units WHERE code = $1`, code)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoUnit
	}
	return &u, err
}

// UnitList is a unit's list as the official form prints it.
type UnitList struct {
	Unit migrations.Unit
	// Footer is the unit's name with the contact and phone of its latest
	// imported list, so an export is signed as the unit signed its list.
	Footer   listform.UnitInfo
	Exhibits []*workflow.Exhibit
}

// UnitList returns a unit's exhibits in the order they were entered, which is
// the order of the lists they came from. Without a state it leaves out
// withdrawn items, which are no longer on any list.
func (s *Store) UnitList(ctx context.Context, a workflow.Actor, code string, state workflow.State) (*UnitList, error) {
	if a.Role == workflow.Evaluator {
		return nil, workflow.Errorf(workflow.CodeForbidden, "评估专家不能导出区县清单", "evaluators may not export a unit's list")
	}
	if err := checkState(state); err != nil {
		return nil, err
	}
	u, err := visibleUnit(ctx, s.db, a, code)
	if err != nil {
		return nil, classify(err)
	}
	var footer struct {
		Contact string `db:"footer_contact"`
		Phone   string `db:"footer_phone"`
	}
	err = s.db.GetContext(ctx, &footer, `SELECT footer_contact, footer_phone
		FROM list_imports WHERE district = $1 ORDER BY at DESC, id DESC LIMIT 1`, code)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, classify(err)
	}
	l := &UnitList{Unit: *u, Footer: listform.UnitInfo{Name: u.NameZH, ContactName: footer.Contact, ContactPhone: footer.Phone}}
	where, args := `district = $1 AND state <> 'withdrawn'`, []any{code}
	if state != "" {
		where, args = `district = $1 AND state = $2`, []any{code, state}
	}
	var rows []exhibitRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+exhibitColumns+` FROM exhibits WHERE `+where+` ORDER BY id`, args...); err != nil {
		return nil, classify(err)
	}
	l.Exhibits = make([]*workflow.Exhibit, len(rows))
	for i := range rows {
		l.Exhibits[i] = rows[i].toExhibit()
	}
	return l, nil
}

func checkState(state workflow.State) error {
	if state == "" {
		return nil
	}
	for _, s := range workflow.States() {
		if s == state {
			return nil
		}
	}
	return &workflow.Error{Code: workflow.CodeBadRequest, Message: workflow.T("查询参数有误", "bad query parameters"),
		Fields: map[string]workflow.Text{"state": workflow.T("不是已知的状态", "is not a known state")}}
}

// Catalogue is a city-wide list: items of every unit with the unit's name.
type Catalogue struct {
	Campaign *Campaign // the campaign in force, if any; it names the final list
	Items    []CatalogueItem
}

// CatalogueItem is one exhibit of a catalogue and the unit that recommended it.
type CatalogueItem struct {
	Exhibit  *workflow.Exhibit
	UnitName string
}

// acceptedStates are the states of items the centre accepted and did not lose
// again to a withdrawal: the campaign's final list.
var acceptedStates = []workflow.State{workflow.Accepted, workflow.AgreementSigned, workflow.Replicating,
	workflow.Stored, workflow.OnDisplay, workflow.Returned, workflow.Sold}

// libraryStates are the states of the resource library's catalogue (资源库):
// items the centre holds or held.
var libraryStates = []workflow.State{workflow.Stored, workflow.OnDisplay, workflow.Returned, workflow.Sold}

// FinalList returns the accepted items of the campaign's collection (intake
// campaign; items of regular collection come after the campaign), by unit.
func (s *Store) FinalList(ctx context.Context, a workflow.Actor) (*Catalogue, error) {
	return s.catalogue(ctx, a, acceptedStates, `AND x.intake = 'campaign'`)
}

// Library returns the resource library's items, by unit.
func (s *Store) Library(ctx context.Context, a workflow.Actor) (*Catalogue, error) {
	return s.catalogue(ctx, a, libraryStates, ``)
}

func (s *Store) catalogue(ctx context.Context, a workflow.Actor, states []workflow.State, and string) (*Catalogue, error) {
	if a.Role != workflow.Coordinator && a.Role != workflow.Auditor {
		return nil, workflow.Errorf(workflow.CodeForbidden, "只有市级统筹和审计可以导出全市清单", "only coordinators and auditors may export city-wide lists")
	}
	names := make([]string, len(states))
	for i, st := range states {
		names[i] = string(st)
	}
	var rows []struct {
		exhibitRow
		UnitName string `db:"unit_name"`
	}
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+prefixed("x.", exhibitColumns)+`, u.name_zh AS unit_name
		FROM exhibits x JOIN units u ON u.code = x.district
		WHERE x.state = ANY($1) `+and+` ORDER BY x.district, x.id`, pq.Array(names)); err != nil {
		return nil, classify(err)
	}
	c := &Catalogue{Items: make([]CatalogueItem, len(rows))}
	for i := range rows {
		c.Items[i] = CatalogueItem{Exhibit: rows[i].toExhibit(), UnitName: rows[i].UnitName}
	}
	cur, err := getCampaign(ctx, s.db, `in_force`)
	switch {
	case err == nil:
		c.Campaign = cur
	case workflow.ErrorCode(err) != workflow.CodeNotFound:
		return nil, classify(err)
	}
	return c, nil
}

// prefixed qualifies each column of a comma-separated list with a table alias.
func prefixed(alias, columns string) string {
	out := make([]byte, 0, len(columns)*2)
	start := true
	for i := 0; i < len(columns); i++ {
		ch := columns[i]
		if start && ch != ' ' && ch != '\n' && ch != '\t' {
			out = append(out, alias...)
			start = false
		}
		if ch == ',' {
			start = true
		}
		out = append(out, ch)
	}
	return string(out)
}
