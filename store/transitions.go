package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"bayu/workflow"
)

// TransitionRow is one history row as auditors see it: across all exhibits, with
// the exhibit's unit and name, where the request came from, and the row's hash.
type TransitionRow struct {
	ID          int64           `db:"id" json:"id"`
	ExhibitID   int64           `db:"exhibit_id" json:"exhibit_id"`
	District    string          `db:"district" json:"district"`
	ExhibitName string          `db:"exhibit_name" json:"exhibit_name"`
	Seq         int             `db:"seq" json:"seq"`
	Event       workflow.Event  `db:"event" json:"event"`
	From        *workflow.State `db:"from_state" json:"from"`
	To          workflow.State  `db:"to_state" json:"to"`
	ActorID     *int64          `db:"actor_id" json:"actor_id"`
	Actor       string          `db:"actor" json:"actor"`
	Role        workflow.Role   `db:"role" json:"role"`
	Reason      string          `db:"reason" json:"reason"`
	Data        json.RawMessage `db:"data" json:"data"`
	At          time.Time       `db:"at" json:"at"`
	ClientAddr  string          `db:"client_addr" json:"client_addr"`
	RequestID   string          `db:"request_id" json:"request_id"`
	Hash        string          `db:"hash" json:"hash"` // hex
}

// TransitionFilter narrows the history across exhibits; empty fields do not filter.
type TransitionFilter struct {
	ExhibitID int64
	Actor     string // the actor's user name, exactly
	Event     workflow.Event
	District  string
	Since     time.Time // at or after
	Until     time.Time // before
	Limit     int       // 1–MaxPageSize, default 50; pages only
	Cursor    string    // from the previous page's NextCursor; pages only
}

// TransitionPage is one page of the history, oldest first.
type TransitionPage struct {
	Transitions []TransitionRow `json:"transitions"`
	NextCursor  string          `json:"next_cursor"` // empty on the last page
}

const transitionColumns = `h.id, h.exhibit_id, e.district, e.name AS exhibit_name, h.seq, h.event,
	h.from_state, h.to_state, h.actor_id, h.actor, h.role, h.reason, h.data, h.at, h.client_addr,
	h.request_id, encode(h.hash, 'hex') AS hash`

// Transitions returns one page of the history across exhibits, oldest first.
// The cursor is the (at, id) of the last row, so a page never shifts while
// transitions are added.
func (s *Store) Transitions(ctx context.Context, a workflow.Actor, f TransitionFilter) (*TransitionPage, error) {
	query, args, err := transitionQuery(a, f, true)
	if err != nil {
		return nil, err
	}
	page := &TransitionPage{Transitions: []TransitionRow{}}
	if err := s.db.SelectContext(ctx, &page.Transitions, query, args...); err != nil {
		return nil, classify(err)
	}
	if len(page.Transitions) > pageSize(f.Limit) {
		page.Transitions = page.Transitions[:pageSize(f.Limit)]
		last := page.Transitions[len(page.Transitions)-1]
		page.NextCursor = encodeCursor(last.At, last.ID)
	}
	for i := range page.Transitions {
		page.Transitions[i].At = page.Transitions[i].At.UTC()
	}
	return page, nil
}

// EachTransition streams every row the filter matches to fn, oldest first, one
// row in memory at a time: exports of a million rows run in constant memory.
// The row passed to fn is reused for the next one.
func (s *Store) EachTransition(ctx context.Context, a workflow.Actor, f TransitionFilter, fn func(*TransitionRow) error) error {
	query, args, err := transitionQuery(a, f, false)
	if err != nil {
		return err
	}
	return streamRows(ctx, s.db, query, args, func(t *TransitionRow) { t.At = t.At.UTC() }, fn)
}

func transitionQuery(a workflow.Actor, f TransitionFilter, paged bool) (string, []any, error) {
	if a.Role != workflow.Coordinator && a.Role != workflow.Auditor {
		return "", nil, workflow.Errorf(workflow.CodeForbidden, "只有审计员和市级统筹可以查阅全部历史", "only auditors and coordinators see the whole history")
	}
	var w where
	if f.ExhibitID != 0 {
		w.add("h.exhibit_id = $%d", f.ExhibitID)
	}
	if f.Actor != "" {
		w.add("h.actor = $%d", f.Actor)
	}
	if f.Event != "" {
		w.add("h.event = $%d", f.Event)
	}
	if f.District != "" {
		w.add("e.district = $%d", f.District)
	}
	if err := w.window("h", f.Since, f.Until, f.Limit, f.Cursor, paged); err != nil {
		return "", nil, err
	}
	query := `SELECT ` + transitionColumns + ` FROM exhibit_history h JOIN exhibits e ON e.id = h.exhibit_id` +
		w.sql() + ` ORDER BY h.at, h.id`
	if paged {
		query += fmt.Sprintf(` LIMIT %d`, pageSize(f.Limit)+1)
	}
	return query, w.args, nil
}

// where collects the conditions and arguments of a filtered query.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, v any) {
	w.args = append(w.args, v)
	w.conds = append(w.conds, fmt.Sprintf(cond, len(w.args)))
}

// window adds the time range and, for pages, the limit check and the cursor.
func (w *where) window(alias string, since, until time.Time, limit int, cursor string, paged bool) error {
	fe := workflow.FieldErrors{}
	if !since.IsZero() {
		w.add(alias+".at >= $%d", since)
	}
	if !until.IsZero() {
		w.add(alias+".at < $%d", until)
	}
	if !since.IsZero() && !until.IsZero() && !until.After(since) {
		fe.Add("until", "必须晚于 since", "must be after since")
	}
	if paged && (limit < 0 || limit > MaxPageSize) {
		fe.Add("limit", "必须在 1 到 200 之间", "must be between 1 and 200")
	}
	if paged && cursor != "" {
		at, id, err := decodeCursor(cursor)
		if err != nil {
			fe.Add("cursor", "分页游标无效", "is not a cursor this server issued")
		} else {
			w.args = append(w.args, at, id)
			w.conds = append(w.conds, fmt.Sprintf("(%s.at, %s.id) > ($%d, $%d)", alias, alias, len(w.args)-1, len(w.args)))
		}
	}
	if len(fe) > 0 {
		return &workflow.Error{Code: workflow.CodeBadRequest, Message: workflow.T("查询参数有误", "bad query parameters"), Fields: fe}
	}
	return nil
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return ` WHERE ` + strings.Join(w.conds, " AND ")
}

// pageSize is the limit asked for, 50 when none was.
func pageSize(limit int) int {
	if limit == 0 {
		return 50
	}
	return limit
}
