package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"bayu/workflow"
	"bayu/workflow/campaign"
)

// scheduleCampaignJobs makes the campaign's pending jobs those of its calendar:
// pending jobs the calendar no longer has are dropped, new ones are added, and
// jobs already done stay done (their keys name their dates, so a date edited
// back and forth does not send twice).
//
// A phase reminder whose day is already over when the calendar is saved is not
// added: "14 days left" arriving with three days left would mislead. The list
// close and the escalation are added even when late, because they are duties,
// not warnings. A pending job the calendar still has is kept even when overdue:
// that is work missed while no scheduler ran, and the next tick does it.
func (s *Store) scheduleCampaignJobs(ctx context.Context, tx *sqlx.Tx, c *campaign.Campaign, now time.Time) error {
	jobs := c.Jobs(s.loc)
	today := campaign.Today(now, s.loc)
	all := make([]string, 0, len(jobs))
	var keys, kinds, phases, deadlines []string
	var days []int64
	var dues []time.Time
	for _, j := range jobs {
		all = append(all, j.Key)
		if j.Kind == campaign.KindPhaseReminder && campaign.Today(j.DueAt, s.loc).Before(today) {
			continue
		}
		keys, kinds, phases = append(keys, j.Key), append(kinds, string(j.Kind)), append(phases, string(j.Phase))
		days, deadlines, dues = append(days, int64(j.DaysBefore)), append(deadlines, j.Deadline.String()), append(dues, j.DueAt.UTC())
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM campaign_jobs WHERE campaign_id = $1 AND done_at IS NULL
		AND NOT (key = ANY($2::text[]))`, c.ID, pq.Array(all)); err != nil {
		return err
	}
	dueText := make([]string, len(dues))
	for i, d := range dues {
		dueText[i] = d.Format(time.RFC3339Nano)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO campaign_jobs (key, campaign_id, kind, phase, days_before, deadline, due_at, created_at)
		SELECT k, $1, kind, ph, d, dl::date, due::timestamptz, $8
		FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[]) AS t(k, kind, ph, d, dl, due)
		ON CONFLICT (key) DO NOTHING`,
		c.ID, pq.Array(keys), pq.Array(kinds), pq.Array(phases), pq.Array(days), pq.Array(deadlines), pq.Array(dueText), now)
	return err
}

// AuditListClose is the audit event of a campaign's list close.
const AuditListClose = "list_close"

// jobRow is one row of campaign_jobs.
type jobRow struct {
	Key        string        `db:"key"`
	CampaignID int64         `db:"campaign_id"`
	Kind       string        `db:"kind"`
	Phase      string        `db:"phase"`
	DaysBefore int           `db:"days_before"`
	Deadline   workflow.Date `db:"deadline"`
	DueAt      time.Time     `db:"due_at"`
}

func (r jobRow) job() campaign.Job {
	return campaign.Job{Key: r.Key, Kind: campaign.Kind(r.Kind), Phase: campaign.PhaseKey(r.Phase),
		DaysBefore: r.DaysBefore, Deadline: r.Deadline, DueAt: r.DueAt}
}

// runCampaignJobs does the due campaign jobs of one kind, one job per
// transaction, until none is due or another scheduler holds the job's lock
// (then that scheduler is doing the same work).
func (s *Store) runCampaignJobs(ctx context.Context, now time.Time, kind campaign.Kind, channels []string) (JobResult, error) {
	var res JobResult
	for {
		took, created, err := s.campaignJobOnce(ctx, now, kind, channels)
		if err != nil || !took {
			return res, err
		}
		res.Done++
		res.Created += created
	}
}

func (s *Store) campaignJobOnce(ctx context.Context, now time.Time, kind campaign.Kind, channels []string) (took bool, created int, err error) {
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		if ok, err := tryLock(ctx, tx, lockOf(kind)); err != nil || !ok {
			return err
		}
		var r jobRow
		err := tx.GetContext(ctx, &r, `SELECT key, campaign_id, kind, phase, days_before, deadline, due_at
			FROM campaign_jobs WHERE kind = $1 AND done_at IS NULL AND due_at <= $2
			ORDER BY due_at, key LIMIT 1 FOR UPDATE SKIP LOCKED`, kind, now)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		c, err := getCampaign(ctx, tx, `id = $1`, r.CampaignID)
		if err != nil {
			return err
		}
		ns, err := s.campaignNotices(ctx, tx, &c.Campaign, r.job(), now)
		if err != nil {
			return err
		}
		if created, err = enqueue(ctx, tx, now, ns, channels); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE campaign_jobs SET done_at = $1 WHERE key = $2`, now, r.Key); err != nil {
			return err
		}
		took = true
		return nil
	})
	return took, created, err
}

// campaignNotices are what one campaign job tells whom: rule 1 a reminder to
// every unit, rule 2 a shortfall notice to each short unit and a summary to the
// coordinators (and one list_close row in the campaign's history), rule 3 an
// escalation to the coordinators when any item still awaits the centre.
func (s *Store) campaignNotices(ctx context.Context, tx *sqlx.Tx, c *campaign.Campaign, j campaign.Job, now time.Time) ([]notice, error) {
	mk := func(recipient string, n campaign.Notice) notice {
		return notice{Key: j.For(recipient), Recipient: recipient, Text: n, DueOn: j.Deadline, CampaignID: c.ID}
	}
	var ns []notice
	switch j.Kind {
	case campaign.KindPhaseReminder, campaign.KindListClose:
		units, err := s.unitFigures(ctx, tx, c)
		if err != nil {
			return nil, err
		}
		if j.Kind == campaign.KindPhaseReminder {
			for _, u := range units {
				ns = append(ns, mk(u.District, campaign.PhaseReminder(c, j, u, now, s.loc)))
			}
			return ns, nil
		}
		var short []string
		for _, u := range units {
			if n, ok := campaign.ShortfallNotice(c, j, u); ok {
				ns = append(ns, mk(u.District, n))
				short = append(short, u.District)
			}
		}
		ns = append(ns, mk(Coordinators, campaign.CloseSummary(c, j, units)))
		data := map[string]any{"deadline": j.Deadline, "short": short, "units": len(units)}
		res, err := tx.ExecContext(ctx, `INSERT INTO campaign_history (campaign_id, event, actor, role, data, at)
			VALUES ($1, 'list_close', $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
			c.ID, workflow.System.Name, workflow.System.Role, mustJSON(data), now)
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			r := AuditBy(workflow.System, AuditListClose, OutcomeOK)
			r.ObjectType, r.ObjectID, r.At = "campaign", strconv.FormatInt(c.ID, 10), now
			r.Detail = AuditDetail(data)
			err = s.RecordAuditTx(ctx, tx, r)
		}
		return ns, err
	case campaign.KindEscalation:
		var items []campaign.Pending
		if err := tx.SelectContext(ctx, &items, `SELECT id, name, district, state FROM exhibits WHERE state IN ('district_recommended', 'evaluated') ORDER BY id`); err != nil {
			return nil, err
		}
		if len(items) == 0 {
			return nil, nil // nothing is late: no news to send
		}
		return []notice{mk(Coordinators, campaign.EscalationNotice(c, j, items))}, nil
	}
	return nil, errors.New("unknown campaign job kind " + string(j.Kind))
}
