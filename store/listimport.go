package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"bayu/workflow"
	"bayu/workflow/listform"
)

// ListImport asks to import one parsed list (listform.Parse) into a unit.
type ListImport struct {
	District string
	List     *listform.List
	// DryRun checks every row and answers what would happen, writing nothing:
	// it runs in a read-only transaction, so PostgreSQL itself refuses a write.
	DryRun bool
	// Recommend also recommends every row that ends up reported
	// (district_recommended), as a district does when it sends its final list.
	Recommend bool
	// Progress, when set, is told after each row is written (or checked, in a
	// dry run); `bayu import` draws its progress bar from it.
	Progress func(done, total int)
}

// RowAction is what an import did, or would do, with one row.
type RowAction string

// The three outcomes of a row.
const (
	RowCreated   RowAction = "created"   // a new exhibit, reported through real events
	RowUpdated   RowAction = "updated"   // its exhibit's fields were changed (an edit history row)
	RowUnchanged RowAction = "unchanged" // its exhibit already holds exactly this row
)

// ListImportResult is the answer of an import: counts and one entry per row.
type ListImportResult struct {
	District  string          `json:"district"`
	DryRun    bool            `json:"dry_run"`
	Created   int             `json:"created"`
	Updated   int             `json:"updated"`
	Unchanged int             `json:"unchanged"`
	Rows      []ListImportRow `json:"rows"`
}

// ListImportRow is what happened to one row of the sheet.
type ListImportRow struct {
	Row    int            `json:"row"` // the sheet's row number
	Action RowAction      `json:"action"`
	ID     int64          `json:"id,omitempty"` // absent for a row a dry run would create
	Name   string         `json:"name"`
	State  workflow.State `json:"state"` // after the import
	// Events are the events fired on the row's exhibit, in order (report,
	// recommend); empty when it already stood where the import takes it.
	Events []workflow.Event `json:"events"`
	// Changed are the fields an update changed, as exhibit JSON names.
	Changed []string `json:"changed,omitempty"`
}

// listLockSpace is the first key of the per-unit advisory lock that puts
// imports of one unit in a queue (the second is the hash of the unit's code).
const listLockSpace = 0x6c697374 // "list"

// ImportList imports a district's list in one transaction: every row is
// matched to the unit's exhibits by listform.Key and then created (reported,
// and recommended when asked, by the real events, so each has its full
// history), updated (while mobilized or reported), or left unchanged. Any row
// that cannot be taken fails the whole list with a *listform.Error naming
// every such row; nothing is written then.
//
// A district may import only into its own unit (another unit is not found);
// coordinators into any.
func (s *Store) ImportList(ctx context.Context, a workflow.Actor, in ListImport) (*ListImportResult, error) {
	if a.Role != workflow.Coordinator && a.Role != workflow.District {
		return nil, workflow.Errorf(workflow.CodeForbidden, "该角色不能导入清单", "this role may not import lists")
	}
	if in.List == nil || len(in.List.Rows) == 0 {
		return nil, workflow.Errorf(workflow.CodeInvalid, "清单中没有填写任何展品", "the list has no items")
	}
	tx, err := s.db.BeginTxx(ctx, &sql.TxOptions{ReadOnly: in.DryRun})
	if err != nil {
		return nil, classify(err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit; the end of every dry run
	if _, err := visibleUnit(ctx, tx, a, in.District); err != nil {
		return nil, err
	}
	if !in.DryRun {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, listLockSpace, in.District); err != nil {
			return nil, classify(err)
		}
	}
	plan, err := s.planImport(ctx, tx, a, in)
	if err != nil {
		return nil, classify(err)
	}
	res := &ListImportResult{District: in.District, DryRun: in.DryRun, Rows: make([]ListImportRow, len(plan))}
	var keyIDs []int64
	var keys []string
	for i := range plan {
		p := &plan[i]
		if !in.DryRun {
			if err := s.applyRow(ctx, tx, a, in.District, p); err != nil {
				return nil, classify(err)
			}
			if p.action == RowCreated || p.adopt {
				keyIDs, keys = append(keyIDs, p.x.ID), append(keys, p.key)
			}
		}
		res.Rows[i] = p.result()
		res.count(p.action)
		if in.Progress != nil {
			in.Progress(i+1, len(plan))
		}
	}
	if in.DryRun {
		return res, nil
	}
	if err := setListKeys(ctx, tx, keyIDs, keys); err != nil {
		return nil, classify(err)
	}
	if err := s.recordImport(ctx, tx, a, in, res); err != nil {
		return nil, classify(err)
	}
	return res, classify(tx.Commit())
}

func (r *ListImportResult) count(a RowAction) {
	switch a {
	case RowCreated:
		r.Created++
	case RowUpdated:
		r.Updated++
	default:
		r.Unchanged++
	}
}

// applyRow writes one planned row: the exhibit's creation or edit and its
// events, each with its history row.
func (s *Store) applyRow(ctx context.Context, tx *sqlx.Tx, a workflow.Actor, district string, p *plannedRow) error {
	x := p.x
	var err error
	switch p.action {
	case RowCreated:
		var id int64
		if id, err = s.insertExhibit(ctx, tx, a, district, p.row.Fields, workflow.IntakeCampaign); err == nil {
			// The row as just inserted, without reading it back: every statement
			// counts in a list of thousands, and the first event's UPDATE …
			// RETURNING reads the stored row anyway.
			x = &workflow.Exhibit{ID: id, District: district, Fields: p.row.Fields, State: workflow.Mobilized,
				Intake: workflow.IntakeCampaign, Version: 1}
		}
	case RowUpdated:
		x, err = s.editFromList(ctx, tx, a, p)
	}
	if err != nil {
		return err
	}
	for _, ev := range p.events {
		if x, err = s.applyEvent(ctx, tx, a, x, ev, "", nil); err != nil {
			return err
		}
	}
	p.x, p.state = x, x.State
	return nil
}

// editFromList writes a changed row over its exhibit, with an edit history row
// naming the fields and the sheet row, as a PATCH does.
func (s *Store) editFromList(ctx context.Context, tx *sqlx.Tx, a workflow.Actor, p *plannedRow) (*workflow.Exhibit, error) {
	now := s.Now()
	f := p.row.Fields
	var row exhibitRow
	if err := tx.GetContext(ctx, &row, updateFields+` RETURNING `+exhibitColumns, append(fieldArgs(&f), now, p.x.ID)...); err != nil {
		return nil, err
	}
	state := p.x.State
	h := historyBy(a, EditEvent, &state, state, now)
	h.Data, _ = json.Marshal(map[string]any{"fields": p.changed, "list_row": p.row.Row})
	return row.toExhibit(), s.appendHistory(ctx, tx, p.x.ID, h)
}

// setListKeys records which row of the unit's list each new or newly matched
// exhibit stands for, in one statement for the whole list. It is bookkeeping,
// not an edit: versions stay.
func setListKeys(ctx context.Context, tx *sqlx.Tx, ids []int64, keys []string) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE exhibits x SET list_key = k.key
		FROM unnest($1::bigint[], $2::text[]) AS k(id, key) WHERE x.id = k.id`, pq.Array(ids), pq.Array(keys))
	return err
}

// recordImport keeps who imported what, and the footer the unit signed with.
func (s *Store) recordImport(ctx context.Context, tx *sqlx.Tx, a workflow.Actor, in ListImport, res *ListImportResult) error {
	var actorID *int64
	if a.UserID != 0 {
		actorID = &a.UserID
	}
	ft := in.List.Footer
	_, err := tx.ExecContext(ctx, `INSERT INTO list_imports (district, actor_id, actor, role, sheet, recommend,
		rows, created, updated, unchanged, footer_unit, footer_contact, footer_phone, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		in.District, actorID, a.Name, a.Role, in.List.Sheet, in.Recommend, len(res.Rows),
		res.Created, res.Updated, res.Unchanged, ft.Name, ft.ContactName, ft.ContactPhone, s.Now())
	return err
}
