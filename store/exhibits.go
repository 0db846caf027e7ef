package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sort"
	"strconv"

	"github.com/jmoiron/sqlx"

	"bayu/workflow"
)

var errNotFound = workflow.Errorf(workflow.CodeNotFound, "展品不存在", "no such exhibit")

// CreateExhibit stores a new exhibit in state mobilized and writes its first history row.
func (s *Store) CreateExhibit(ctx context.Context, a workflow.Actor, in workflow.CreateInput) (*workflow.Exhibit, error) {
	if err := a.CanCreateIn(in.District); err != nil {
		return nil, err
	}
	f := in.Fields
	f.Normalize()
	fe := f.Validate(false)
	if in.District == "" {
		fe.Add("district", "必须填写推荐单位代码", "is required")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var id int64
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var ok bool
		if err := tx.GetContext(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM units WHERE code = $1)`, in.District); err != nil {
			return err
		}
		if !ok {
			return &workflow.Error{Code: workflow.CodeInvalid, Message: workflow.T("推荐单位不存在", "no such unit"),
				Fields: map[string]workflow.Text{"district": workflow.T("不是 districts.tsv 中的单位代码", "is not a unit code of districts.tsv")}}
		}
		var err error
		id, err = s.insertExhibit(ctx, tx, a, in.District, f, workflow.IntakeCampaign)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Exhibit(ctx, a, id)
}

// insertExhibit writes the exhibit row and its creation history row in tx.
func (s *Store) insertExhibit(ctx context.Context, tx *sqlx.Tx, a workflow.Actor, district string, f workflow.Fields, intake workflow.Intake) (int64, error) {
	now := s.Now()
	var id int64
	args := append(fieldArgs(&f), district, intake, now)
	if err := tx.GetContext(ctx, &id, insertExhibit, args...); err != nil {
		return 0, err
	}
	h := historyBy(a, workflow.CreateEvent, nil, workflow.Mobilized, now)
	h.Data, _ = json.Marshal(map[string]string{"district": district})
	return id, s.appendHistory(ctx, tx, id, h)
}

// Exhibit returns one exhibit; one the actor may not see is not found.
func (s *Store) Exhibit(ctx context.Context, a workflow.Actor, id int64) (*workflow.Exhibit, error) {
	x, err := getExhibit(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if !a.CanView(x) {
		return nil, errNotFound
	}
	return x, nil
}

// lockExhibit reads an exhibit and locks its row in tx with a prepared statement:
// the first step of every transition.
func (s *Store) lockExhibit(ctx context.Context, tx *sqlx.Tx, id int64) (*workflow.Exhibit, error) {
	var r exhibitRow
	if err := s.txScan(ctx, tx, `SELECT `+exhibitColumns+` FROM exhibits WHERE id = $1 FOR UPDATE`, []any{id}, r.targets()...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errNotFound
		}
		return nil, err
	}
	return r.toExhibit(), nil
}

// getExhibit reads an exhibit without locking it; lockExhibit locks.
func getExhibit(ctx context.Context, q sqlx.QueryerContext, id int64) (*workflow.Exhibit, error) {
	var r exhibitRow
	if err := sqlx.GetContext(ctx, q, &r, `SELECT `+exhibitColumns+` FROM exhibits WHERE id = $1`, id); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errNotFound
		}
		return nil, err
	}
	return r.toExhibit(), nil
}

// UpdateExhibit edits an exhibit's form fields while it is mobilized or reported.
// The version is required: an edit made on a stale copy is refused.
func (s *Store) UpdateExhibit(ctx context.Context, a workflow.Actor, id int64, p workflow.PatchInput) (*workflow.Exhibit, error) {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		x, err := s.lockExhibit(ctx, tx, id)
		if err != nil {
			return err
		}
		if !a.CanView(x) {
			return errNotFound
		}
		if err := a.CanEdit(x); err != nil {
			return err
		}
		if p.Version != x.Version {
			return versionConflict(x.Version, p.Version)
		}
		f := p.Apply(x.Fields)
		f.Normalize()
		if err := f.Validate(x.State == workflow.Reported).Err(); err != nil {
			return err
		}
		now := s.Now()
		if _, err := tx.ExecContext(ctx, updateFields, append(fieldArgs(&f), now, id)...); err != nil {
			return err
		}
		changed := make([]string, 0, len(p.Set))
		for k := range p.Set {
			changed = append(changed, k)
		}
		sort.Strings(changed)
		state := x.State
		h := historyBy(a, EditEvent, &state, state, now)
		h.Data, _ = json.Marshal(map[string]any{"fields": changed})
		return s.appendHistory(ctx, tx, id, h)
	})
	if err != nil {
		return nil, err
	}
	return s.Exhibit(ctx, a, id)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func versionConflict(current, given int64) error {
	return &workflow.Error{Code: workflow.CodeVersionConflict,
		Message: workflow.T("展品已被他人修改（当前版本 "+strconv.FormatInt(current, 10)+"，提交版本 "+strconv.FormatInt(given, 10)+"），请刷新后重试",
			"the exhibit has changed (current version "+strconv.FormatInt(current, 10)+", given "+strconv.FormatInt(given, 10)+"); reload and try again")}
}
