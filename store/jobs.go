package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"bayu/workflow/campaign"
)

// JobName names one scheduled job.
type JobName string

// The scheduled jobs.
const (
	JobPhaseReminders JobName = "phase_reminders"  // rule 1
	JobListClose      JobName = "list_close"       // rule 2
	JobEscalation     JobName = "escalation"       // rule 3
	JobReturns        JobName = "return_reminders" // rule 4
	JobDeliveries     JobName = "deliveries"       // the outbox
	JobCompactCounts  JobName = "compact_counts"   // the dashboard's counts (counts.go)
)

// JobSpec describes a job for `bayu jobs list`: its cron schedule (UTC) and what it does.
type JobSpec struct {
	Name     JobName
	Schedule string
	Summary  string
}

// Jobs lists the scheduled jobs; `bayu jobs run all` runs them in this order,
// so that the deliveries send the notices the others have just made. Every job
// runs each minute: a run with nothing due costs one indexed query, and a
// reminder due at midnight goes out at midnight.
var Jobs = []JobSpec{
	{JobPhaseReminders, "* * * * *", "截止前14、7、3、1天提醒各单位 / deadline reminders to every unit"},
	{JobListClose, "* * * * *", "推荐名单截止：通知未达名额单位并汇总给市级统筹 / list close: shortfall notices and a summary"},
	{JobEscalation, "* * * * *", "评估阶段结束后督办未评估展品 / escalate items still unevaluated"},
	{JobReturns, "* * * * *", "归还、原件归还、寄售期满提醒 / return, original-return and term-end reminders"},
	{JobDeliveries, "* * * * *", "邮件与 Webhook 投递，失败重试 / send email and webhooks, with retries"},
	{JobCompactCounts, "* * * * *", "汇总进度统计 / fold transitions into the progress counts"},
}

// KnownJob reports whether name is one of Jobs.
func KnownJob(name JobName) bool {
	for _, j := range Jobs {
		if j.Name == name {
			return true
		}
	}
	return false
}

// JobResult counts what one run of a job did.
type JobResult struct {
	Job     JobName `json:"job"`
	Done    int     `json:"done"`    // rows of due work taken
	Created int     `json:"created"` // notices created
	Sent    int     `json:"sent"`    // deliveries accepted by the receiver
	Retried int     `json:"retried"` // deliveries that failed and wait for another attempt
	Dead    int     `json:"dead"`    // deliveries given up
}

// Advisory lock keys, in one space of their own: (lockSpace, n).
const (
	lockSpace          = 0x62617975 // "bayu"
	lockCreateCampaign = 1
	lockReturns        = 10
	lockPhaseReminders = 11
	lockListClose      = 12
	lockEscalation     = 13
)

func lockOf(kind campaign.Kind) int {
	switch kind {
	case campaign.KindListClose:
		return lockListClose
	case campaign.KindEscalation:
		return lockEscalation
	}
	return lockPhaseReminders
}

// tryLock takes a transaction-level advisory lock if it is free. A session
// lock would outlive the transaction on a pooled connection and be released by
// whichever request happens to use the connection next.
func tryLock(ctx context.Context, tx *sqlx.Tx, n int) (bool, error) {
	var ok bool
	err := tx.GetContext(ctx, &ok, `SELECT pg_try_advisory_xact_lock($1, $2)`, lockSpace, n)
	return ok, err
}

// RunJob runs one job as if the clock read now; the deliveries job sends
// through d. Running it twice for the same instant does nothing the second time:
// the first run marked its rows done or moved them past now.
func (s *Store) RunJob(ctx context.Context, name JobName, now time.Time, d Delivery) (JobResult, error) {
	res, err := s.runJob(ctx, name, now, d)
	if rerr := s.recordRun(ctx, res, now, err); err == nil {
		err = rerr
	}
	return res, err
}

func (s *Store) runJob(ctx context.Context, name JobName, now time.Time, d Delivery) (JobResult, error) {
	now = now.UTC().Truncate(time.Microsecond)
	var res JobResult
	var err error
	switch name {
	case JobPhaseReminders:
		res, err = s.runCampaignJobs(ctx, now, campaign.KindPhaseReminder, d.channels())
	case JobListClose:
		res, err = s.runCampaignJobs(ctx, now, campaign.KindListClose, d.channels())
	case JobEscalation:
		res, err = s.runCampaignJobs(ctx, now, campaign.KindEscalation, d.channels())
	case JobReturns:
		res, err = s.sweepReturns(ctx, now, d.channels(), returnBatch)
	case JobDeliveries:
		res, err = s.deliverDue(ctx, now, d)
	case JobCompactCounts:
		res.Done, err = s.CompactCounts(ctx)
	default:
		return res, fmt.Errorf("unknown job %q", name)
	}
	res.Job = name
	return res, err
}

// DueJobs returns the jobs that have work due at now, in the order of Jobs, in
// one query: a tick with nothing to do costs that query and nothing else.
func (s *Store) DueJobs(ctx context.Context, now time.Time) ([]JobName, error) {
	var due struct {
		Phase    bool `db:"phase"`
		Close    bool `db:"close"`
		Escalate bool `db:"escalate"`
		Returns  bool `db:"returns"`
		Deliver  bool `db:"deliver"`
		Compact  bool `db:"compact"`
	}
	const pending = `SELECT 1 FROM campaign_jobs WHERE done_at IS NULL AND due_at <= $1 AND kind = `
	err := s.db.GetContext(ctx, &due, `SELECT
		EXISTS (`+pending+`'phase_reminder') AS phase,
		EXISTS (`+pending+`'list_close') AS close,
		EXISTS (`+pending+`'escalation') AS escalate,
		EXISTS (SELECT 1 FROM return_reminders WHERE due_at <= $1) AS returns,
		EXISTS (SELECT 1 FROM deliveries WHERE state = 'pending' AND next_at <= $1) AS deliver,
		EXISTS (SELECT 1 FROM exhibit_count_deltas) AS compact`, now.UTC())
	if err != nil {
		return nil, classify(err)
	}
	var out []JobName
	for _, j := range []struct {
		name JobName
		due  bool
	}{{JobPhaseReminders, due.Phase}, {JobListClose, due.Close}, {JobEscalation, due.Escalate},
		{JobReturns, due.Returns}, {JobDeliveries, due.Deliver}, {JobCompactCounts, due.Compact}} {
		if j.due {
			out = append(out, j.name)
		}
	}
	return out, nil
}

// recordRun keeps the job's last run for `bayu jobs list`.
func (s *Store) recordRun(ctx context.Context, r JobResult, asOf time.Time, runErr error) error {
	msg := ""
	if runErr != nil {
		msg = runErr.Error()
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO job_runs (job, last_at, finished_at, done, created, error)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (job) DO UPDATE SET last_at = EXCLUDED.last_at,
		finished_at = EXCLUDED.finished_at, done = EXCLUDED.done, created = EXCLUDED.created, error = EXCLUDED.error`,
		r.Job, asOf.UTC(), s.Now(), r.Done, r.Created, msg)
	return classify(err)
}

// JobRun is a job's last recorded run.
type JobRun struct {
	Job        JobName   `db:"job" json:"job"`
	LastAt     time.Time `db:"last_at" json:"last_at"`
	FinishedAt time.Time `db:"finished_at" json:"finished_at"` // by the store's clock
	Done       int       `db:"done" json:"done"`
	Created    int       `db:"created" json:"created"`
	Error      string    `db:"error" json:"error"`
}

// JobRuns returns the last recorded run of each job that has one.
func (s *Store) JobRuns(ctx context.Context) (map[JobName]JobRun, error) {
	var rows []JobRun
	if err := s.db.SelectContext(ctx, &rows, `SELECT job, last_at, finished_at, done, created, error FROM job_runs`); err != nil {
		return nil, classify(err)
	}
	out := make(map[JobName]JobRun, len(rows))
	for _, r := range rows {
		r.LastAt, r.FinishedAt = r.LastAt.UTC(), r.FinishedAt.UTC()
		out[r.Job] = r
	}
	return out, nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only ever called on plain data
	}
	return b
}

// NextDue returns, for each job with work waiting, when its earliest work is due.
func (s *Store) NextDue(ctx context.Context) (map[JobName]time.Time, error) {
	var rows []struct {
		Job JobName   `db:"job"`
		At  time.Time `db:"at"`
	}
	err := s.db.SelectContext(ctx, &rows, `
		SELECT CASE kind WHEN 'phase_reminder' THEN 'phase_reminders' ELSE kind END AS job, min(due_at) AS at
			FROM campaign_jobs WHERE done_at IS NULL GROUP BY kind
		UNION ALL SELECT 'return_reminders', min(due_at) FROM return_reminders HAVING count(*) > 0
		UNION ALL SELECT 'deliveries', min(next_at) FROM deliveries WHERE state = 'pending' HAVING count(*) > 0`)
	if err != nil {
		return nil, classify(err)
	}
	out := make(map[JobName]time.Time, len(rows))
	for _, r := range rows {
		out[r.Job] = r.At.UTC()
	}
	return out, nil
}
