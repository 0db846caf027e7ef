package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"bayu/workflow"
	"bayu/workflow/listform"
)

// plannedRow is one row of a list with what the import will do with it. The
// plan is made before anything is written, so that a dry run answers exactly
// what a real import would do, and a real import refuses a bad list before
// its first write.
type plannedRow struct {
	row     listform.Row
	key     string            // listform.Key of the row
	x       *workflow.Exhibit // the unit's exhibit for this row; nil for a new one
	adopt   bool              // x was entered by hand and is matched by its fields: give it the key
	action  RowAction
	changed []string         // fields an update changes
	events  []workflow.Event // events to fire, in order
	state   workflow.State   // where the exhibit stands afterwards
}

func (p *plannedRow) result() ListImportRow {
	r := ListImportRow{Row: p.row.Row, Action: p.action, Name: p.row.Fields.Name, State: p.state,
		Events: append([]workflow.Event{}, p.events...), Changed: p.changed}
	if p.x != nil {
		r.ID = p.x.ID
	}
	return r
}

// planImport matches every row to the unit's exhibits and decides what to do
// with it; any row that cannot be taken is reported, all of them at once, as a
// *listform.Error. In a real import the matched exhibits are locked.
func (s *Store) planImport(ctx context.Context, tx *sqlx.Tx, a workflow.Actor, in ListImport) ([]plannedRow, error) {
	rows := in.List.Rows
	keys := make([]string, len(rows))
	for i := range rows {
		keys[i] = listform.Key(rows[i].Fields)
	}
	keyed, loose, err := listCandidates(ctx, tx, in.District, keys, !in.DryRun)
	if err != nil {
		return nil, err
	}
	var problems []listform.RowError
	problem := func(row int, column string, msg workflow.Text) {
		problems = append(problems, listform.RowError{Row: row, Column: column, Message: msg})
	}
	nameHeader := listform.FieldHeader("name")
	firstRow := map[string]int{}
	now := s.Now()
	plan := make([]plannedRow, 0, len(rows))
	for i, r := range rows {
		p := plannedRow{row: r, key: keys[i]}
		if first, dup := firstRow[p.key]; dup {
			problem(r.Row, nameHeader, workflow.T(
				fmt.Sprintf("与第 %d 行是同一件展品（展品名称、来源单位、联系人都相同）；请合并这两行，或把展品名称区分开", first),
				fmt.Sprintf("is the same item as row %d (same 展品名称, 来源单位 and 联系人); merge the rows or tell the names apart", first)))
			continue
		}
		firstRow[p.key] = r.Row
		if x, ok := keyed[p.key]; ok {
			p.x = x
		} else if xs := loose[p.key]; len(xs) == 1 {
			p.x, p.adopt = xs[0], true
		} else if len(xs) > 1 {
			problem(r.Row, nameHeader, workflow.T(
				fmt.Sprintf("本单位已有 %d 件展品名称、来源单位、联系人都与此行相同的展品，无法确定对应哪一件；请先在系统中撤回或改名重复的展品", len(xs)),
				fmt.Sprintf("the unit already has %d exhibits with this row's 展品名称, 来源单位 and 联系人; withdraw or rename the duplicates first", len(xs))))
			continue
		}
		if column, msg, bad := p.decide(ctx, a, in, now); bad {
			problem(r.Row, column, msg)
			continue
		}
		plan = append(plan, p)
	}
	if err := listform.RowsError(problems); err != nil {
		return nil, err
	}
	return plan, nil
}

// decide works out the row's action and events, and checks each event with
// the state machine in memory, so that a refusal is a row error here and not a
// failure half-way through writing.
func (p *plannedRow) decide(ctx context.Context, a workflow.Actor, in ListImport, now time.Time) (string, workflow.Text, bool) {
	x := workflow.Exhibit{District: in.District, Fields: p.row.Fields, State: workflow.Mobilized, Intake: workflow.IntakeCampaign}
	p.action = RowCreated
	if p.x != nil {
		// The form has no column for the content kind; a kind guessed from the
		// row must not overwrite the one the exhibit holds, which may have been
		// set by hand since.
		if p.row.ContentInferred {
			p.row.Fields.ContentType = p.x.ContentType
		}
		x = *p.x
		p.changed = listform.Diff(p.x.Fields, p.row.Fields)
		switch {
		case len(p.changed) == 0:
			p.action = RowUnchanged
		case x.State == workflow.Mobilized || x.State == workflow.Reported:
			if err := a.CanEdit(p.x); err != nil {
				return "", messageOf(err), true
			}
			p.action = RowUpdated
			x.Fields = p.row.Fields
		default:
			return listform.FieldHeader(p.changed[0]), changedTooLate(x.State, p.changed), true
		}
	}
	for _, ev := range wantedEvents(x.State, in.Recommend) {
		next, err := workflow.Fire(ctx, x, workflow.Command{Event: ev, Actor: a, At: now})
		if err != nil {
			return "", messageOf(err), true
		}
		p.events = append(p.events, ev)
		x = next
	}
	p.state = x.State
	return "", workflow.Text{}, false
}

// wantedEvents are the events that take an exhibit in state s to where the
// import puts its rows: reported, or district_recommended when asked. Exhibits
// further on (or declined) stay where they are.
func wantedEvents(s workflow.State, recommend bool) []workflow.Event {
	var evs []workflow.Event
	if s == workflow.Mobilized {
		evs, s = append(evs, workflow.Report), workflow.Reported
	}
	if recommend && s == workflow.Reported {
		evs = append(evs, workflow.Recommend)
	}
	return evs
}

func changedTooLate(s workflow.State, changed []string) workflow.Text {
	headers := make([]string, len(changed))
	for i, k := range changed {
		headers[i] = listform.FieldHeader(k)
	}
	return workflow.T(
		"该展品已是“"+s.Label().ZH+"”状态，只有动员摸排或已报送时可以修改；本行改动了："+strings.Join(headers, "、"),
		"the exhibit is already "+string(s)+" ("+s.Label().EN+"); it can be changed only while mobilized or reported; this row changes "+strings.Join(headers, ", "))
}

// messageOf is the message of a refusal for a row error.
func messageOf(err error) workflow.Text {
	var e *workflow.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return workflow.T("无法处理此行", "this row cannot be taken")
}

// keyedRow is an exhibit with the key of the list row it stands for.
type keyedRow struct {
	exhibitRow
	ListKey sql.NullString `db:"list_key"`
}

// listCandidates loads the unit's exhibits a row may stand for: those whose
// list key is one of keys, by key, and those entered by hand (no key yet), by
// the key their fields make. lock takes their row locks for the import.
func listCandidates(ctx context.Context, tx *sqlx.Tx, district string, keys []string, lock bool) (map[string]*workflow.Exhibit, map[string][]*workflow.Exhibit, error) {
	query := `SELECT ` + exhibitColumns + `, list_key FROM exhibits
		WHERE district = $1 AND (list_key = ANY($2) OR list_key IS NULL) ORDER BY id`
	if lock {
		query += ` FOR UPDATE`
	}
	var rows []keyedRow
	if err := tx.SelectContext(ctx, &rows, query, district, pq.Array(keys)); err != nil {
		return nil, nil, err
	}
	keyed := map[string]*workflow.Exhibit{}
	loose := map[string][]*workflow.Exhibit{}
	for i := range rows {
		x := rows[i].toExhibit()
		if rows[i].ListKey.Valid {
			keyed[rows[i].ListKey.String] = x
			continue
		}
		k := listform.Key(x.Fields)
		loose[k] = append(loose[k], x)
	}
	return keyed, loose, nil
}
