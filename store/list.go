package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"

	"bayu/workflow"
)

// ExhibitFilter narrows a list of exhibits; empty fields do not filter.
type ExhibitFilter struct {
	State    workflow.State
	District string
	Method   workflow.Method
	Query    string // matches name, category, description or source unit
	Limit    int    // 1–200, default 50
	Cursor   string // from the previous page's NextCursor
}

// ExhibitPage is one page of a list, newest first.
type ExhibitPage struct {
	Exhibits   []*workflow.Exhibit
	NextCursor string // empty on the last page
}

// MaxPageSize bounds a page.
const MaxPageSize = 200

// ListExhibits lists the exhibits the actor may see, newest first, a page at a time.
// The cursor is the (created_at, id) of the last row, so pages stay stable while
// new exhibits arrive.
func (s *Store) ListExhibits(ctx context.Context, a workflow.Actor, f ExhibitFilter) (*ExhibitPage, error) {
	fe := workflow.FieldErrors{}
	if f.Limit == 0 {
		f.Limit = 50
	}
	if f.Limit < 1 || f.Limit > MaxPageSize {
		fe.Add("limit", "必须在 1 到 200 之间", "must be between 1 and 200")
	}
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.State != "" {
		add("state = $%d", f.State)
	}
	if f.District != "" {
		add("district = $%d", f.District)
	}
	if f.Method != "" {
		add("method = $%d", f.Method)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		add("(name || ' ' || category || ' ' || description || ' ' || source_unit) ILIKE '%%' || $%d || '%%'", escapeLike(q))
	}
	switch a.Role {
	case workflow.District:
		add("district = $%d", a.District)
	case workflow.Evaluator:
		add("state = ANY($%d)", pq.Array(workflow.EvaluatorStates()))
	}
	if f.Cursor != "" {
		at, id, err := decodeCursor(f.Cursor)
		if err != nil {
			fe.Add("cursor", "分页游标无效", "is not a cursor this server issued")
		} else {
			args = append(args, at, id)
			where = append(where, fmt.Sprintf("(created_at, id) < ($%d, $%d)", len(args)-1, len(args)))
		}
	}
	if err := fe.Err(); err != nil {
		return nil, &workflow.Error{Code: workflow.CodeBadRequest, Message: workflow.T("查询参数有误", "bad query parameters"), Fields: err.(*workflow.Error).Fields}
	}
	query := `SELECT ` + exhibitColumns + ` FROM exhibits`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query += fmt.Sprintf(` ORDER BY created_at DESC, id DESC LIMIT %d`, f.Limit+1)
	var rows []exhibitRow
	if err := s.db.SelectContext(ctx, &rows, query, args...); err != nil {
		return nil, classify(err)
	}
	page := &ExhibitPage{Exhibits: make([]*workflow.Exhibit, 0, len(rows))}
	for i := range rows {
		if i == f.Limit {
			last := rows[i-1]
			page.NextCursor = encodeCursor(last.CreatedAt, last.ID)
			break
		}
		page.Exhibits = append(page.Exhibits, rows[i].toExhibit())
	}
	return page, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func encodeCursor(at time.Time, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at.UnixMicro(), 10) + "." + strconv.FormatInt(id, 10)))
}

func decodeCursor(c string) (time.Time, int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, 0, err
	}
	micros, idText, ok := strings.Cut(string(b), ".")
	if !ok {
		return time.Time{}, 0, fmt.Errorf("bad cursor")
	}
	us, err1 := strconv.ParseInt(micros, 10, 64)
	id, err2 := strconv.ParseInt(idText, 10, 64)
	if err1 != nil || err2 != nil {
		return time.Time{}, 0, fmt.Errorf("bad cursor")
	}
	return time.UnixMicro(us).UTC(), id, nil
}
