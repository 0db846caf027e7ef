package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"bayu/workflow"
	"bayu/workflow/campaign"
)

// Campaign is a stored campaign: its calendar and the bookkeeping around it.
type Campaign struct {
	campaign.Campaign
	InForce   bool      `json:"in_force"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

var errNoCampaign = workflow.Errorf(workflow.CodeNotFound, "征集活动不存在", "no such campaign")

// campaignRow is the campaigns table as sqlx scans it.
type campaignRow struct {
	ID                int64         `db:"id"`
	Name              string        `db:"name"`
	Year              int           `db:"year"`
	OpensOn           workflow.Date `db:"opens_on"`
	ReportStartsOn    workflow.Date `db:"report_starts_on"`
	ReportEndsOn      workflow.Date `db:"report_ends_on"`
	RecommendStartsOn workflow.Date `db:"recommend_starts_on"`
	RecommendEndsOn   workflow.Date `db:"recommend_ends_on"`
	EvaluateStartsOn  workflow.Date `db:"evaluate_starts_on"`
	EvaluateEndsOn    workflow.Date `db:"evaluate_ends_on"`
	InForce           bool          `db:"in_force"`
	Version           int64         `db:"version"`
	CreatedAt         time.Time     `db:"created_at"`
	UpdatedAt         time.Time     `db:"updated_at"`
}

const campaignColumns = `id, name, year, opens_on, report_starts_on, report_ends_on, recommend_starts_on,
	recommend_ends_on, evaluate_starts_on, evaluate_ends_on, in_force, version, created_at, updated_at`

func (r *campaignRow) toCampaign() *Campaign {
	return &Campaign{
		Campaign: campaign.Campaign{ID: r.ID, Name: r.Name, Year: r.Year, OpensOn: r.OpensOn, Phases: []campaign.Phase{
			{Key: campaign.PhaseReport, StartsOn: r.ReportStartsOn, EndsOn: r.ReportEndsOn},
			{Key: campaign.PhaseRecommend, StartsOn: r.RecommendStartsOn, EndsOn: r.RecommendEndsOn},
			{Key: campaign.PhaseEvaluate, StartsOn: r.EvaluateStartsOn, EndsOn: r.EvaluateEndsOn},
		}},
		InForce: r.InForce, Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
}

// phaseArgs are a valid campaign's phase dates in column order.
func phaseArgs(c *campaign.Campaign) []any {
	var out []any
	for _, k := range campaign.PhaseKeys {
		p, _ := c.Phase(k)
		out = append(out, p.StartsOn, p.EndsOn)
	}
	return out
}

// getCampaign reads one campaign; where is a condition on the campaigns table.
func getCampaign(ctx context.Context, q sqlx.QueryerContext, where string, args ...any) (*Campaign, error) {
	var r campaignRow
	err := sqlx.GetContext(ctx, q, &r, `SELECT `+campaignColumns+` FROM campaigns WHERE `+where, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoCampaign
	}
	if err != nil {
		return nil, err
	}
	return r.toCampaign(), nil
}

// CurrentCampaign returns the campaign in force.
func (s *Store) CurrentCampaign(ctx context.Context) (*Campaign, error) {
	c, err := getCampaign(ctx, s.db, `in_force`)
	return c, classify(err)
}

// Campaign returns one campaign by id.
func (s *Store) Campaign(ctx context.Context, id int64) (*Campaign, error) {
	c, err := getCampaign(ctx, s.db, `id = $1`, id)
	return c, classify(err)
}

// CreateCampaign stores a valid campaign and puts it in force, retiring the one
// in force before it (its pending jobs are dropped: two calendars must not send
// reminders side by side). Only coordinators create campaigns.
func (s *Store) CreateCampaign(ctx context.Context, a workflow.Actor, c campaign.Campaign) (*Campaign, error) {
	if a.Role != workflow.Coordinator {
		return nil, workflow.Errorf(workflow.CodeForbidden, "只有市级统筹可以创建征集活动", "only coordinators create campaigns")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var out *Campaign
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		// Two coordinators creating at once would both find no campaign in force.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, lockSpace, lockCreateCampaign); err != nil {
			return err
		}
		now := s.Now()
		old, err := getCampaign(ctx, tx, `in_force FOR UPDATE`)
		if err != nil && workflow.ErrorCode(err) != workflow.CodeNotFound {
			return err
		}
		if old != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET in_force = false, updated_at = $2 WHERE id = $1`, old.ID, now); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM campaign_jobs WHERE campaign_id = $1 AND done_at IS NULL`, old.ID); err != nil {
				return err
			}
			if err := appendCampaignHistory(ctx, tx, old.ID, a, "retire", nil, now); err != nil {
				return err
			}
		}
		var r campaignRow
		err = tx.GetContext(ctx, &r, `INSERT INTO campaigns (name, year, opens_on, report_starts_on, report_ends_on,
			recommend_starts_on, recommend_ends_on, evaluate_starts_on, evaluate_ends_on, in_force, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, true, $10, $10) RETURNING `+campaignColumns,
			append(append([]any{c.Name, c.Year, c.OpensOn}, phaseArgs(&c)...), now)...)
		if isPQ(err, pqUniqueViolation) {
			return &workflow.Error{Code: workflow.CodeConflict, Message: workflow.T("该年度的征集活动已存在", "a campaign for this year exists"),
				Fields: map[string]workflow.Text{"year": workflow.T("已有该年度的征集活动", "already has a campaign")}}
		}
		if err != nil {
			return err
		}
		out = r.toCampaign()
		if err := appendCampaignHistory(ctx, tx, out.ID, a, "create", map[string]any{"campaign": out.Campaign}, now); err != nil {
			return err
		}
		if err := s.auditCampaign(ctx, tx, a, AuditCampaignCreate, out.ID, map[string]any{"campaign": out.Campaign}); err != nil {
			return err
		}
		return s.scheduleCampaignJobs(ctx, tx, &out.Campaign, now)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CampaignPatch is an edit of a campaign: what is nil or empty stays as it is.
// Phases are matched by key, so one phase's dates can be sent alone.
type CampaignPatch struct {
	Version *int64           `json:"version,omitempty"` // checked when given
	Name    *string          `json:"name,omitempty"`
	OpensOn *workflow.Date   `json:"opens_on,omitempty"`
	Phases  []campaign.Phase `json:"phases,omitempty"`
}

// UpdateCampaign edits a campaign's name and dates. The edit is recorded in the
// campaign's history with the calendar before and after, and the campaign's
// pending jobs are replaced by those of the new calendar.
func (s *Store) UpdateCampaign(ctx context.Context, a workflow.Actor, id int64, p CampaignPatch) (*Campaign, error) {
	if a.Role != workflow.Coordinator {
		return nil, workflow.Errorf(workflow.CodeForbidden, "只有市级统筹可以修改征集活动", "only coordinators edit campaigns")
	}
	var out *Campaign
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		cur, err := getCampaign(ctx, tx, `id = $1 FOR UPDATE`, id)
		if err != nil {
			return err
		}
		if p.Version != nil && *p.Version != cur.Version {
			return &workflow.Error{Code: workflow.CodeVersionConflict,
				Message: workflow.T("征集活动已被他人修改，请刷新后重试", "the campaign has changed; reload and try again")}
		}
		next, err := applyCampaignPatch(cur.Campaign, p)
		if err != nil {
			return err
		}
		now := s.Now()
		var r campaignRow
		if err := tx.GetContext(ctx, &r, `UPDATE campaigns SET name = $1, opens_on = $2, report_starts_on = $3,
			report_ends_on = $4, recommend_starts_on = $5, recommend_ends_on = $6, evaluate_starts_on = $7,
			evaluate_ends_on = $8, version = version + 1, updated_at = $9 WHERE id = $10 RETURNING `+campaignColumns,
			append(append([]any{next.Name, next.OpensOn}, phaseArgs(&next)...), now, id)...); err != nil {
			return err
		}
		out = r.toCampaign()
		data := map[string]any{"before": cur.Campaign, "after": out.Campaign}
		if err := appendCampaignHistory(ctx, tx, id, a, "edit", data, now); err != nil {
			return err
		}
		if err := s.auditCampaign(ctx, tx, a, AuditCampaignEdit, id, data); err != nil {
			return err
		}
		if !out.InForce {
			return nil
		}
		return s.scheduleCampaignJobs(ctx, tx, &out.Campaign, now)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// applyCampaignPatch returns c with p applied, validated.
func applyCampaignPatch(c campaign.Campaign, p CampaignPatch) (campaign.Campaign, error) {
	c.Phases = append([]campaign.Phase(nil), c.Phases...)
	if p.Name != nil {
		c.Name = *p.Name
	}
	if p.OpensOn != nil {
		c.OpensOn = *p.OpensOn
	}
	fe := workflow.FieldErrors{}
	for _, ph := range p.Phases {
		found := false
		for i := range c.Phases {
			if c.Phases[i].Key != ph.Key {
				continue
			}
			found = true
			if !ph.StartsOn.IsZero() {
				c.Phases[i].StartsOn = ph.StartsOn
			}
			if !ph.EndsOn.IsZero() {
				c.Phases[i].EndsOn = ph.EndsOn
			}
		}
		if !found {
			fe.Add("phases", "阶段应为 report、recommend 或 evaluate", "must be report, recommend or evaluate")
		}
	}
	if err := fe.Err(); err != nil {
		return c, err
	}
	return c, c.Validate()
}

// CampaignEvent is one row of a campaign's history.
type CampaignEvent struct {
	ID    int64           `db:"id" json:"id"`
	Event string          `db:"event" json:"event"`
	Actor string          `db:"actor" json:"actor"`
	Role  workflow.Role   `db:"role" json:"role"`
	Data  json.RawMessage `db:"data" json:"data"`
	At    time.Time       `db:"at" json:"at"`
}

// CampaignHistory returns a campaign's history, oldest first.
func (s *Store) CampaignHistory(ctx context.Context, id int64) ([]CampaignEvent, error) {
	if _, err := s.Campaign(ctx, id); err != nil {
		return nil, err
	}
	out := []CampaignEvent{}
	err := s.db.SelectContext(ctx, &out, `SELECT id, event, actor, role, data, at FROM campaign_history
		WHERE campaign_id = $1 ORDER BY id`, id)
	for i := range out {
		out[i].At = out[i].At.UTC()
	}
	return out, classify(err)
}

// AuditCampaignCreate is the audit event of a new campaign; edits are AuditCampaignEdit.
const AuditCampaignCreate = "campaign_create"

// auditCampaign adds the change to the tamper-evident audit log in the same
// transaction: the campaign's own history serves the API, the audit log the
// auditors, and neither may hold a change the other lacks.
func (s *Store) auditCampaign(ctx context.Context, tx *sqlx.Tx, a workflow.Actor, event string, id int64, detail any) error {
	r := AuditBy(a, event, OutcomeOK)
	r.ObjectType, r.ObjectID = "campaign", strconv.FormatInt(id, 10)
	r.Detail = AuditDetail(detail)
	return s.RecordAuditTx(ctx, tx, r)
}

func appendCampaignHistory(ctx context.Context, tx *sqlx.Tx, id int64, a workflow.Actor, event string, data any, at time.Time) error {
	raw := []byte(`{}`)
	if data != nil {
		var err error
		if raw, err = json.Marshal(data); err != nil {
			return err
		}
	}
	var actorID *int64
	if a.UserID != 0 {
		actorID = &a.UserID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO campaign_history (campaign_id, event, actor_id, actor, role, data, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, event, actorID, a.Name, a.Role, raw, at)
	return err
}
